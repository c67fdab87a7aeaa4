"""Git as the audit trail: a claim's timeline (``log``) and a semantic diff of two states.

Every version is read with claimtrack's own reader (YAML 1.2, the Claim model), so history shows
what changed in meaning (status, confidence, evidence), not which lines moved.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from claimtrack.core.errors import EnvironmentProblem, UsageError
from claimtrack.core.model import Claim, Source
from claimtrack.core.status import derive
from claimtrack.io import yamlio

if TYPE_CHECKING:
    from collections.abc import Callable

    from claimtrack.core.dataset import Dataset
from claimtrack.io.files import REGISTRY_DIR, REGISTRY_NAMES, YAML_SUFFIXES

#: The label of the uncommitted state of the files.
WORK_TREE = "work tree"


@dataclass(frozen=True)
class Repo:
    """A git work tree and the claims folder's path inside it."""

    top: Path
    claims: str  # the claims folder relative to ``top``, with '/' separators ("" at the top)

    def git(self, *args: str, input: bytes | None = None) -> bytes:
        done = _run_git(self.top, *args, input=input)
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(f"git {args[0]}: {message[-1] if message else 'failed'}")
        return done.stdout

    def text(self, *args: str) -> str:
        return self.git(*args).decode("utf-8", "replace")

    def has_commits(self) -> bool:
        try:
            self.git("rev-parse", "--verify", "-q", "HEAD")
        except UsageError:
            return False
        return True

    def path_of(self, path: Path) -> str:
        return path.resolve().relative_to(self.top).as_posix()


