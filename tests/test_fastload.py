"""Fast loading: processes give the same answers as one process, claims are built only when read."""

from __future__ import annotations

import gc
import importlib.util
import io
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import ROOT, SHIPPED_CLAIMS, Run

from claimtrack.cache import load_dataset
from claimtrack.core.dataset import ClaimRecord, Facets
from claimtrack.core.model import Claim
from claimtrack.core.query import Query, entry_of, evaluate, select
from claimtrack.core.vocab import Status
from claimtrack.io import parse, pipeline
from claimtrack.io.files import iter_yaml_files, load_claim_file


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _generator()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """150 generated claims, some with mistakes, plus a duplicate id and a syntax error."""
    root = generate.generate(tmp_path / "claims", 150, "nested", seed=3, broken=0.1)
    valid = next(p for p in sorted(root.rglob("*-0000*.yaml")) if load_claim_file(p, root)[0])
    (root / "article-00000" / "copy.yaml").write_text(valid.read_text(), encoding="utf-8")
    (root / "bad.yaml").write_text("id: x\nstatement: [unclosed\n", encoding="utf-8")
    return root


def _reference(root: Path) -> tuple[list[tuple[str, int, Claim]], list[str]]:
    """What the one-file-at-a-time functions of load.py say about every claim file."""
    records, problems = [], []
    for path in iter_yaml_files(root):
        if path.name == "sources.yaml":
            continue
        record, found = load_claim_file(path, root)
        problems += [p.format() for p in found]
        if record is not None:
            records.append((record.path, record.line, record.claim))
    return records, problems


