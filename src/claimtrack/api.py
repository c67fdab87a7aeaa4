"""The library's face: a folder opened, validated, listed, counted and reported on, with the
index reused wherever it holds the answer. Everything the CLI does goes through here or below."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.cache import load_dataset
from claimtrack.core.dataset import Dataset
from claimtrack.core.errors import UsageError
from claimtrack.core.problem import Level, Problem
from claimtrack.core.wording import plural
from claimtrack.io.files import display_path

if TYPE_CHECKING:
    from claimtrack.core.query import Entry, Query, Selection
    from claimtrack.core.report import Report
    from claimtrack.core.search import Found, Term
    from claimtrack.io.parse import Progress
    from claimtrack.render import ListFormat, ReportFormat, SearchFormat
    from claimtrack.render.terminal import Terminal


def open_folder(
    path: str | Path,
    *,
    cache: bool | None = None,
    keep_claims: bool = True,
    progress: Progress | None = None,
) -> Dataset:
    """The claims folder at ``path`` read: every valid claim and source, and every problem
    (a bad file is a problem, never an exception). With ``cache`` (the default unless
    ``CLAIMTRACK_NO_CACHE`` is set) unchanged files are taken from the index.

    >>> folder = open_folder("claims")  # doctest: +SKIP
    >>> [r.id for r in folder.claims_of_status({"contested"})]  # doctest: +SKIP
    """
    root = Path(path)
    if not root.is_dir():
        raise UsageError(f"{path}: not a claims folder")
    return load_dataset(root, cache=cache, progress=progress, keep_claims=keep_claims)


def figures(
    load: Callable[[bool], Dataset], use_index: bool = True
) -> tuple[dict[str, Any], Dataset]:
    """``stats``' figures of a folder, and its dataset; ``load(keep_claims)`` reads it.

    With ``use_index``, an unchanged folder's figures are those the index kept (when they
    agree with its count of claims), and otherwise the claims' facets come from the index:
    no claim need be built."""
    from claimtrack.core.query import evaluate
    from claimtrack.core.stats import compute

    dataset = load(False) if use_index else load(True)
    texts = None
    if use_index:
        kept = dataset.index.get("stats") if dataset.index is not None else None
        if isinstance(kept, dict) and kept.get("claims") == dataset.claim_count:
            return kept, dataset
        if not all(record.facets_json for record in dataset.claims):  # read without them
            texts = dataset.index.facets_json() if dataset.index is not None else None
            if texts is None or len(texts) != len(dataset.claims):
                dataset, texts = load(True), None
    counted = compute(evaluate(dataset), dataset, texts)
    if dataset.index is not None:
        dataset.index.put("stats", counted)
    return counted, dataset


def list_output(
    entries: Sequence[Entry],
    fmt: ListFormat,
    explain: bool = False,
    terminal: Terminal | None = None,
) -> Any:
    """The listing of ``entries`` in ``fmt``: text, or pieces of text to write as they come
    (the JSON formats and the table, laid out for ``terminal``: a large list is never held
    whole). The JSON formats and the table reuse each claim's line that the index kept."""
    from claimtrack.render import ListFormat, list_writer

    if fmt is ListFormat.TABLE:
        from claimtrack.render.table import render_list

        def table(entries: Sequence[Entry], texts: Any) -> Iterator[str]:
            return render_list(entries, texts, terminal=terminal, explain=explain)

        return _reusing_records(entries, table)
    if fmt in (ListFormat.JSON, ListFormat.JSONL):
        return _reusing_records(entries, list_writer(fmt))
    return list_writer(fmt)(entries)


def search_output(
    found: Sequence[Found],
    fmt: SearchFormat,
    terms: Sequence[Term],
    dataset: Dataset,
    color: bool = False,
    terminal: Terminal | None = None,
) -> Any:
    """What ``search`` found, in ``fmt``: the matches in context (styled when ``color``), or
    the claims found in that format of ``list`` (written as :func:`list_output` writes it)."""
    from claimtrack.render import ListFormat, SearchFormat, renderer

    if fmt is SearchFormat.TEXT:
        sources = {sid: rec.source for sid, rec in dataset.sources.items()}
        return renderer("search", fmt)(found, terms, sources, color)
    return list_output([f.entry for f in found], ListFormat(fmt.value), terminal=terminal)