def _run_git(
    cwd: Path, *args: str, input: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_PAGER": "cat", "LC_ALL": "C"}
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            input=input,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError as exc:
        raise EnvironmentProblem(f"cannot run git: {exc.strerror or exc}") from None


def open_repo(claims_root: Path) -> Repo:
    """The repository holding the claims folder; outside git or without commits is exit 2."""
    if shutil.which("git") is None:
        raise EnvironmentProblem("git is not installed: log and diff read the history from git")
    done = _run_git(claims_root, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise UsageError(
            f"{claims_root} is not inside a git repository: history needs git (git init, "
            "then commit the claims)"
        )
    top = Path(done.stdout.decode("utf-8", "replace").strip()).resolve()
    claims = claims_root.resolve().relative_to(top).as_posix()
    repo = Repo(top, "" if claims == "." else claims)
    if not repo.has_commits():
        raise UsageError("no history yet: the repository has no commits (commit the claims first)")
    return repo


# ---------------------------------------------------------------------------------------------
# Reading versions


def parse_claim(raw: bytes) -> Claim | None:
    try:
        return Claim.model_validate(yamlio.load_text(yamlio.decode(raw)))
    except (ValidationError, yamlio.YamlProblem, RecursionError):
        return None


def parse_sources(raw: bytes) -> list[Source]:
    """The valid sources of a registry file (a ``sources:`` list or one source)."""
    try:
        data = yamlio.load_text(yamlio.decode(raw))
    except (yamlio.YamlProblem, RecursionError):
        return []
    entries = data.get("sources") if isinstance(data, dict) and "sources" in data else [data]
    found = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            found.append(Source.model_validate(entry))
        except ValidationError:
            continue
    return found


@dataclass
class Snapshot:
    """The claims and sources of one state of the folder."""

    label: str
    claims: dict[str, Claim] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)


def _is_registry(rel: str) -> bool:
    parts = rel.split("/")
    return (len(parts) == 1 and parts[0] in REGISTRY_NAMES) or (
        len(parts) == 2 and parts[0] == REGISTRY_DIR
    )


def snapshot_at(repo: Repo, rev: str) -> Snapshot:
    """The folder as committed in ``rev``: all blobs read through one ``git cat-file``."""
    listing = repo.git("ls-tree", "-r", "-z", rev, "--", repo.claims or ".")
    entries: list[tuple[str, str]] = []
    prefix = f"{repo.claims}/" if repo.claims else ""
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.decode("utf-8", "replace").partition("\t")
        _mode, kind, sha = meta.split()
        rel = name[len(prefix) :] if name.startswith(prefix) else name
        hidden = any(part.startswith(".") for part in rel.split("/"))
        if kind == "blob" and rel.endswith(YAML_SUFFIXES) and not hidden:
            entries.append((rel, sha))
    snapshot = Snapshot(rev)
    blobs = _cat_blobs(repo, [sha for _, sha in entries])
    for rel, sha in entries:
        raw = blobs.get(sha, b"")
        if _is_registry(rel):
            for source in parse_sources(raw):
                snapshot.sources.setdefault(source.id, source)
            continue
        claim = parse_claim(raw)
        if claim is None:
            snapshot.unreadable.append(rel)
        else:
            snapshot.claims.setdefault(claim.id, claim)
    return snapshot


def _cat_blobs(repo: Repo, shas: list[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    out = repo.git("cat-file", "--batch", input="".join(f"{s}\n" for s in shas).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        blobs[header[0].decode()] = out[pos : pos + size]
        pos += size + 1
    return blobs


def snapshot_worktree(dataset: Dataset) -> Snapshot:
    snapshot = Snapshot(WORK_TREE)
    for record in dataset.claims:
        snapshot.claims.setdefault(record.claim.id, record.claim)
    snapshot.sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    snapshot.unreadable = sorted(
        {
            p.path
            for p in dataset.problems
            if p.rule.startswith(("yaml", "file", "required", "type", "value", "unknown"))
        }
    )
    return snapshot


# ---------------------------------------------------------------------------------------------
# Comparing two versions of a claim


def _evidence_label(item: Any) -> dict[str, Any]:
    return item.model_dump(mode="json", exclude_none=True)  # type: ignore[no-any-return]


def _confidence(claim: Claim) -> dict[str, Any]:
    return {"value": claim.confidence.value, "word": claim.confidence.word}


def claim_changes(
    old: Claim, new: Claim, old_sources: dict[str, Source], new_sources: dict[str, Source]
) -> dict[str, Any]:
    """What changed in meaning between two versions of a claim (empty when nothing did)."""
    change: dict[str, Any] = {}
    old_status, new_status = derive(old, old_sources).status, derive(new, new_sources).status
    if old_status is not new_status:
        change["status"] = [old_status.value, new_status.value]
    if old.confidence != new.confidence:
        change["confidence"] = [_confidence(old), _confidence(new)]
    if old.analytic_confidence != new.analytic_confidence:
        change["analytic_confidence"] = [
            old.analytic_confidence.value if old.analytic_confidence else None,
            new.analytic_confidence.value if new.analytic_confidence else None,
        ]
    for name in ("evidence", "disputed_by"):
        before, after = getattr(old, name), getattr(new, name)
        added = [_evidence_label(i) for i in after if i not in before]
        removed = [_evidence_label(i) for i in before if i not in after]
        if added:
            change[f"{name}_added"] = added
        if removed:
            change[f"{name}_removed"] = removed
    if old.statement != new.statement:
        change["statement"] = [old.statement, new.statement]
    tracked = {
        "status",
        "confidence",
        "analytic_confidence",
        "evidence",
        "disputed_by",
        "statement",
        "id",
    }
    others = [
        name
        for name in Claim.model_fields
        if name not in tracked and getattr(old, name) != getattr(new, name)
    ]
    if others:
        change["other_fields"] = others
    return change


def _summary(claim: Claim, sources: dict[str, Source]) -> dict[str, Any]:
    return {
        "id": claim.id,
        "statement": claim.statement,
        "status": derive(claim, sources).status.value,
        "confidence": _confidence(claim),
    }


def semantic_diff(old: Snapshot, new: Snapshot) -> dict[str, Any]:
    """Claims added, removed, renamed and changed; sources added and removed."""
    added = [i for i in new.claims if i not in old.claims]
    removed = [i for i in old.claims if i not in new.claims]
    renamed = []
    for gone in list(removed):
        twin = next(
            (i for i in added if new.claims[i].model_copy(update={"id": gone}) == old.claims[gone]),
            None,
        )
        if twin is not None:
            renamed.append({"from": gone, "to": twin})
            removed.remove(gone)
            added.remove(twin)
    changed = []
    for claim_id in sorted(set(old.claims) & set(new.claims)):
        delta = claim_changes(old.claims[claim_id], new.claims[claim_id], old.sources, new.sources)
        if delta:
            changed.append({"id": claim_id, **delta})
    return {
        "from": old.label,
        "to": new.label,
        "added": [_summary(new.claims[i], new.sources) for i in sorted(added)],
        "removed": [_summary(old.claims[i], old.sources) for i in sorted(removed)],
        "renamed": sorted(renamed, key=lambda r: r["from"]),
        "changed": changed,
        "sources_added": sorted(set(new.sources) - set(old.sources)),
        "sources_removed": sorted(set(old.sources) - set(new.sources)),
        "unreadable": sorted(new.unreadable),
    }


def default_base(repo: Repo) -> str:
    """The merge base of HEAD with the main branch (main, master, or their origin copies)."""
    for branch in ("main", "master", "origin/main", "origin/master"):
        try:
            repo.git("rev-parse", "--verify", "-q", f"{branch}^{{commit}}")
        except UsageError:
            continue
        return repo.text("merge-base", "HEAD", branch).strip()
    return repo.text("rev-parse", "HEAD").strip()


def diff(
    repo: Repo, worktree: Callable[[], Dataset], rev1: str | None, rev2: str | None
) -> dict[str, Any]:
    """The semantic diff of two revisions; without ``rev2``, of ``rev1`` and the work tree
    (``worktree()`` reads it)."""
    base = rev1 or default_base(repo)
    old = snapshot_at(repo, _commit(repo, base))
    old.label = base if rev1 else f"{base[:12]} (merge base)"
    if rev2 is None:
        new = snapshot_worktree(worktree())
    else:
        new = snapshot_at(repo, _commit(repo, rev2))
        new.label = rev2
    return semantic_diff(old, new)


def _commit(repo: Repo, rev: str) -> str:
    if rev.startswith("-"):
        raise UsageError(f"{rev!r} is not a revision")
    try:
        return repo.text("rev-parse", "--verify", "-q", f"{rev}^{{commit}}").strip()
    except UsageError:
        raise UsageError(f"unknown revision {rev!r}") from None


# ---------------------------------------------------------------------------------------------
# A claim's timeline


@dataclass
class Event:
    """One commit (or the uncommitted work tree) that touched a claim's file."""

    commit: str
    author: str
    date: str
    subject: str
    path: str
    changes: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "author": self.author,
            "date": self.date,
            "subject": self.subject,
            "path": self.path,
            "changes": self.changes,
        }


_SEP = "\x1f"
_START = "\x1e"


def timeline(repo: Repo, path: Path) -> list[Event]:
    """The commits that changed a claim file (following renames), oldest first, each with what
    changed in meaning; uncommitted changes last."""
    rel = repo.path_of(path)
    out = repo.text(
        "log",
        "--follow",
        "--name-status",
        f"--format={_START}%H{_SEP}%an{_SEP}%aI{_SEP}%s",
        "--",
        rel,
    )
    commits: list[tuple[list[str], str, str]] = []  # (header, status letter, path then)
    for chunk in out.split(_START)[1:]:
        lines = [ln for ln in chunk.splitlines() if ln.strip()]
        header = lines[0].split(_SEP)
        status, where = "M", rel
        for line in lines[1:]:
            parts = line.split("\t")
            status, where = parts[0][:1], parts[-1]
        commits.append((header, status, where))
    commits.reverse()
    events: list[Event] = []
    previous: Claim | None = None
    previous_sources: dict[str, Source] = {}
    for header, status, where in commits:
        sha, author, date, subject = [*header, "", "", "", ""][:4]
        sources = _sources_at(repo, sha)
        if status == "D":
            events.append(Event(sha, author, date, subject, where, {"deleted": True}))
            previous = None
            continue
        current = parse_claim(repo.git("show", f"{sha}:{where}"))
        changes = _event_changes(previous, current, previous_sources, sources)
        if status == "R":
            changes = {"renamed_to": where, **changes}
        events.append(Event(sha, author, date, subject, where, changes))
        if current is not None:
            previous, previous_sources = current, sources
    if path.exists() and (not events or _worktree_differs(repo, events[-1], path)):
        current = parse_claim(path.read_bytes())
        changes = _event_changes(previous, current, previous_sources, _worktree_sources(path))
        if changes:
            events.append(Event("", "", "", "uncommitted changes", rel, changes))
    return events


def _worktree_differs(repo: Repo, last: Event, path: Path) -> bool:
    try:
        committed = repo.git("show", f"{last.commit}:{last.path}")
    except UsageError:
        return True
    return committed != path.read_bytes()


def _worktree_sources(path: Path) -> dict[str, Source]:
    for folder in (path.parent, *path.parents):
        for name in REGISTRY_NAMES:
            if (folder / name).is_file():
                return {s.id: s for s in parse_sources((folder / name).read_bytes())}
    return {}


def _sources_at(repo: Repo, sha: str) -> dict[str, Source]:
    prefix = f"{repo.claims}/" if repo.claims else ""
    for name in REGISTRY_NAMES:
        try:
            raw = repo.git("show", f"{sha}:{prefix}{name}")
        except UsageError:
            continue
        return {s.id: s for s in parse_sources(raw)}
    return {}


def _event_changes(
    previous: Claim | None,
    current: Claim | None,
    previous_sources: dict[str, Source],
    sources: dict[str, Source],
) -> dict[str, Any]:
    if current is None:
        return {"invalid": True}
    if previous is None:
        return {"created": _summary(current, sources)}
    return claim_changes(previous, current, previous_sources, sources)