def test_processes_and_one_process_agree(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_JOBS", "2")
    many = pipeline.load(folder, parallel_min=1)
    one = pipeline.load(folder, parallel_min=10**9)
    assert [p.format() for p in many.problems] == [p.format() for p in one.problems]
    assert [(r.path, r.line, r.claim) for r in many.claims] == [
        (r.path, r.line, r.claim) for r in one.claims
    ]
    assert many.files == one.files == 153
    records, problems = _reference(folder)
    # Every problem of a single file, at its exact LINE:COL, is found by the fast path too.
    assert set(problems) <= {p.format() for p in many.problems}
    assert any("bad.yaml:3:1: [error]" in p for p in problems)  # the unclosed list
    duplicate = [p for p in many.problems if p.rule == "id-duplicate"]
    assert len(duplicate) == 1 and duplicate[0].path.endswith("copy.yaml")
    kept = {(r.path, r.line): r.claim for r in many.claims}
    assert all(kept[(path, line)] == claim for path, line, claim in records if (path, line) in kept)
    assert len(kept) == len(records) - 1  # the duplicate is dropped


def test_the_collector_is_paused_only_during_the_load(folder: Path) -> None:
    assert gc.isenabled()
    load_dataset(folder, cache=False)
    assert gc.isenabled()
    gc.disable()
    try:
        load_dataset(folder, cache=False)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _built(dataset: object) -> list[str]:
    return [r.id for r in dataset.claims if r.__dict__.get("_claim") is not None]  # type: ignore[attr-defined]


def test_a_list_written_claim_by_claim_lets_each_claim_go(folder: Path) -> None:
    import json

    from claimtrack.render.json import iter_list

    load_dataset(folder)  # now the index is warm
    dataset = load_dataset(folder)
    entries = select(evaluate(dataset), Query())
    written = "".join(iter_list(entries))
    assert [r["id"] for r in json.loads(written)] == [e.record.id for e in entries]
    assert _built(dataset) == []  # each claim was built, written and let go
    plain = select(evaluate(load_dataset(folder, cache=False)), Query())
    assert written == "".join(iter_list(plain))


def test_claims_are_built_only_when_read(folder: Path) -> None:
    load_dataset(folder)  # now the index is warm
    dataset = load_dataset(folder)
    assert _built(dataset) == []
    contested = select(evaluate(dataset), Query(statuses=frozenset({Status.CONTESTED})))
    assert contested and _built(dataset) == []  # chosen and sorted by status and id alone
    shown = [e.claim.id for e in contested]  # what a list prints
    assert sorted(_built(dataset)) == sorted(shown)
    fresh = load_dataset(folder)
    some = fresh.claims[7]
    entry = entry_of(fresh, some.id)
    assert entry is not None and entry.record is some
    assert entry.claim.id == some.id
    assert _built(fresh) == [some.id]  # `show` builds one claim, not the folder


def test_a_lazy_status_equals_the_derived_one(folder: Path) -> None:
    load_dataset(folder)
    dataset = load_dataset(folder)
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    from claimtrack.core.status import derive

    for entry in evaluate(dataset):
        full = derive(entry.claim, sources)
        assert entry.derivation == full
        assert (entry.status, entry.derivation.reasons) == (full.status, full.reasons)


def test_validate_keeps_no_claims(folder: Path) -> None:
    dataset = load_dataset(folder, keep_claims=False)
    assert dataset.claims
    assert not any({"_json", "_claim"} & r.__dict__.keys() for r in dataset.claims)
    assert [p.format() for p in dataset.problems] == [
        p.format() for p in load_dataset(folder, cache=False).problems
    ]


def test_the_shipped_claims_load_as_before() -> None:
    dataset = load_dataset(SHIPPED_CLAIMS, cache=False)
    records, problems = _reference(SHIPPED_CLAIMS)
    assert problems == [] and dataset.problems == []
    assert [(r.path, r.line, r.claim) for r in dataset.claims] == records
    load_dataset(SHIPPED_CLAIMS)
    warm = load_dataset(SHIPPED_CLAIMS)  # lazy records equal plain ones, both ways round
    plain = [ClaimRecord(claim, path, line) for path, line, claim in records]
    assert warm.claims == plain and plain == warm.claims


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def start(self, description: str, total: int) -> None:
        self.calls.append(("start", total))

    def advance(self, amount: int) -> None:
        self.calls.append(("advance", amount))

    def stop(self) -> None:
        self.calls.append(("stop", 0))


def test_progress_is_reported_for_long_runs_only(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = _Recorder()
    load_dataset(folder, cache=False, progress=quiet)
    assert quiet.calls == []  # 152 claim files: not a long run
    monkeypatch.setattr(parse, "PROGRESS_MIN", 100)
    shown = _Recorder()
    load_dataset(folder, cache=False, progress=shown)
    assert shown.calls[0] == ("start", 152) and shown.calls[-1] == ("stop", 0)
    assert sum(n for kind, n in shown.calls if kind == "advance") == 152


def test_the_progress_bar_draws_on_a_terminal_only(
    run: Callable[..., Run], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from claimtrack.cli.progress import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(lambda: Console(file=stream, force_terminal=True, width=80))
    bar.start("reading claims", 10)
    bar.advance(10)
    bar.stop()
    assert "reading claims" in stream.getvalue() and "10/10" in stream.getvalue()
    monkeypatch.setattr(parse, "PROGRESS_MIN", 1)
    result = run(["--dir", str(folder), "validate", "--quiet"])  # stderr is not a terminal
    assert result.stderr == ""


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_a_claim_survives_the_index_round_trip(seed: int) -> None:
    import random

    import yaml

    rng = random.Random(seed)
    text = generate.claim_yaml("some-claim", "article-00000", [("wire-00001", "report", "B")], rng)
    claim = Claim.model_validate(yaml.safe_load(text))
    again = Claim.model_validate_json(claim.model_dump_json())
    assert again == claim
    assert again.model_dump() == claim.model_dump()


_FACET_TEXTS = st.one_of(
    st.builds(
        lambda kind, sources, tags, confidence: Facets(
            kind, tuple(sources), tuple(tags), confidence
        ).to_json(),
        st.text(max_size=8),
        st.lists(st.text(max_size=8), max_size=3),
        st.lists(st.text(max_size=8), max_size=3),
        st.floats(0, 1),
    ),
    st.sampled_from(["", "[", "1],[2", '"x"', "[1, 2]", '["k", [1], [], 0.5]', "null", "[]"]),
    st.text(max_size=12),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_FACET_TEXTS, max_size=6))
def test_facets_parsed_in_one_go_equal_parsed_one_by_one(texts: list[str]) -> None:
    one_by_one = [Facets.from_json(text) if text else None for text in texts]
    assert Facets.many_from_json(texts) == one_by_one


@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_characters="/\0"), min_size=1, max_size=4),
            min_size=1,
            max_size=3,
        ),
        max_size=12,
    )
)
def test_the_scan_orders_paths_part_by_part(parts: list[list[str]]) -> None:
    """The scan's folders, each listed in any order, come out as ``sorted(Path)`` has them."""
    from claimtrack.io.scan import CLAIM, Found, _in_order

    files = {"/".join(p): p for p in parts}
    folders = {"/".join(p[:-1]) for p in parts for p in [p[:i] for i in range(1, len(p) + 1)]}
    files = {rel: p for rel, p in files.items() if rel not in folders}  # a name is one or other
    listed: dict[str, tuple[list[Found], list[str]]] = {"": ([], [])}
    for rel, p in reversed(list(files.items())):  # in no particular order
        for i in range(1, len(p)):
            prefix, name = "/".join(p[: i - 1]) + "/" if i > 1 else "", p[i - 1]
            listed.setdefault(prefix + name + "/", ([], []))
            if name not in listed[prefix][1]:
                listed[prefix][1].append(name)
        prefix = "/".join(p[:-1]) + "/" if len(p) > 1 else ""
        listed[prefix][0].append(Found(rel, CLAIM, None))
    by_parts = sorted(files, key=lambda rel: tuple(rel.split("/")))
    assert [f.rel for f in _in_order(listed)] == by_parts
