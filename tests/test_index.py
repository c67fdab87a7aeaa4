"""The claims index: warm answers equal cold ones, and the files always win over it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SOURCES_YAML, Run, claim_yaml

from claimtrack.cache import db as index_db
from claimtrack.cache import index, load_dataset, snapshot
from claimtrack.core.query import evaluate
from claimtrack.io import parse

OLD_NS = 1_600_000_000 * 10**9  # 2020: far from "now", so a row is not racy


def _index_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("index-*.sqlite3"))


def _folder(make_claims: Callable[..., Path]) -> Path:
    return make_claims(
        {
            "good": claim_yaml("good"),
            "contested": claim_yaml(
                "contested",
                evidence="\n  - source: wire\n    stance: supports\n"
                "  - source: rebuttal\n    stance: refutes\n    credibility: 2",
            ),
            "missing": claim_yaml("missing", appears_in="nowhere"),
            "mismatch": claim_yaml("mismatch", status="refuted"),
            "typo": claim_yaml("typo", evidence="\n  - source: wire\n    stance: supprts"),
            "stem": claim_yaml("other-name"),
            "dup": claim_yaml("good"),
            "broken": "id: [unclosed\n",
            "sub/nested": claim_yaml("nested"),
        }
    )


def _json(run: Callable[..., Run], *args: str) -> object:
    result = run(list(args))
    return json.loads(result.stdout)


def test_warm_cold_and_no_cache_agree(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path
) -> None:
    folder = _folder(make_claims)
    before = sorted(p.name for p in folder.rglob("*"))
    cold = _json(run, "--dir", str(folder), "validate", "-f", "json")
    assert len(_index_files(_cache_dir)) == 1
    warm = _json(run, "--dir", str(folder), "validate", "-f", "json")
    plain = _json(run, "--no-cache", "--dir", str(folder), "validate", "-f", "json")
    assert cold == warm == plain
    rules = {p["rule"] for p in cold["problems"]}  # type: ignore[index]
    assert {
        "source-missing",
        "status-mismatch",
        "value",
        "id-stem",
        "id-duplicate",
        "yaml-syntax",
    } <= rules
    listed = [
        _json(run, *flags, "--dir", str(folder), "list", "-f", "json")
        for flags in ((), (), ("--no-cache",))
    ]
    assert listed[0] == listed[1] == listed[2]
    counted = [
        _json(run, *flags, "--dir", str(folder), "stats", "-f", "json")
        for flags in ((), (), ("--no-cache",))
    ]
    assert counted[0] == counted[1] == counted[2]
    assert sorted(p.name for p in folder.rglob("*")) == before  # nothing written in the folder


def test_no_cache_writes_no_index(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path
) -> None:
    folder = make_claims({"good": claim_yaml("good")})
    assert run(["--no-cache", "--dir", str(folder), "list"]).exit_code == 0
    assert run(["--dir", str(folder), "list"], env={"CLAIMTRACK_NO_CACHE": "1"}).exit_code == 0
    assert _index_files(_cache_dir) == []
    load_dataset(folder, cache=False)
    assert _index_files(_cache_dir) == []


def _status(run: Callable[..., Run], folder: Path, claim_id: str) -> str:
    records = _json(run, "--dir", str(folder), "list", "-f", "json")
    return next(r["status"] for r in records if r["id"] == claim_id)  # type: ignore[union-attr, index]


def test_an_edit_with_the_same_size_and_mtime_is_seen(
    run: Callable[..., Run], make_claims: Callable[..., Path]
) -> None:
    folder = make_claims({"c": claim_yaml("c")})
    path = folder / "c.yaml"
    assert _status(run, folder, "c") == "sourced"
    # Rewritten in the same clock tick, same size: only the content hash can tell.
    stat = path.stat()
    path.write_text(path.read_text().replace("supports", "refutes "), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert _status(run, folder, "c") == "refuted"


def test_an_edit_that_keeps_an_old_mtime_is_seen(
    run: Callable[..., Run], make_claims: Callable[..., Path]
) -> None:
    folder = make_claims({"c": claim_yaml("c")})
    path = folder / "c.yaml"
    os.utime(path, ns=(OLD_NS, OLD_NS))
    assert _status(run, folder, "c") == "sourced"
    # `cp -p`, `rsync -t` or `touch -r` put the old mtime back; the ctime still moves.
    path.write_text(path.read_text().replace("supports", "refutes "), encoding="utf-8")
    os.utime(path, ns=(OLD_NS, OLD_NS))
    assert _status(run, folder, "c") == "refuted"


def test_added_and_removed_files(run: Callable[..., Run], make_claims: Callable[..., Path]) -> None:
    folder = make_claims({"a": claim_yaml("a"), "b": claim_yaml("b")})
    ids = lambda: [r["id"] for r in _json(run, "--dir", str(folder), "list", "-f", "json")]  # type: ignore[union-attr, index]  # noqa: E731
    assert ids() == ["a", "b"]
    (folder / "b.yaml").unlink()
    (folder / "c.yaml").write_text(claim_yaml("c"), encoding="utf-8")
    assert ids() == ["a", "c"]


def test_a_registry_change_updates_statuses_and_checks(
    run: Callable[..., Run], make_claims: Callable[..., Path]
) -> None:
    folder = make_claims({"c": claim_yaml("c")})
    assert _status(run, folder, "c") == "sourced"
    registry = folder / "sources.yaml"
    registry.write_text(SOURCES_YAML.replace("reliability: B", "reliability: E"), encoding="utf-8")
    assert _status(run, folder, "c") == "unsourced"
    registry.write_text(SOURCES_YAML.replace("id: wire", "id: wire-2"), encoding="utf-8")
    problems = _json(run, "--dir", str(folder), "validate", "-f", "json")["problems"]  # type: ignore[index]
    # evidence[0].source, on the line `  - source: wire` (line 10), at the value (column 13)
    assert [(p["rule"], p["line"], p["col"]) for p in problems] == [("source-missing", 10, 13)]
    plain = _json(run, "--no-cache", "--dir", str(folder), "validate", "-f", "json")
    assert plain["problems"] == problems  # type: ignore[index]


def test_a_damaged_index_is_rebuilt(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path
) -> None:
    folder = make_claims({"c": claim_yaml("c")})
    expected = run(["--dir", str(folder), "list", "-f", "json"]).stdout
    (db,) = _index_files(_cache_dir)
    db.write_bytes(b"this is not a database" * 100)
    assert run(["--dir", str(folder), "list", "-f", "json"]).stdout == expected
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == index_db.SCHEMA_VERSION
        assert con.execute("SELECT count(*) FROM files").fetchone()[0] == 2


def test_another_schema_or_version_is_rebuilt(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path
) -> None:
    folder = make_claims({"c": claim_yaml("c")})
    run(["--dir", str(folder), "list"])
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA user_version = 999")
        con.execute("UPDATE files SET status = 'contested'")  # a lie the rebuild must drop
    assert _status(run, folder, "c") == "sourced"
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = 'another' WHERE key = 'format'")
        con.execute("UPDATE files SET status = 'contested'")
    assert _status(run, folder, "c") == "sourced"


def test_a_row_that_no_longer_validates_is_read_from_the_file(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path
) -> None:
    folder = make_claims({"c": claim_yaml("c"), "d": claim_yaml("d")})
    _age(folder)
    commands = [["show", "c", "-f", "json"], ["list", "-f", "json"], ["list", "-s", "sourced"]]
    expected = [run(["--dir", str(folder), *args]).stdout for args in commands]
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        con.execute("""UPDATE files SET claim_json = '{"id": 1}' WHERE rel = 'c.yaml'""")
    assert [run(["--dir", str(folder), *args]).stdout for args in commands] == expected


@pytest.mark.parametrize(
    "facets", ["not json", "[1, 2]", '["kind", [1], [], 0.5]', "5", '["kind", [], [], NaN]']
)
def test_stats_from_facets_that_do_not_read_back_count_the_claim_itself(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path, facets: str
) -> None:
    folder = make_claims({"c": claim_yaml("c", tags="[economy]")})  # new: rows, no snapshot
    expected = _json(run, "--dir", str(folder), "stats", "-f", "json")
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE files SET facets = ? WHERE rel = 'c.yaml'", (facets,))
    assert _json(run, "--dir", str(folder), "stats", "-f", "json") == expected


def test_an_unusable_cache_folder_means_no_index(
    run: Callable[..., Run], make_claims: Callable[..., Path], tmp_path: Path
) -> None:
    folder = make_claims({"c": claim_yaml("c")})
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    result = run(
        ["--dir", str(folder), "list", "-f", "json"],
        env={"CLAIMTRACK_CACHE_DIR": str(not_a_folder)},
    )
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == ["c"]


def test_the_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path / "explicit"))
    assert index_db.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("CLAIMTRACK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert index_db.cache_dir() == tmp_path / "xdg" / "claimtrack"
    assert index_db.index_file(tmp_path).parent == index_db.cache_dir()
    assert index_db.index_file(tmp_path) != index_db.index_file(tmp_path / "other")


_LOAD = """
import json, sys
from pathlib import Path
from claimtrack.cache import load_dataset
from claimtrack.core.query import evaluate
ds = load_dataset(Path(sys.argv[1]))
print(json.dumps([[r.id, r.path, r.line, r.claim.statement] for r in ds.claims]
                 + [p.format() for p in ds.problems]))
