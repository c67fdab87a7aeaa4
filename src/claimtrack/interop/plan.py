"""An import as a plan: which files it would create, which records it merges and which it
skips; then writing the plan, never over an existing file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from claimtrack.core.dataset import Dataset
from claimtrack.core.model import Claim, Source
from claimtrack.core.problem import Problem
from claimtrack.core.query import fold
from claimtrack.core.vocab import SourceKind
from claimtrack.core.wording import plural
from claimtrack.interop.interface import Incoming, Parsed, Skipped
from claimtrack.io import yamlio
from claimtrack.io.files import parse_document

#: Statements at least this alike (rapidfuzz's normalised Indel ratio, 0-100) are one claim.
SIMILAR = 90.0


@dataclass(frozen=True)
class PlannedFile:
    """A new file: where it goes, what it holds, and which input record it comes from."""

    path: Path
    text: str
    kind: str  # "claim", "source" or "archive" (a source's archived text)
    id: str
    origin: str


@dataclass(frozen=True)
class Merge:
    """An input record folded into a claim that exists or that this import creates."""

    origin: str
    into: str
    why: str

    def format(self) -> str:
        return f"{self.origin}: merged into {self.into}: {self.why}"

    def format_apart(self) -> str:
        return f"{self.origin}: kept apart from {self.into} ({self.why}): a review of its own"


@dataclass
class Plan:
    """What an import does: ``records`` = claims + merged + sources read + skipped."""

    records: int
    #: The claims folder the files go into (its lock is held while they are written).
    root: Path | None = None
    files: list[PlannedFile] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    claims: int = 0
    source_records: int = 0
    #: Records kept as claims of their own though a claim's statement is alike: each brings a
    #: review of its own, which a merge would lose.
    apart: list[Merge] = field(default_factory=list)
    #: Ratings not in the rating vocabulary (their review gives context).
    unknown_ratings: int = 0

    @property
    def source_files(self) -> int:
        return sum(1 for f in self.files if f.kind == "source")

    @property
    def archive_files(self) -> int:
        return sum(1 for f in self.files if f.kind == "archive")

    def summary(self) -> str:
        unknown = ""
        if self.unknown_ratings:
            unknown = f"; {self.unknown_ratings} ratings not in the vocabulary (context)"
        return (
            f"{plural(self.records, 'record')}: {plural(self.claims, 'new claim')}, "
            f"{len(self.merges)} merged, {len(self.skipped)} skipped; "
            f"{plural(self.source_files, 'new source file')}"
            + (f", {plural(self.archive_files, 'archived text')}" if self.archive_files else "")
            + unknown
        )


def normalized(statement: str) -> str:
    """A statement reduced for comparison: case, accents, quotes and punctuation ignored."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(statement)).split())


