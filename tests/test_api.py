"""The library's API: what `import claimtrack` offers, and the pipeline's index port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SHIPPED_CLAIMS, Run

import claimtrack
from claimtrack.core.dataset import Dataset
from claimtrack.io import parse, pipeline
from claimtrack.io.parse import FileResult
from claimtrack.io.records import ClaimJson
from claimtrack.io.scan import FolderListing, Found

OLD_NS = 1_600_000_000 * 10**9


def test_every_public_name_resolves() -> None:
    assert set(claimtrack.__all__) == {"__version__", *claimtrack._EXPORTS}
    for name in claimtrack.__all__:
        assert getattr(claimtrack, name) is not None, name
    assert sorted(dir(claimtrack)) == sorted(claimtrack.__all__)
    with pytest.raises(AttributeError):
        claimtrack.no_such_name  # noqa: B018


def test_importing_the_package_imports_nothing_heavy() -> None:
    code = (
        "import sys, claimtrack; "
        "print(sorted(m for m in ('pydantic', 'rich', 'typer', 'yaml', 'sqlite3') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_open_folder_gives_what_the_cli_shows(run: Callable[..., Run]) -> None:
    folder = claimtrack.open_folder(SHIPPED_CLAIMS)
    listed = json.loads(run(["--dir", str(SHIPPED_CLAIMS), "list", "-f", "json"]).stdout)
    assert sorted(r.id for r in folder.claims) == sorted(c["id"] for c in listed)
    checked = json.loads(run(["--dir", str(SHIPPED_CLAIMS), "validate", "-f", "json"]).stdout)
    assert checked["claims"] == folder.claim_count
    assert all(isinstance(p, claimtrack.Problem) for p in folder.problems)

    report = claimtrack.build_report(folder, fail_on=["contested"])
    reported = json.loads(run(["--dir", str(SHIPPED_CLAIMS), "report", "-f", "json"]).stdout)
    assert [c.id for c in report.claims] == [c["id"] for c in reported["claims"]]
    assert report.failed == any(c.status.value == "contested" for c in report.claims)

    contested = claimtrack.query(folder, claimtrack.Query(statuses=[claimtrack.Status.CONTESTED]))
    assert {e.record.id for e in contested} == {
        c["id"] for c in listed if c["status"] == "contested"
    }


def test_open_folder_refuses_what_is_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(claimtrack.ClaimtrackError, match="not a claims folder"):
        claimtrack.open_folder(tmp_path / "missing")


def test_a_kept_report_is_reused_while_the_folder_is_unchanged(claims_dir: Path) -> None:
    from claimtrack.render import ReportFormat

    for path in claims_dir.rglob("*"):  # settled long ago: the snapshot can be believed
        os.utime(path, ns=(OLD_NS, OLD_NS))
    first = claimtrack.open_folder(claims_dir)
    made = claimtrack.render_report(first, ReportFormat.MD)
    assert made.report is not None
    again = claimtrack.open_folder(claims_dir)
    assert again.index is not None
    kept = claimtrack.render_report(again, ReportFormat.MD)
    assert isinstance(kept.rendered, bytes)  # as the index kept it
    assert (kept.text(), kept.failed, kept.failing) == (made.text(), made.failed, made.failing)
    assert kept.report is None  # the index's text, not a new report
    fresh = claimtrack.render_report(again, ReportFormat.MD, reuse=False)
    assert fresh.report is not None and fresh.rendered == made.rendered


class MemoryIndex:
    """A FolderIndex that keeps results in a dict: the port needs nothing of SQLite."""

    def __init__(self) -> None:
        self.rows: dict[str, FileResult] = {}
        self.stored: list[str] = []

    def snapshot(
        self,
        scanned: FolderListing,
        key: str,
        scanned_ns: int,
        keep_claims: bool,
        newest_ns: int = 0,
    ) -> Dataset | None:
        return None

    def registry(self, found: list[Found]) -> dict[str, FileResult]:
        return {
            f.rel: self.rows[f.rel] for f in found if f.kind == "registry" and f.rel in self.rows
        }

    def claims(
        self, found: list[Found], registry: str, unchanged: Callable[[list[str], str], bool]
    ) -> dict[str, FileResult]:
        return {f.rel: self.rows[f.rel] for f in found if f.kind == "claim" and f.rel in self.rows}

    def store(self, results: list[FileResult], registry: str, scanned_ns: int) -> set[str]:
        for result in results:
            self.rows[result.rel] = result
            self.stored.append(result.rel)
        return set()  # nothing to fetch claims back from: they keep their JSON

    def records(self, registry: str) -> ClaimJson | None:
        return None

    def finish(self, dataset: Dataset, registry: str, scanned_ns: int) -> None:
        pass


def test_the_pipeline_parses_only_what_its_index_does_not_know(
    claims_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = pipeline.load(claims_dir)
    index = MemoryIndex()
    first = pipeline.load(claims_dir, index=index)
    assert sorted(index.stored) == sorted(index.rows) and len(index.rows) == plain.files

    parsed: list[str] = []
    real = parse.parse_claims

    def counting(root: Path, rels: list[str], *args: object, **kwargs: object) -> object:
        parsed.extend(rels)
        return real(root, rels, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "parse_claims", counting)
    del index.rows[next(rel for rel, row in index.rows.items() if row.kind == "claim")]
    again = pipeline.load(claims_dir, index=index)
    assert len(parsed) == 1  # only the file the index forgot
    for dataset in (first, again):
        assert [(r.id, r.path, r.line) for r in dataset.claims] == [
            (r.id, r.path, r.line) for r in plain.claims
        ]
        assert dataset.problems == plain.problems
        assert [r.claim for r in dataset.claims] == [r.claim for r in plain.claims]


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(st.text(max_size=30), max_size=600),
    limit=st.integers(0, 4000),
    rows=st.integers(0, 700),
)
def test_an_output_is_written_whole_and_kept_only_whole_and_within_its_limit(
    pieces: list[str], limit: int, rows: int
) -> None:
    from claimtrack.api import _keeping

    kept: list[str] = []
    written = list(_keeping(iter(pieces), kept.append, limit, rows))
    assert written == pieces
    assert kept in ([], ["".join(pieces)])
    assert all(len(text) <= limit for text in kept)


@settings(max_examples=100, deadline=None)
@given(width=st.integers(1, 40), count=st.integers(0, 900), limit=st.integers(0, 20000))
def test_rows_alike_are_kept_exactly_when_they_fit(width: int, count: int, limit: int) -> None:
    """The early judgement (twice the limit promised) never drops rows that would fit."""
    from claimtrack.api import _keeping

    kept: list[str] = []
    list(_keeping(iter(["x" * width] * count), kept.append, limit, count))
    assert bool(kept) is (width * count <= limit)