#: The largest listing the index keeps whole (a 10k-claim table is about 3 MiB); a larger
#: one is made again each time, from the records the index kept.
KEPT_LISTING_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Listing:
    """What ``list`` writes: the output (text, or pieces to write as they come) and what the
    person is told about the selection (see :class:`~claimtrack.core.query.Selection`)."""

    output: Any
    unknown: tuple[str, ...]
    said: str | None

    def summary(self) -> str | None:
        return self.said


def listing(
    dataset: Dataset,
    query: Query,
    fmt: ListFormat,
    *,
    explain: bool = False,
    terminal: Terminal | None = None,
) -> Listing:
    """The claims ``query`` selects, listed in ``fmt`` (laid out for ``terminal``). An
    unchanged folder's listing is the one the index kept by every option it depends on (the
    query, the format, the terminal's width, colour and encoding): nothing is selected, sorted
    or laid out again."""
    from claimtrack.core.query import select_claims

    index = dataset.index
    key = _listing_key(query, fmt, explain, terminal) if index is not None else None
    if index is not None and key is not None:
        kept = index.output(key)
        if kept is not None:
            meta, body = kept
            unknown, said = meta.get("unknown"), meta.get("summary")
            if (
                isinstance(unknown, list)
                and all(isinstance(u, str) for u in unknown)
                and (said is None or isinstance(said, str))
            ):
                return Listing(body.decode("utf-8"), tuple(unknown), said)
    selection = select_claims(dataset, query)
    output = list_output(selection.entries, fmt, explain=explain, terminal=terminal)
    if index is not None and key is not None:
        meta = {"unknown": list(selection.unknown), "summary": selection.summary()}
        keep = index.keep_output
        output = _keeping(
            output, lambda text: keep(key, meta, text), KEPT_LISTING_BYTES, len(selection.entries)
        )
    return Listing(output, selection.unknown, selection.summary())