class _Planner:
    def __init__(self, dataset: Dataset) -> None:
        from rapidfuzz import fuzz, process

        self._fuzz, self._process = fuzz, process
        root = dataset.root
        self.root = root
        self.sources: dict[str, Source] = {i: r.source for i, r in dataset.sources.items()}
        self.new_sources: dict[str, tuple[Source, str]] = {}
        self.by_url = {s.url: i for i, s in self.sources.items() if s.url}
        taken = {p.stem for p in root.glob("*.y*ml")}
        taken |= {p.stem for p in (root / "sources").glob("*.y*ml")}
        self.claim_ids = {r.claim.id for r in dataset.claims} | taken
        self.source_ids = set(self.sources) | taken
        self.new_claims: dict[str, tuple[Claim, str]] = {}
        self.by_review: dict[str, str] = {}
        #: Claims that carry a review (a verdict with a url).
        self.reviewed: set[str] = set()
        for record in dataset.claims:
            if record.claim.verdict and record.claim.verdict.url:
                self.by_review[record.claim.verdict.url] = record.claim.id
                self.reviewed.add(record.claim.id)
        # Normalised statements and their claim ids, in parallel lists (rapidfuzz scans a list).
        self.statements: list[str] = []
        self.statement_ids: list[str] = []
        for record in dataset.claims:
            self.remember(record.claim)

    @staticmethod
    def unique(wanted: str, taken: set[str]) -> str:
        if wanted not in taken:
            return wanted
        n = 2
        while f"{wanted[:110]}-{n}" in taken:
            n += 1
        return f"{wanted[:110]}-{n}"

    def add_source(self, source: Source, origin: str) -> str:
        """The id under which ``source`` is known: an existing one with its URL or id, or new."""
        if source.url and source.url in self.by_url:
            return self.by_url[source.url]
        known = self.sources.get(source.id) or (self.new_sources.get(source.id) or (None, ""))[0]
        if known is not None and (
            fold(known.title) == fold(source.title) or known.url == source.url
        ):
            return known.id
        new_id = self.unique(source.id, self.source_ids)
        source = source.model_copy(update={"id": new_id})
        self.source_ids.add(new_id)
        self.new_sources[new_id] = (source, origin)
        if source.url:
            self.by_url[source.url] = new_id
        return new_id

    def remember(self, claim: Claim) -> None:
        self.statements.append(normalized(claim.statement))
        self.statement_ids.append(claim.id)

    def similar(self, statement: str) -> tuple[str, float] | None:
        """The claim whose statement is most alike, when at least ``SIMILAR`` alike."""
        found = self._process.extractOne(
            normalized(statement), self.statements, scorer=self._fuzz.ratio, score_cutoff=SIMILAR
        )
        if found is None:
            return None
        return self.statement_ids[found[2]], float(found[1])

    def place(self, item: Incoming, plan: Plan) -> None:
        claim = item.claim
        target, why = None, ""
        if item.review_url and item.review_url in self.by_review:
            target, why = self.by_review[item.review_url], f"same review URL {item.review_url}"
        else:
            match = self.similar(claim.statement)
            if match is not None:
                target, score = match
                why = "same statement" if score >= 100 else f"statements {score:.0f}% alike"
                if item.review_url and target in self.reviewed:
                    # Two reviews of one statement: a merge would keep one verdict only.
                    plan.apart.append(Merge(item.origin, target, why))
                    target = None
        if target is not None:
            plan.merges.append(Merge(item.origin, target, why))
            if target in self.new_claims:
                self.fold_into(target, item)
            return
        renamed = {s.id: self.add_source(s, item.origin) for s in item.sources}
        claim = _renamed(claim, renamed)
        new_id = self.unique(claim.id, self.claim_ids)
        claim = claim.model_copy(update={"id": new_id})
        self.claim_ids.add(new_id)
        self.new_claims[new_id] = (claim, item.origin)
        plan.claims += 1
        if item.review_url:
            self.by_review[item.review_url] = new_id
        if claim.verdict and claim.verdict.url:
            self.reviewed.add(new_id)
        self.remember(claim)

    def fold_into(self, target: str, item: Incoming) -> None:
        """A second review of a claim this import creates: its evidence joins the claim."""
        claim, origin = self.new_claims[target]
        renamed = {s.id: self.add_source(s, item.origin) for s in item.sources}
        extra = _renamed(item.claim, renamed).evidence
        cited = {e.source for e in claim.evidence}
        added = [e for e in extra if e.source not in cited]
        if added:
            claim = claim.model_copy(update={"evidence": [*claim.evidence, *added]})
            self.new_claims[target] = (claim, origin)

    def placeholders(self) -> None:
        """Sources cited but described nowhere get a minimal entry, so every reference resolves."""
        known = set(self.sources) | set(self.new_sources)
        for claim, origin in self.new_claims.values():
            wanted = [claim.appears_in, *(e.source for e in claim.evidence)]
            wanted += [p.source for p in claim.disputed_by if p.source]
            for sid in wanted:
                if sid not in known:
                    note = (
                        "Created by claimtrack import: cited by an imported claim, not described."
                    )
                    source = Source(id=sid, title=sid, kind=SourceKind.OTHER, notes=note)
                    self.new_sources[sid] = (source, origin)
                    self.source_ids.add(sid)
                    known.add(sid)