"""


def test_two_processes_building_at_once(make_claims: Callable[..., Path], _cache_dir: Path) -> None:
    files = {f"c{n:03d}": claim_yaml(f"c{n:03d}") for n in range(150)}
    files["bad"] = claim_yaml("bad", confidence="maybe")
    folder = make_claims(files)
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(_cache_dir)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _LOAD, str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert outputs[0][0] == outputs[1][0]
    again = subprocess.run(
        [sys.executable, "-c", _LOAD, str(folder)],
        capture_output=True,
        env=env,
        text=True,
        check=True,
    )
    assert again.stdout == outputs[0][0]
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM files").fetchone()[0] == len(files) + 1
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_registry_edit_reads_again_only_the_claims_it_concerns(
    make_claims: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:

    rebutted = "\n  - source: rebuttal\n    stance: refutes"
    folder = make_claims(
        {"a": claim_yaml("a"), "b": claim_yaml("b"), "c": claim_yaml("c", evidence=rebutted)}
    )
    load_dataset(folder)
    read: list[str] = []
    real = parse.parse_claim

    def counting(root: Path, rel: str, *args: object) -> parse.FileResult:
        read.append(rel)
        return real(root, rel, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parse, "parse_claim", counting)
    registry = folder / "sources.yaml"
    edited = SOURCES_YAML.replace("reliability: C", "reliability: E")
    registry.write_text(edited, encoding="utf-8")
    dataset = load_dataset(folder)
    assert read == ["c.yaml"]  # only c names the rebuttal
    statuses = {e.claim.id: e.status.value for e in evaluate(dataset)}
    assert statuses == {"a": "sourced", "b": "sourced", "c": "unsourced"}
    read.clear()
    registry.write_text(edited + "  - id: unused\n    title: Unused\n", encoding="utf-8")
    assert [r.id for r in load_dataset(folder).claims] == ["a", "b", "c"]
    assert read == []  # a new source no claim names changes nothing
    assert [p.format() for p in load_dataset(folder).problems] == [
        p.format() for p in load_dataset(folder, cache=False).problems
    ]


# --- the snapshot of an unchanged folder -------------------------------------------------------


def _age(folder: Path) -> None:
    """Every file modified long ago: nothing is racy, the snapshot can be used."""
    for path in folder.rglob("*.y*ml"):
        os.utime(path, ns=(OLD_NS, OLD_NS))


READ_COMMANDS = (
    ("validate", "-f", "json"),
    ("list", "-f", "json"),
    ("list", "-s", "contested", "-f", "json"),
    ("stats", "-f", "json"),
    ("show", "contested", "-f", "json"),
    ("report", "-f", "json"),
)


def test_an_unchanged_folder_is_answered_from_the_snapshot(
    run: Callable[..., Run],
    make_claims: Callable[..., Path],
    _cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _folder(make_claims)
    _age(folder)
    plain = [run(["--no-cache", "--dir", str(folder), *args]).stdout for args in READ_COMMANDS]
    built = [run(["--dir", str(folder), *args]).stdout for args in READ_COMMANDS[:1]]

    def no_rows(*args: object) -> None:
        raise AssertionError("the rows were read: the snapshot was not used")

    monkeypatch.setattr(index.Index, "claims", no_rows)
    warm = [run(["--dir", str(folder), *args]).stdout for args in READ_COMMANDS]
    assert built[0] == warm[0]
    assert warm == plain

    def no_counting(*args: object) -> None:
        raise AssertionError("stats counted again: its kept figures were not used")

    monkeypatch.setattr("claimtrack.core.stats.compute", no_counting)
    stats = ("stats", "-f", "json")
    assert run(["--dir", str(folder), *stats]).stdout == plain[READ_COMMANDS.index(stats)]


def test_paths_in_messages_follow_the_working_folder(
    run: Callable[..., Run],
    make_claims: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _folder(make_claims)  # "dup" has the id of "good": the message names dup.yaml
    _age(folder)
    views = []
    for where, shown in ((folder.parent, "claims"), (folder, ".")):
        monkeypatch.chdir(where)
        for flags in ((), (), ("--no-cache",)):  # built, from the snapshot, without the index
            result = run([*flags, "--dir", shown, "validate"])
            views.append(result.stdout)
    outside, inside = views[:3], views[3:]
    assert len(set(outside)) == 1 and len(set(inside)) == 1
    assert "already used by claims/dup.yaml" in outside[0]
    assert "already used by dup.yaml" in inside[0]


@pytest.mark.parametrize(
    "change",
    ["edit, same size, old mtime put back", "add a file", "remove a file", "rename a file"],
)
def test_any_change_to_the_folder_bypasses_the_snapshot(
    run: Callable[..., Run], make_claims: Callable[..., Path], change: str
) -> None:
    folder = make_claims({"c": claim_yaml("c"), "d": claim_yaml("d")})
    _age(folder)
    assert _status(run, folder, "c") == "sourced"
    assert _status(run, folder, "c") == "sourced"  # now from the snapshot
    for _ in range(2):  # the figures are worked out, then kept with the snapshot
        run(["--dir", str(folder), "stats", "-f", "json"])
    path = folder / "c.yaml"
    if change.startswith("edit"):
        path.write_text(path.read_text().replace("supports", "refutes "), encoding="utf-8")
        os.utime(path, ns=(OLD_NS, OLD_NS))
    elif change == "add a file":
        (folder / "e.yaml").write_text(claim_yaml("e"), encoding="utf-8")
        os.utime(folder / "e.yaml", ns=(OLD_NS, OLD_NS))
    elif change == "remove a file":
        (folder / "d.yaml").unlink()
    else:
        (folder / "d.yaml").rename(folder / "sub.yaml")
    expected = run(["--no-cache", "--dir", str(folder), "validate", "-f", "json"]).stdout
    assert run(["--dir", str(folder), "validate", "-f", "json"]).stdout == expected
    listed = run(["--dir", str(folder), "list", "-f", "json"]).stdout
    assert listed == run(["--no-cache", "--dir", str(folder), "list", "-f", "json"]).stdout
    counted = run(["--dir", str(folder), "stats", "-f", "json"]).stdout
    assert counted == run(["--no-cache", "--dir", str(folder), "stats", "-f", "json"]).stdout


def test_a_recently_modified_file_is_checked_row_by_row(
    make_claims: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_claims({"c": claim_yaml("c")})  # modified just now: racy
    first = load_dataset(folder, cache=True)
    calls: list[object] = []
    real = index.Index.claims
    monkeypatch.setattr(index.Index, "claims", lambda *a: calls.append(a) or real(*a))
    again = load_dataset(folder, cache=True)
    assert calls, "a snapshot taken within a clock tick of a change must not be believed"
    assert [r.id for r in again.claims] == [r.id for r in first.claims]


@pytest.mark.parametrize("memo", ['{"stats": "figures"}', '{"stats": {"claims": 999}}', "[]"])
def test_kept_figures_that_do_not_fit_the_folder_are_worked_out_again(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path, memo: str
) -> None:
    folder = _folder(make_claims)
    _age(folder)
    expected = run(["--no-cache", "--dir", str(folder), "stats", "-f", "json"]).stdout
    assert run(["--dir", str(folder), "stats", "-f", "json"]).stdout == expected
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE snapshot SET memo = ?", (memo,))
    assert run(["--dir", str(folder), "stats", "-f", "json"]).stdout == expected
    assert run(["--dir", str(folder), "stats"]).exit_code == 1  # the folder has errors


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE snapshot SET body = 'not json'",
        "UPDATE snapshot SET body = '{}'",
        """UPDATE snapshot SET body = '{"files": 1, "sources": 5}'""",
        "UPDATE snapshot_claims SET status = 'believed' WHERE pos = 0",
        "UPDATE snapshot_claims SET line = 'first' WHERE pos = 0",
    ],
)
def test_a_damaged_snapshot_is_rebuilt(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path, damage: str
) -> None:
    folder = _folder(make_claims)
    _age(folder)
    expected = run(["--dir", str(folder), "list", "-f", "json"]).stdout
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        con.execute(damage)
    # Every claim, in a listing the index did not keep (a kept one is written as it was made,
    # without reading the snapshot's rows).
    every = ("--limit", "999")
    assert run(["--dir", str(folder), "list", "-f", "json", *every]).stdout == expected
    assert run(["--dir", str(folder), "validate", "-f", "json"]).exit_code == 1
    with sqlite3.connect(db) as con:  # written again, whole
        assert con.execute("SELECT body FROM snapshot").fetchone()[0].startswith('{"files"')
        assert {row[0] for row in con.execute("SELECT status FROM snapshot_claims")} <= {
            "contested",
            "refuted",
            "unsourced",
            "sourced",
        }


# --- what is kept with the snapshot: claims as JSON records, rendered reports ------------------

REPORT_FORMATS = ("md", "json", "html", "junit", "sarif", "github")


def _kept_folder(make_claims: Callable[..., Path]) -> Path:
    """:func:`_folder` plus a claim and its negation: both are contested by each other, though
    each one's own evidence makes it sourced (its kept status); and a dated quantity (whether
    it is stale depends on the day)."""
    folder = _folder(make_claims)
    dated = "\n  value: 53000\n  unit: barrels per day\n  as_of: 2024\n  measure: exports"
    (folder / "dated.yaml").write_text(claim_yaml("dated", quantity=dated), encoding="utf-8")
    (folder / "yes.yaml").write_text(claim_yaml("yes"), encoding="utf-8")
    (folder / "no.yaml").write_text(claim_yaml("no", negates="yes"), encoding="utf-8")
    _age(folder)
    return folder


def _output_args() -> list[tuple[str, ...]]:
    lists = [("list", "-f", f) for f in ("json", "jsonl")]
    lists += [("list", "-s", "contested", "-f", f) for f in ("json", "jsonl")]
    reports = [("report", "-f", f) for f in REPORT_FORMATS]
    reports.append(("report", "-f", "md", "--fail-on", "contested,unsourced"))
    return lists + reports


def _outputs(
    run: Callable[..., Run], folder: Path, *flags: str, which: slice = slice(None)
) -> list[Run]:
    return [run([*flags, "--dir", str(folder), *args]) for args in _output_args()[which]]


def test_kept_records_and_reports_are_written_again_without_building_a_claim(
    run: Callable[..., Run],
    make_claims: Callable[..., Path],
    _cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _kept_folder(make_claims)
    plain = _outputs(run, folder, "--no-cache")
    contested = json.loads(plain[2].stdout)
    assert {"yes", "no", "contested"} <= {c["id"] for c in contested}
    assert plain[-1].exit_code == 1 and "policy failed" in plain[-1].stderr
    run(["--dir", str(folder), "validate"])  # the snapshot is taken
    assert _outputs(run, folder) == plain  # made, and kept
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        records = dict(con.execute("SELECT rel, record FROM records").fetchall())
        kept = con.execute("SELECT count(*) FROM snapshot_outputs").fetchone()[0]
    listed = json.loads(plain[0].stdout)
    assert len(records) == len(listed)  # every claim, once
    assert all(json.loads(text)["path"].endswith("/" + rel) for rel, text in records.items())
    assert kept == index_db.KEPT_OUTPUTS  # the most recent outputs only

    def built(*args: object) -> None:
        raise AssertionError("a claim was built: what was kept was not used")

    from claimtrack.io.records import CachedClaimRecord

    monkeypatch.setattr(CachedClaimRecord, "_build", built)
    monkeypatch.setattr("claimtrack.render.json.to_record", built)
    monkeypatch.setattr("claimtrack.rules.report.build_report", built)
    last = slice(-index_db.KEPT_OUTPUTS, None)
    assert _outputs(run, folder, which=last) == plain[last]  # the kept outputs, as kept
    assert _outputs(run, folder, which=slice(4)) == plain[:4]  # every listing, from its records


@pytest.mark.parametrize(
    "options",
    [
        (),
        ("--max-age-days", "0"),
        ("--link-base", "https://example.org/r/"),
        ("--fail-on", "contested"),
    ],
)
def test_a_kept_report_is_that_of_the_same_options(
    run: Callable[..., Run], make_claims: Callable[..., Path], options: tuple[str, ...]
) -> None:
    folder = _kept_folder(make_claims)
    run(["--dir", str(folder), "validate"])
    others = [("--max-age-days", "1"), ("--link-base", "https://example.net/"), ()]
    for other in others:  # other reports kept first: none of them may answer for this one
        run(["--dir", str(folder), "report", "-f", "md", *other])
    report = ["--dir", str(folder), "report", "-f", "md", *options]
    expected = run(["--no-cache", *report])
    assert run(report) == expected == run(report)
    on_another_day = {"SOURCE_DATE_EPOCH": "4102444800"}  # 2100: every dated claim is stale
    later = run(["--no-cache", *report], env=on_another_day)
    assert run(report, env=on_another_day) == later
    assert later.stdout != expected.stdout


def test_kept_outputs_go_when_the_folder_changes(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path
) -> None:
    folder = _kept_folder(make_claims)
    run(["--dir", str(folder), "validate"])
    _outputs(run, folder)
    path = folder / "yes.yaml"
    path.write_text(path.read_text().replace("supports", "refutes "), encoding="utf-8")
    os.utime(path, ns=(OLD_NS, OLD_NS))  # same size and mtime: only the ctime tells
    assert _outputs(run, folder) == _outputs(run, folder, "--no-cache")
    assert _outputs(run, folder) == _outputs(run, folder, "--no-cache")  # kept again


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE records SET record = 'not a record'",
        "UPDATE records SET record = 42",
        """UPDATE records SET record = '{"id": "someone-else"}'""",
        "UPDATE snapshot_outputs SET body = x'00ff'",
        "UPDATE snapshot_outputs SET body = substr(body, 1, length(body) - 4)",
        "UPDATE snapshot_outputs SET meta = '[]'",
        """UPDATE snapshot_outputs SET meta = '{"failed": "no", "failing": 0}'""",
        "UPDATE snapshot_outputs SET meta = 'not json'",
        "UPDATE snapshot_outputs SET meta = json_set(meta, '$.size', 1)",
        "UPDATE snapshot_outputs SET meta = json_set(meta, '$.size', -3)",
        "UPDATE snapshot_outputs SET meta = json_set(meta, '$.size', 1e300)",
        "UPDATE snapshot_outputs SET meta = json_set(meta, '$.size', 1e13)",
        "UPDATE snapshot_outputs SET meta = json_set(meta, '$.size', 999999999)",
    ],
)
def test_damaged_kept_outputs_are_made_again(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path, damage: str
) -> None:
    folder = _kept_folder(make_claims)
    run(["--dir", str(folder), "validate"])
    expected = _outputs(run, folder)
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        con.execute(damage)
    assert _outputs(run, folder) == expected


def test_step_summaries_are_not_taken_from_what_was_kept_and_text_is_kept_by_screen(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path, tmp_path: Path
) -> None:
    folder = _kept_folder(make_claims)
    run(["--dir", str(folder), "validate"])
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    report = ["--dir", str(folder), "report", "-f", "md", "--summary"]
    first, second = run(report, env=env), run(report, env=env)
    assert first == second
    assert summary.read_text(encoding="utf-8") == first.stdout * 2  # appended both times
    (db,) = _index_files(_cache_dir)

    def kept() -> int:
        with sqlite3.connect(db) as con:
            return int(con.execute("SELECT count(*) FROM snapshot_outputs").fetchone()[0])

    assert kept() == 0
    # The text format is drawn for a screen: kept by its width (and colour, and encoding).
    text = ["--dir", str(folder), "report", "-f", "text"]
    wide, again = run(text), run(text)
    assert "contested" in wide.stdout and wide == again
    assert kept() == 1
    narrow = run(text, env={"COLUMNS": "60"})
    assert kept() == 2
    assert narrow.stdout != wide.stdout
    # wrapped for 60 columns; a path too long for them is never cut (it goes on a line alone)
    lines = narrow.stdout.splitlines()
    assert all(len(line) <= 60 or line.strip().startswith(str(folder)) for line in lines)
    assert f"{folder / 'contested.yaml'}:1" in [line.strip() for line in lines]


# --- a kept folder's claims are read when, and as far as, a command needs them -----------------

NEEDS = {
    ("validate", "-f", "json"): [],
    ("stats", "-f", "json"): [],
    ("report", "-f", "md"): [],
    ("show", "contested", "-f", "json"): ["contested"],
    ("list", "-s", "contested", "-f", "json"): ["of status"],
    ("list", "-f", "json"): [None],
}


def test_a_kept_folder_reads_only_the_claims_a_command_needs(
    run: Callable[..., Run], make_claims: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("claimtrack.api.KEPT_LISTING_BYTES", -1)  # listings made each time
    folder = _kept_folder(make_claims)
    plain = {args: run(["--no-cache", "--dir", str(folder), *args]) for args in NEEDS}
    for args in [("validate",), *NEEDS]:  # the snapshot; stats' figures and the report kept
        run(["--dir", str(folder), *args])
    read: list[str | None] = []
    records, of_status = snapshot.SnapshotRows.records, snapshot.SnapshotRows.of_status

    def record(self: snapshot.SnapshotRows, claim_id: str | None = None) -> object:
        read.append(claim_id)
        return records(self, claim_id)

    def status(self: snapshot.SnapshotRows, *args: Any) -> object:
        read.append("of status")
        return of_status(self, *args)

    monkeypatch.setattr(snapshot.SnapshotRows, "records", record)
    monkeypatch.setattr(snapshot.SnapshotRows, "of_status", status)
    for args, needs in NEEDS.items():
        read.clear()
        assert run(["--dir", str(folder), *args]) == plain[args], args
        assert read == needs, args


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "-s", "contested,refuted", "--sort", "-confidence", "--limit", "2"),
        ("list", "-f", "csv", "--tag", "nope"),
        ("list", "-f", "md", "-x"),
    ],
)
def test_a_kept_listing_is_written_as_it_was_made_reading_no_row(
    run: Callable[..., Run],
    make_claims: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
) -> None:
    """The second time the same listing of an unchanged folder is asked for, the index writes
    the one it kept, with the same notes on stderr (a cut list, an unknown tag): no row of the
    snapshot is read, no claim built. Another terminal width is another listing."""
    folder = _kept_folder(make_claims)
    expected = run(["--no-cache", "--dir", str(folder), *args])
    run(["--dir", str(folder), "validate"])
    assert run(["--dir", str(folder), *args]) == expected  # made, and kept

    def read(*_: object) -> None:
        raise AssertionError("the snapshot's rows were read: the kept listing was not used")

    with monkeypatch.context() as patched:
        patched.setattr(snapshot.SnapshotRows, "records", read)
        patched.setattr(snapshot.SnapshotRows, "of_status", read)
        assert run(["--dir", str(folder), *args]) == expected
        narrow = run(["--dir", str(folder), *args], env={"COLUMNS": "61"})
    assert narrow.exit_code == 2 and "the snapshot's rows were read" in narrow.stderr
    assert run(["--dir", str(folder), *args], env={"COLUMNS": "61"}) == run(
        ["--no-cache", "--dir", str(folder), *args], env={"COLUMNS": "61"}
    )


@pytest.mark.parametrize("args", list(NEEDS))
@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE snapshot_claims SET status = 'believed'",
        "UPDATE snapshot_claims SET line = 'first'",
        "UPDATE snapshot_claims SET sha = 7",
    ],
)
def test_damaged_rows_of_a_kept_folder_are_read_from_the_files(
    run: Callable[..., Run],
    make_claims: Callable[..., Path],
    _cache_dir: Path,
    args: tuple[str, ...],
    damage: str,
) -> None:
    folder = _kept_folder(make_claims)
    expected = run(["--no-cache", "--dir", str(folder), *args])
    run(["--dir", str(folder), "validate"])
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        con.execute(damage)
    assert run(["--dir", str(folder), *args]) == expected
    assert run(["--dir", str(folder), *args]) == expected


def test_a_kept_folder_reads_its_claims_as_they_were_when_it_was_loaded(
    make_claims: Callable[..., Path],
) -> None:
    from claimtrack.core.dataset import LazyDataset

    folder = make_claims({"c": claim_yaml("c"), "d": claim_yaml("d")})
    _age(folder)
    load_dataset(folder)  # the snapshot is taken
    kept = load_dataset(folder)
    assert isinstance(kept, LazyDataset) and kept.claim_count == 2
    (folder / "e.yaml").write_text(claim_yaml("e"), encoding="utf-8")
    _age(folder)
    assert load_dataset(folder).claim_count == 3  # and a new snapshot is written meanwhile
    assert [r.id for r in kept.claims] == ["c", "d"]  # the claims of kept's own snapshot
    assert kept.digests is not None and "e.yaml" not in kept.digests
    assert [r.id for r in load_dataset(folder).claims] == ["c", "d", "e"]


def test_after_an_edit_only_the_records_that_changed_are_made_again(
    run: Callable[..., Run],
    make_claims: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claimtrack.render import json as render_json

    folder = _kept_folder(make_claims)
    listing = ["--dir", str(folder), "list", "-f", "json"]
    run(listing)  # every record made, and kept
    made: list[str] = []
    to_record = render_json.to_record

    def counted(entry: Any) -> dict[str, Any]:
        made.append(entry.record.id)
        return to_record(entry)

    monkeypatch.setattr(render_json, "to_record", counted)

    def listed_after(change: Callable[[], None]) -> list[str]:
        change()
        expected = run(["--no-cache", *listing]).stdout
        made.clear()
        assert run(listing).stdout == expected
        return sorted(made)

    def edit(name: str, old: str, new: str) -> Callable[[], None]:
        def change() -> None:
            path = folder / name
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

        return change

    assert listed_after(lambda: None) == []
    nested = edit("sub/nested.yaml", "Something happened.", "Something else.")
    assert listed_after(nested) == ["nested"]
    # A new negation contradicts the claim it negates: that claim's record changes too.
    assert listed_after(edit("dated.yaml", "id: dated", "id: dated\nnegates: nested")) == [
        "dated",
        "nested",
    ]
    everything = sorted(r["id"] for r in json.loads(run(listing).stdout))
    assert listed_after(edit("sources.yaml", "A wire report", "A wire story")) == everything


def test_records_follow_the_working_folder(
    run: Callable[..., Run], make_claims: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _kept_folder(make_claims)
    for where, shown in ((folder.parent, "claims"), (folder, "."), (folder.parent, "claims")):
        monkeypatch.chdir(where)
        listing = ["--dir", shown, "list", "-f", "json"]
        plain = run(["--no-cache", *listing]).stdout
        assert run(listing).stdout == plain == run(listing).stdout
        assert json.loads(plain)[0]["path"].startswith(shown + "/" if shown != "." else "")


def test_a_kept_report_goes_to_a_file_and_to_a_non_utf8_terminal_as_a_made_one_does(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path, tmp_path: Path
) -> None:
    folder = _kept_folder(make_claims)
    (folder / "accents.yaml").write_text(
        claim_yaml("accents", statement="Chávez said “¿qué?” — 石油."), encoding="utf-8"
    )
    _age(folder)
    made, kept = tmp_path / "made.md", tmp_path / "kept.md"
    run(["--no-cache", "--dir", str(folder), "report", "-o", str(made)])
    run(["--dir", str(folder), "validate"])
    for _ in range(2):  # made and kept, then written from what was kept
        run(["--dir", str(folder), "report", "-o", str(kept)])
    assert kept.read_bytes() == made.read_bytes()
    assert "Chávez said “¿qué?” — 石油." in made.read_text(encoding="utf-8")

    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(_cache_dir), "PYTHONIOENCODING": "latin-1"}
    env.pop("PYTHONUTF8", None)

    def report(*flags: str) -> bytes:
        args = [sys.executable, "-m", "claimtrack", *flags, "--dir", str(folder), "report"]
        return subprocess.run([*args, "-f", "md"], capture_output=True, env=env).stdout

    plain, warm = report("--no-cache"), report()
    assert warm == plain  # as the stream's encoding has it, not UTF-8 bytes
    assert "Chávez said “¿qué?”".encode("latin-1", "backslashreplace") in plain


def test_a_status_filter_past_sqlite_s_parameters_reads_every_row(
    run: Callable[..., Run], make_claims: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _kept_folder(make_claims)  # two claims contradict each other
    run(["--dir", str(folder), "validate"])
    monkeypatch.setattr(snapshot, "MAX_PARAMETERS", 1)
    listing = ["--dir", str(folder), "list", "-s", "contested", "-f", "json"]
    assert run(listing) == run(["--no-cache", *listing])
    assert {"yes", "no"} <= {c["id"] for c in json.loads(run(listing).stdout)}


@pytest.mark.parametrize("lie", ["contested", "refuted", "sourced", "believed", ""])
def test_show_derives_the_status_from_the_claim_not_the_index(
    run: Callable[..., Run], make_claims: Callable[..., Path], _cache_dir: Path, lie: str
) -> None:
    """A tampered row (or snapshot) cannot change what `show` says, in either format."""
    folder = make_claims(
        {"c": claim_yaml("c"), "u": claim_yaml("u", evidence="[]"), "d": claim_yaml("d")}
    )
    _age(folder)
    commands = [["show", claim, *fmt] for claim in ("c", "u") for fmt in ([], ["-f", "json"])]
    expected = [run(["--dir", str(folder), *args]).stdout for args in commands]
    assert '"status": "sourced"' in expected[1] and '"status": "unsourced"' in expected[3]
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE files SET status = ?", (lie,))
        con.execute("UPDATE snapshot_claims SET status = ?", (lie,))
    assert [run(["--dir", str(folder), *args]).stdout for args in commands] == expected


def test_kept_records_are_looked_up_a_screenful_at_a_time(
    run: Callable[..., Run], make_claims: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing asks the index for the kept records of many rows in one query (here two rows
    at a time), never row by row, and writes exactly what it wrote when it made them."""
    from claimtrack.cache.store import ClaimStore, RecordTexts

    monkeypatch.setattr("claimtrack.api.KEPT_LISTING_BYTES", -1)  # each listing made again
    folder = _kept_folder(make_claims)
    run(["--dir", str(folder), "validate"])
    made = [run(["--dir", str(folder), "list", "-f", f]) for f in ("json", "jsonl")]
    looked: list[int] = []
    batched = ClaimStore.kept_records

    def kept_records(self: ClaimStore, wanted: Any) -> dict[str, str]:
        found = batched(self, wanted)
        looked.append(len(found))
        return found

    def one_by_one(*args: object) -> None:
        raise AssertionError("a kept record was looked up row by row")

    monkeypatch.setattr(ClaimStore, "kept_records", kept_records)
    monkeypatch.setattr(ClaimStore, "kept_record", one_by_one)
    monkeypatch.setattr(RecordTexts, "AHEAD", 2)
    again = [run(["--dir", str(folder), "list", "-f", f]) for f in ("json", "jsonl")]
    assert again == made
    rows = len(json.loads(made[0].stdout))
    assert sum(looked) == 2 * rows  # every row's record was kept, and found
    assert max(looked) == 2 and len(looked) == 2 * -(-rows // 2)


def _log_size(cache: Path) -> int:
    (db,) = _index_files(cache)
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_a_large_write_ahead_log_is_folded_into_the_index(
    run: Callable[..., Run],
    make_claims: Callable[..., Path],
    _cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every process that opens the index reads its whole log first: a log left large by a
    build (or by the records a listing kept) is folded into the index by the next command."""
    monkeypatch.setattr(index_db, "WAL_LIMIT", 0)  # any log is "large"
    folder = make_claims({f"c{n}": claim_yaml(f"c{n}") for n in range(30)})
    cold = run(["--dir", str(folder), "validate"]).stdout
    assert _log_size(_cache_dir) == 0  # the build folds what it wrote as it closes
    listed = run(["--dir", str(folder), "list", "--format", "json"]).stdout
    assert _log_size(_cache_dir) > 0  # the records were written while the snapshot was read
    assert run(["--dir", str(folder), "validate"]).stdout == cold
    assert _log_size(_cache_dir) == 0
    assert run(["--dir", str(folder), "list", "--format", "json"]).stdout == listed
    (db,) = _index_files(_cache_dir)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_log_is_left_alone_while_another_process_reads_it(
    run: Callable[..., Run],
    make_claims: Callable[..., Path],
    _cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reader (another command's pager, say) keeps the log: the command neither waits for it
    (the connection's busy timeout is 30 s) nor fails."""
    import time

    monkeypatch.setattr(index_db, "WAL_LIMIT", 0)
    folder = make_claims({f"c{n}": claim_yaml(f"c{n}") for n in range(30)})
    cold = run(["--dir", str(folder), "validate"]).stdout
    run(["--dir", str(folder), "list", "--format", "json"])
    size = _log_size(_cache_dir)
    assert size > 0
    (db,) = _index_files(_cache_dir)
    reader = sqlite3.connect(db, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM records").fetchone()  # holds its view of the log
        started = time.monotonic()
        assert run(["--dir", str(folder), "validate"]).stdout == cold
        assert time.monotonic() - started < 10  # no 30 s wait for the reader
        assert _log_size(_cache_dir) >= size
    finally:
        reader.close()
    assert run(["--dir", str(folder), "validate"]).stdout == cold
    assert _log_size(_cache_dir) == 0
