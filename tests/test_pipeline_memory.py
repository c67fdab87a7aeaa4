"""What the folder pipeline does not keep: the structure that holds a 100k load's memory down."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Run

from claimtrack.core import anchor
from claimtrack.core.vocab import Status
from claimtrack.io import archive, parse, pipeline
from claimtrack.rules.quotes import quote_findings
from test_fastload import generate  # bench/generate.py, loaded once


def test_checking_a_quote_makes_no_offsets() -> None:
    """A worker checks quotes against every archived text: mapping the matches back would keep
    8 bytes a character of each text for the rest of the run."""
    text = anchor.normalize("The port was closed. The port was closed again.\nAnother line.")
    assert quote_findings(("quote",), "another line", "a", text, None, None) == []
    ambiguous = quote_findings(("quote",), "the port was closed", "a", text, None, None)
    assert [finding[2] for finding in ambiguous] == ["quote-ambiguous"]
    context = quote_findings(("quote",), "another line", "a", text, "nowhere", None)
    assert [finding[2] for finding in context] == ["quote-context"]
    assert text._starts is None
    assert anchor.count("the port was closed", text, None, "again") == (1, 2)
    assert anchor.count("the port was closed", text) == (2, 2)
    found, total = anchor.find("the port was closed", text, None, "again")
    assert (len(found), total) == (1, 2)  # find maps them back, count agrees with it


def test_released_archives_still_count_their_texts(tmp_path: Path) -> None:
    root = generate.generate(tmp_path / "claims", 3, "flat", archive=True)
    records, _ = pipeline.registry_sources(
        [parse.parse_registry(root, "sources.yaml")], pipeline.DisplayPaths(root)
    )
    archives = archive.read_archives(root, records)
    assert archives.readable == len(archives.raw) == 1
    assert archives.text("article-00000") is not None
    archives.release()
    assert (archives.raw, archives.readable) == ({}, 1)


def test_workers_are_given_a_few_chunks_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool is handed chunks as the assembly takes them (pool.map would hand it all of them
    at once, their results then waiting parsed in this process), and the main process lets go
    of the archived texts its forked workers hold."""
    root = generate.generate(tmp_path / "claims", 1000, "flat", archive=True)
    monkeypatch.setenv("CLAIMTRACK_JOBS", "2")
    submitted: list[int] = []
    real_submit = ProcessPoolExecutor.submit

    def counting(self: ProcessPoolExecutor, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        submitted.append(len(args[0]))
        return real_submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", counting)
    records, _ = pipeline.registry_sources(
        [parse.parse_registry(root, "sources.yaml")], pipeline.DisplayPaths(root)
    )
    sources = {sid: rec.source for sid, rec in records.items()}
    archives = archive.read_archives(root, records)
    rels = sorted(p.name for p in root.glob("*.yaml") if p.name != "sources.yaml")
    chunks = parse.parse_claims(root, rels, sources, keep=False, record=False, archives=archives)
    first = next(chunks)
    size = len(first)
    assert len(rels) // size > 2 * parse.AHEAD + 1  # more chunks than are handed out ahead
    assert len(submitted) == 2 * parse.AHEAD + 1  # the first one's successor is handed out
    if parse.pool_context().get_start_method() == "fork":
        assert archives.raw == {} and archives.readable == 10
    rest = [result for chunk in chunks for result in chunk]
    assert sum(submitted) == len(rels)
    assert [r.rel for r in first + rest] == rels
    assert sum(r.quoted for r in first + rest) == len(rels)  # every quote was checked


def _held(record: Any) -> bool:
    """Whether a record holds its claim, built or as JSON."""
    return record.__dict__.get("_json") is not None or record.__dict__.get("_claim") is not None


def test_records_share_their_strings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record holds the scan's path string and one string per status, not copies made by
    unpickling the workers' results."""
    root = generate.generate(tmp_path / "claims", 600, "flat", archive=True)
    monkeypatch.setenv("CLAIMTRACK_JOBS", "2")
    dataset = pipeline.load(root, keep_claims=False, parallel_min=1)
    assert len(dataset.claims) == 600 and dataset.archive_texts == 6 and dataset.quotes == 600
    statuses = {status.value: status.value for status in Status}
    assert all(statuses.get(r.parsed_status or "") is r.parsed_status for r in dataset.claims)
    assert not any(_held(r) for r in dataset.claims)


def test_verify_keeps_no_claim(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``verify`` reports what the pipeline found: it holds no claim (nor its JSON)."""
    import claimtrack.cache

    root = generate.generate(tmp_path / "claims", 40, "flat", archive=True)
    loaded = []
    real = claimtrack.cache.load_dataset

    def keep(*args: Any, **kwargs: Any) -> Any:
        loaded.append(real(*args, **kwargs))
        return loaded[-1]

    monkeypatch.setattr(claimtrack.cache, "load_dataset", keep)
    result: Run = run(["--dir", str(root), "--no-cache", "verify"])
    assert result.exit_code == 0, result.stderr
    assert "40 quotes checked against 1 archived text" in result.stderr
    (dataset,) = loaded
    assert dataset.claims and not any(_held(r) for r in dataset.claims)