def _renamed(claim: Claim, renamed: dict[str, str]) -> Claim:
    if all(old == new for old, new in renamed.items()):
        return claim
    evidence = [
        e.model_copy(update={"source": renamed.get(e.source, e.source)}) for e in claim.evidence
    ]
    disputes = [
        p.model_copy(update={"source": renamed.get(p.source, p.source)}) if p.source else p
        for p in claim.disputed_by
    ]
    appears_in = renamed.get(claim.appears_in, claim.appears_in)
    return claim.model_copy(
        update={"appears_in": appears_in, "evidence": evidence, "disputed_by": disputes}
    )


def check_text(text: str, model: type[BaseModel], expected: BaseModel, shown: str) -> str | None:
    """Why the text of a new file would not load back as ``expected``, or None when it does."""
    try:  # the loader's own path: encoding and character checks, then YAML, then the model
        decoded = yamlio.decode(text.encode("utf-8"))
    except yamlio.YamlProblem as problem:
        return problem.message
    data = parse_document(decoded, shown)
    if isinstance(data, Problem):
        return data.message
    try:
        loaded = model.model_validate(data)
    except ValidationError as exc:
        return str(exc.errors(include_url=False)[0]["msg"])
    if loaded != expected:
        return "it would not read back as written"
    return None


def plan_import(parsed: Parsed, dataset: Dataset) -> Plan:
    """The files an import of ``parsed`` into ``dataset``'s folder would create."""
    from claimtrack.io.emit import claim_text, source_text

    planner = _Planner(dataset)
    plan = Plan(records=parsed.records, root=dataset.root, skipped=list(parsed.skipped))
    archived: dict[str, str] = {}  # new source id -> its archived text
    for source in parsed.sources:
        new_id = planner.add_source(source, "source record")
        plan.source_records += 1
        if source.id in parsed.archives and new_id in planner.new_sources:
            archived[new_id] = parsed.archives[source.id]
    for item in parsed.items:
        planner.place(item, plan)
        plan.unknown_ratings += not item.understood
    planner.placeholders()
    root = dataset.root
    for sid, (source, origin) in sorted(planner.new_sources.items()):
        path = root / "sources" / f"{sid}.yaml"
        text = source_text(source, path.relative_to(root))
        problem = check_text(text, Source, source, str(path))
        if path.exists():  # only a cited id with no description can meet a file of that name
            problem = f"{path.name} exists but does not hold a valid source {sid!r}"
        if problem is None:
            plan.files.append(PlannedFile(path, text, "source", sid, origin))
        else:
            plan.skipped.append(Skipped(origin, f"source {sid} would not validate: {problem}"))
            continue
        if sid in archived:
            txt = root / "sources" / f"{sid}.txt"
            if txt.exists():
                plan.skipped.append(Skipped(origin, f"{txt.name} exists; its archive not replaced"))
            else:
                plan.files.append(PlannedFile(txt, archived[sid], "archive", sid, origin))
    for cid, (claim, origin) in planner.new_claims.items():
        path = root / f"{cid}.yaml"
        text = claim_text(claim, path.relative_to(root))
        problem = check_text(text, Claim, claim, str(path))
        if problem is None:
            plan.files.append(PlannedFile(path, text, "claim", cid, origin))
        else:
            plan.claims -= 1
            plan.skipped.append(Skipped(origin, f"claim {cid} would not validate: {problem}"))
    return plan


def write_plan(plan: Plan) -> list[PlannedFile]:
    """Create the plan's files (sources first) under the folder's lock; an existing file is
    never replaced, and one that appeared since the plan was made stops the import before
    anything is written."""
    import contextlib

    from claimtrack.core.errors import EnvironmentProblem
    from claimtrack.edit.lock import locked
    from claimtrack.io.atomic import atomic_write

    # Archives and sources first: a claim is never written before what it cites.
    ordered = sorted(plan.files, key=lambda f: f.kind == "claim")
    with locked(plan.root) if plan.root is not None else contextlib.nullcontext():
        for planned in ordered:
            if planned.path.exists():
                raise EnvironmentProblem(
                    f"{planned.path} appeared since the import was planned; nothing written, "
                    "run the import again"
                )
        written = []
        for planned in ordered:
            planned.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(planned.path, planned.text)
            written.append(planned)
    return written