def _listing_key(query: Query, fmt: ListFormat, explain: bool, terminal: Terminal | None) -> str:
    """Everything a listing depends on besides the folder (whose snapshot it is kept with)."""
    import hashlib
    import json

    from claimtrack.core.version import __version__

    screen = None if terminal is None else [terminal.width, terminal.color, terminal.encoding]
    parts = [
        __version__,
        "list",
        fmt.value,
        explain,
        screen,
        sorted(s.value for s in query.statuses),
        sorted(query.tags),
        query.attributed_to,
        sorted(k.value for k in query.kinds),
        sorted(query.sources),
        query.min_confidence,
        query.max_confidence,
        query.search,
        list(query.sort),
        query.limit,
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _reusing_records(
    entries: Sequence[Entry], writer: Callable[..., Iterator[str]]
) -> Iterator[str]:
    from claimtrack.cache.store import RecordTexts
    from claimtrack.render.json import record_json

    texts = RecordTexts(record_json, entries)
    yield from writer(entries, texts)
    texts.flush()


@dataclass(frozen=True)
class RenderedReport:
    """A report in one format, and its policy's outcome; ``report`` is None when the rendered
    text was the one the index kept (the folder and every option unchanged)."""

    rendered: Any  # text; UTF-8 bytes (kept); or (the text format, made) lines as they come
    failed: bool
    failing: int
    report: Report | None

    def text(self) -> str:
        """The rendered report as one text, whatever form it came in (lines are used up)."""
        rendered = self.rendered
        if isinstance(rendered, bytes):
            return rendered.decode("utf-8")
        if isinstance(rendered, str):
            return rendered
        from claimtrack.render.table import as_text

        return as_text(rendered)


def render_report(
    dataset: Dataset,
    fmt: ReportFormat,
    *,
    fail_on: Sequence[str] = (),
    baseline: set[str] | None = None,
    on: Any = None,
    max_age_days: int | None = None,
    link_base: str | None = None,
    reuse: bool = True,
    terminal: Terminal | None = None,
    summary: bool = False,
) -> RenderedReport:
    """The report of ``dataset`` rendered in ``fmt`` (the text format for ``terminal``). With
    ``reuse``, an unchanged folder's report is the one the index kept by every option it
    depends on (the text format also by the terminal's width, colour and encoding).
    ``summary`` says the caller writes the job summary too, which the ``github`` format then
    points at (such a report is never kept)."""
    from claimtrack.core.report import DEFAULT_MAX_AGE_DAYS, today
    from claimtrack.render import ReportFormat, report_renderer
    from claimtrack.rules.report import build_report, output_key

    on = on if on is not None else today()
    limit = DEFAULT_MAX_AGE_DAYS if max_age_days is None else max_age_days
    from claimtrack.render.terminal import Terminal

    screen = terminal or Terminal(width=100)
    index = dataset.index if reuse and not summary else None
    key = None
    if index is not None:
        key = output_key(
            fmt.value
            if fmt is not ReportFormat.TEXT
            else f"text {screen.width} {screen.color} {screen.encoding}",
            fail_on=fail_on,
            baseline=baseline,
            on=on,
            max_age_days=limit,
            link_base=link_base,
        )
        kept = index.output(key)
        outcome = _kept_outcome(kept[0]) if kept is not None else None
        if kept is not None and outcome is not None:
            # As kept: 65 MB of Markdown at 100k claims is not decoded only to be encoded again.
            return RenderedReport(kept[1], *outcome, None)
    if dataset.digests is None:  # read otherwise than by the folder pipeline
        from claimtrack.io.scan import folder_digests

        dataset.digests = folder_digests(dataset.root)
    result = build_report(
        dataset,
        fail_on=fail_on,
        baseline=baseline,
        on=on,
        max_age_days=limit,
        link_base=link_base,
    )
    render = report_renderer(fmt)
    if fmt is ReportFormat.TEXT:
        rendered = render(result, screen)
    elif fmt is ReportFormat.GITHUB:
        rendered = render(result, summary=summary)
    else:
        rendered = render(result)
    failed, failing = result.failed, sum(f.failing for _, f in result.findings)
    if index is not None and key is not None:
        meta = {"failed": failed, "failing": failing}
        keep, at = index.keep_output, key
        rendered = _keeping(rendered, lambda text: keep(at, meta, text))
    return RenderedReport(rendered, failed, failing, result)


def _keeping(
    output: Any, keep: Callable[[str], None], limit: int | None = None, rows: int = 0
) -> Any:
    """``output`` (a text, or pieces written as they come), given to ``keep`` as one text once
    it is all written, unless it is longer than ``limit`` (then nothing is held). With ``rows``
    (how many rows the pieces write, about one piece each), nothing more is held once the
    pieces so far promise twice the limit: a listing of 100k claims is not held up to the limit
    only to be let go of."""
    if isinstance(output, str):
        if limit is None or len(output) <= limit:
            keep(output)
        return output
    # Judged once enough of the rows are written to tell (and never on the first few).
    judge_at = max(200, rows // 20) if limit is not None and rows else 0

    def pieces() -> Iterator[str]:
        written: list[str] | None = []
        size = 0
        for piece in output:
            if written is not None:
                size += len(piece)
                if limit is not None and (
                    size > limit
                    or (len(written) == judge_at and size * rows > 2 * limit * len(written))
                ):
                    written = None  # too large to keep: let go of what was held
                else:
                    written.append(piece)
            yield piece
        if written is not None:
            keep("".join(written))

    return pieces()


def _kept_outcome(meta: dict[str, Any]) -> tuple[bool, int] | None:
    """Whether a kept report failed its policy, and on how many findings."""
    failed, failing = meta.get("failed"), meta.get("failing")
    if isinstance(failed, bool) and type(failing) is int:
        return failed, failing
    return None


def read_baseline(path: Path) -> set[str]:
    """The finding fingerprints of a previous JSON report (``report --baseline``)."""
    from claimtrack.rules.report import baseline_fingerprints

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"cannot read baseline {path}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    return baseline_fingerprints(text, str(path))


@dataclass
class ValidationResult:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    claims: int = 0
    sources: int = 0

    @property
    def errors(self) -> int:
        return sum(p.level is Level.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.level is Level.WARNING for p in self.problems)

    def summary(self) -> str:
        if not self.problems:
            return (
                f"ok: {plural(self.files, 'file')}, {plural(self.claims, 'valid claim')}, "
                f"{plural(self.sources, 'source')}, no problems"
            )
        bad_files = len({p.path for p in self.problems})
        return (
            f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')} in "
            f"{bad_files} of {plural(self.files, 'file')} ({plural(self.claims, 'valid claim')})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "claims": self.claims,
            "sources": self.sources,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [p.to_dict() for p in self.problems],
        }


def _claims_root_of(path: Path, root: Path | None) -> Path:
    """The folder whose registry a lone file is checked against."""
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root.resolve()):
        return root
    for folder in resolved.parents:
        if folder.name == "claims" or (folder / "sources.yaml").is_file():
            return folder
    return resolved.parent


def validate_paths(
    paths: list[Path],
    root: Path | None,
    *,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> ValidationResult:
    """Validate the claims folder (no paths), or the given files and folders.

    Claims are not kept once checked, so memory stays flat however large the folder.
    """
    result = ValidationResult()
    datasets: dict[Path, Dataset] = {}

    def dataset_of(folder: Path) -> Dataset:
        key = folder.resolve()
        if key not in datasets:
            dataset = load_dataset(folder, cache=cache, progress=progress, keep_claims=False)
            # The pipeline checked the quotes against the archived texts; they are reported by
            # `validate` and `verify` only, so a changed archive fails those, not `list`.
            if dataset.quote_problems:
                dataset.problems = sorted([*dataset.problems, *dataset.quote_problems])
            datasets[key] = dataset
        return datasets[key]

    targets: list[tuple[Path, Path | None]] = []  # (folder, single file or None)
    if not paths:
        assert root is not None
        targets.append((root, None))
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            targets.append((path, None))
        else:
            folder = _claims_root_of(path, root)
            # An archived text, or the registry, can break any claim that quotes or cites it:
            # a change to one is checked against the whole folder.
            whole = _is_archive_or_registry(path, folder)
            targets.append((folder, None if whole else path))

    seen: set[Problem] = set()
    counted: set[Path] = set()
    for folder, single in targets:
        dataset = dataset_of(folder)
        if single is None:
            chosen = dataset.problems
            if folder.resolve() not in counted:
                counted.add(folder.resolve())
                result.files += dataset.files
                result.claims += dataset.claim_count
                result.sources += dataset.source_count
        else:
            shown = display_path(single)
            chosen = [p for p in dataset.problems if p.path == shown]
            result.files += 1
            result.claims += sum(r.path == shown for r in dataset.claims)
            if not any(r.path == shown for r in dataset.claims) and not chosen:
                chosen = _lone_file(single, folder)
        for problem in chosen:
            if problem not in seen:
                seen.add(problem)
                result.problems.append(problem)
    result.problems.sort()
    return result


def _is_archive_or_registry(path: Path, folder: Path) -> bool:
    from claimtrack.io.files import REGISTRY_DIR, REGISTRY_NAMES, YAML_SUFFIXES

    try:
        rel = path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    if len(rel.parts) == 1:
        return rel.name in REGISTRY_NAMES
    return rel.parts[0] == REGISTRY_DIR and not rel.name.endswith(YAML_SUFFIXES)


def _lone_file(path: Path, folder: Path) -> list[Problem]:
    """A file outside the folder's own discovery (hidden, another suffix): check it alone."""
    from claimtrack.io.files import load_claim_file, load_registry_file

    if path.name in ("sources.yaml", "sources.yml") or path.parent.name == "sources":
        return load_registry_file(path, folder)[1]
    return load_claim_file(path, folder)[1]


def search_claims(
    dataset: Dataset, text: str, query: Query, use_index: bool = True, by_rank: bool = True
) -> tuple[list[Found], Selection]:
    """The claims whose words hold every word of ``text`` (statement, quote, notes, attribution,
    the titles of the sources they cite) that also pass the ``query``'s filters, best first
    (``by_rank=False``: in the query's order); and the :class:`Selection` told to the person.

    With ``use_index``, the words are looked up in the index's FTS5 table (brought up to date
    first: only changed claims are read); without it, or when the index cannot be used, every
    claim is read and ranked in memory. Both rank with :func:`claimtrack.core.search.rank`
    over the same tokens, so they give the same answer."""
    from dataclasses import replace

    from claimtrack.core.query import Query, Selection, entries_of, select, unknown_values
    from claimtrack.core.search import Found, document, parse_terms, search_in_memory

    terms = parse_terms(text)
    ranked = _ranked_by_index(dataset, terms) if use_index else None
    if ranked is None:
        sources = {sid: rec.source for sid, rec in dataset.sources.items()}
        documents = {r.path: document(r.claim, sources) for r in dataset.claims}
        ranked = search_in_memory(terms, documents)
    scores = dict(ranked)
    by_key = {r.path: r for r in dataset.claims}
    records = [by_key[key] for key, _ in ranked if key in by_key]
    unfiltered = query == Query(sort=query.sort, limit=query.limit)
    if by_rank and unfiltered:  # only the claims shown need their status worked out
        kept = entries_of(dataset, records[: query.limit] if query.limit is not None else records)
        matched = len(records)
    else:
        found = entries_of(dataset, records)
        if by_rank:  # the filters alone, in the order of the ranking
            kept = [e for e in found if query.matches(e)]
        else:
            kept = select(found, replace(query, limit=None))
        matched = len(kept)
    shown = kept[: query.limit] if query.limit is not None else kept
    selection = Selection(shown, matched, dataset.claim_count, unknown_values(dataset, query))
    return [Found(e, scores[e.record.path]) for e in shown], selection


def _ranked_by_index(dataset: Dataset, terms: Sequence[Any]) -> list[tuple[str, float]] | None:
    """The search ranked by the index's FTS5 table, or None when it cannot be used."""
    import os

    from claimtrack.cache.fulltext import FullText, fingerprint
    from claimtrack.core.dataset import all_facets
    from claimtrack.core.search import document, rank, tokens

    fulltext = FullText.open_for(dataset.root)
    if fulltext is None:
        return None
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    digests = dataset.digests or {}
    records = dataset.claims
    texts = dataset.index.facets_json() if dataset.index is not None else None
    # Records are named by their display path, the digests by the path inside the folder.
    inside = display_path(dataset.root / "x")[:-1]

    def rel_of(path: str) -> str:
        if path.startswith(inside):
            return path[len(inside) :]
        return os.path.relpath(os.path.abspath(path), os.path.abspath(dataset.root))

    def doc(record: Any, cited: Sequence[str]) -> tuple[str, str, Callable[[], list[str]]]:
        sha = digests.get(rel_of(record.path), "")
        if not sha:  # not read from a file: the words themselves are the fingerprint
            words = tokens(document(record.claim, sources))
            return record.path, fingerprint(*words), lambda: words
        titles = [sources[sid].title for sid in cited if sid in sources]
        return (
            record.path,
            fingerprint(sha, *titles),
            lambda: tokens(document(record.claim, sources)),
        )

    facets = all_facets(records, texts)
    docs = (doc(r, f.sources) for r, f in zip(records, facets, strict=True))
    try:
        kept = fulltext.kept(docs)
        if kept is None:
            return None
        result = kept.find(terms)
        return None if result is None else rank(terms, *result)
    finally:
        fulltext.close()
