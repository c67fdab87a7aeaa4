"""One-claim edits at scale: they find their file by name and read only it and the registry.

The answers must be those of listing the whole folder (``Workspace.claim_files``), whatever the
index says: these tests build the index, then change the folder behind its back.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack.edit.workspace
import claimtrack.io.files
import claimtrack.io.lookup
from claimtrack.cache import load_dataset
from claimtrack.edit.workspace import Workspace
from conftest import ROOT, claim_yaml


def _set(run, folder: Path, claim_id: str, value: str = "0.2"):
    return run(["--dir", str(folder), "set", claim_id, "confidence", value])


def _confidence(path: Path) -> str:
    return next(line for line in path.read_text().splitlines() if line.startswith("confidence"))


@pytest.fixture
def indexed(run):
    """Build the folder's index, as any read command does."""

    def build(folder: Path) -> Path:
        from claimtrack.cache.db import index_file

        assert run(["--dir", str(folder), "list", "--format", "json"]).exit_code in (0, 1)
        assert index_file(folder).is_file()
        return folder

    return build


# -- finding the file -----------------------------------------------------------------------


def test_a_claim_at_the_top_is_found_by_its_name(run, make_claims):
    folder = make_claims({f"claim-{n}": claim_yaml(f"claim-{n}") for n in range(5)})
    result = _set(run, folder, "claim-3")
    assert result.exit_code == 0, result.stderr
    assert _confidence(folder / "claim-3.yaml") == "confidence: 0.2"
    assert _confidence(folder / "claim-2.yaml") == "confidence: likely"


def test_a_claim_in_a_subfolder_is_found(run, make_claims):
    folder = make_claims(
        {"top": claim_yaml("top"), "2026/jan/deep.yaml": claim_yaml("deep")},
    )
    (folder / "sources").mkdir()
    (folder / "sources" / "more.yaml").write_text(
        "id: extra\ntitle: Extra\npublisher: P\nkind: report\n"
    )
    assert _set(run, folder, "deep").exit_code == 0
    assert _confidence(folder / "2026" / "jan" / "deep.yaml") == "confidence: 0.2"
    assert _set(run, folder, "top").exit_code == 0


def test_the_registry_folder_holds_no_claims_but_its_subfolders_do(run, make_claims):
    folder = make_claims({"sources/nested/inner.yaml": claim_yaml("inner")})
    (folder / "sources" / "one.yaml").write_text(
        "id: one\ntitle: One\npublisher: P\nkind: report\n"
    )
    assert _set(run, folder, "inner").exit_code == 0
    result = _set(run, folder, "one")
    assert result.exit_code == 2 and "no claim with id 'one'" in result.stderr


def test_a_file_system_without_link_counts_is_listed(run, make_claims, monkeypatch):
    """Where folders report one link (btrfs, some network file systems) nothing is assumed."""
    folder = make_claims({"archive/old": claim_yaml("old")})
    monkeypatch.setattr(claimtrack.io.lookup, "_link_count", lambda folder: 1)
    assert _set(run, folder, "old").exit_code == 0
    assert _confidence(folder / "archive" / "old.yaml") == "confidence: 0.2"


def test_a_wrong_guess_of_subfolders_is_listed(run, make_claims):
    """A ``sources/`` folder and a hidden one: the link count no longer adds up, so the walk."""
    folder = make_claims({"archive/old": claim_yaml("old")})
    (folder / "sources").mkdir()
    (folder / ".git").mkdir()
    (folder / ".git" / "old.yaml").write_text(claim_yaml("old"))  # hidden: never a claim
    assert _set(run, folder, "old").exit_code == 0
    assert _confidence(folder / "archive" / "old.yaml") == "confidence: 0.2"


def test_links_to_folders_are_not_followed(run, make_claims, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "away.yaml").write_text(claim_yaml("away"))
    folder = make_claims({"here": claim_yaml("here")})
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    result = _set(run, folder, "away")
    assert result.exit_code == 2 and "no claim with id 'away'" in result.stderr


# -- the same answers as before, in the awkward cases ---------------------------------------


def test_an_id_used_twice_is_refused_naming_both_files(run, make_claims, indexed):
    folder = indexed(make_claims({"twice": claim_yaml("twice"), "a/twice": claim_yaml("twice")}))
    result = _set(run, folder, "twice")
    assert result.exit_code == 2
    assert "id 'twice' is used by several files:" in result.stderr
    assert result.stderr.index("a/twice.yaml") < result.stderr.index(f"{folder}/twice.yaml")
    (folder / "a" / "twice.yaml").unlink()
    (folder / "twice.yml").write_text(claim_yaml("twice"))
    result = _set(run, folder, "twice")
    assert result.exit_code == 2 and "twice.yaml, " in result.stderr
    assert _confidence(folder / "twice.yaml") == "confidence: likely"


def test_a_duplicate_made_after_indexing_is_still_seen(run, make_claims, indexed):
    folder = indexed(make_claims({"only": claim_yaml("only")}))
    (folder / "late").mkdir()
    (folder / "late" / "only.yaml").write_text(claim_yaml("only"))
    result = _set(run, folder, "only")
    assert result.exit_code == 2 and "used by several files" in result.stderr


def test_a_file_named_apart_from_its_id_is_found_by_name_and_refused(run, make_claims):
    """As before: the id to give is the file's name, and the write is refused (id-stem)."""
    folder = make_claims({"file-name": claim_yaml("inner-id")})
    before = (folder / "file-name.yaml").read_bytes()
    result = _set(run, folder, "inner-id")
    assert result.exit_code == 2 and "no claim with id 'inner-id'" in result.stderr
    result = _set(run, folder, "file-name")
    assert result.exit_code == 1 and "(id-stem)" in result.stderr
    assert (folder / "file-name.yaml").read_bytes() == before


def test_an_unknown_id_still_names_close_matches(run, make_claims):
    folder = make_claims({"a/minister-said-it": claim_yaml("minister-said-it")})
    result = _set(run, folder, "minister-said")
    assert result.exit_code == 2 and "did you mean: minister-said-it" in result.stderr


def test_ids_that_are_paths_find_nothing(run, make_claims):
    folder = make_claims({"a/inner": claim_yaml("inner")})
    for claim_id in ("a/inner", "../claims/a/inner", ".inner", ""):
        result = _set(run, folder, claim_id)
        assert result.exit_code == 2 and "no claim with id" in result.stderr


# -- a stale index never leads to the wrong file --------------------------------------------


def test_a_file_moved_after_indexing_is_edited_where_it_is(run, make_claims, indexed):
    folder = indexed(make_claims({"mover": claim_yaml("mover"), "stay": claim_yaml("stay")}))
    (folder / "archive").mkdir()
    (folder / "mover.yaml").rename(folder / "archive" / "mover.yaml")
    assert _set(run, folder, "mover").exit_code == 0
    assert not (folder / "mover.yaml").exists()
    assert _confidence(folder / "archive" / "mover.yaml") == "confidence: 0.2"


def test_ids_swapped_inside_files_after_indexing_are_not_edited(run, make_claims, indexed):
    folder = indexed(make_claims({"one": claim_yaml("one"), "two": claim_yaml("two")}))
    (folder / "one.yaml").write_text(claim_yaml("two"))
    (folder / "two.yaml").write_text(claim_yaml("one"))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = _set(run, folder, "one")
    assert result.exit_code == 1 and "(id-stem)" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


# -- add: is the id free? -------------------------------------------------------------------


def _add(run, folder: Path, *extra: str):
    return run(
        [
            "--dir",
            str(folder),
            "add",
            "--statement",
            "Exports fell",
            "--source",
            "article",
            "--attributed-to",
            "A Minister",
            "--kind",
            "official",
            "--confidence",
            "likely",
            "--no-prompt",
            *extra,
        ]
    )


def test_add_refuses_an_id_taken_in_a_subfolder_the_index_does_not_know(run, make_claims, indexed):
    folder = indexed(make_claims({"other": claim_yaml("other")}))
    (folder / "2026").mkdir()
    (folder / "2026" / "exports-fell.yaml").write_text(claim_yaml("exports-fell"))
    result = _add(run, folder, "--id", "exports-fell")
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert not (folder / "exports-fell.yaml").exists()
    result = _add(run, folder)  # the slug of the statement is taken: the next one
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "exports-fell-2\n"
    assert (folder / "exports-fell-2.yaml").is_file()


def test_add_refuses_an_id_taken_by_a_yml_file(run, make_claims):
    folder = make_claims({"exports-fell.yml": claim_yaml("exports-fell")})
    result = _add(run, folder, "--id", "exports-fell")
    assert result.exit_code == 2 and "already exists" in result.stderr


# -- the registry ---------------------------------------------------------------------------


def _evidence(run, folder: Path, claim_id: str, source: str):
    args = ["evidence", "add", claim_id, "--source", source, "--stance", "refutes"]
    return run(["--dir", str(folder), *args])


@pytest.fixture
def index_any_registry(monkeypatch):
    """Take the registry from the index whatever its size (normally only large ones)."""
    monkeypatch.setattr(claimtrack.edit.workspace, "INDEXED_REGISTRY_MIN", 0)


def test_the_registry_comes_from_a_fresh_index(run, make_claims, indexed, index_any_registry):
    folder = indexed(make_claims({"one": claim_yaml("one")}))
    parsed = Workspace(folder, cache=False).sources()
    ws = Workspace(folder)
    assert ws._indexed_sources(ws.registry_files()) is not None
    assert {k: (v.source, v.line) for k, v in ws.sources().items()} == {
        k: (v.source, v.line) for k, v in parsed.items()
    }


def test_a_registry_changed_after_indexing_is_read_again(
    run, make_claims, indexed, index_any_registry
):
    folder = indexed(make_claims({"one": claim_yaml("one")}))
    registry = folder / "sources.yaml"
    registry.write_text(registry.read_text().replace("id: rebuttal", "id: rebuttal-2"))
    ws = Workspace(folder)
    assert ws._indexed_sources(ws.registry_files()) is None
    result = _evidence(run, folder, "one", "rebuttal")
    assert result.exit_code == 1 and "(source-missing)" in result.stderr
    result = _evidence(run, folder, "one", "rebuttal-2")
    assert result.exit_code == 0, result.stderr


def test_no_cache_parses_the_registry(run, make_claims, indexed, index_any_registry):
    folder = indexed(make_claims({"one": claim_yaml("one")}))
    assert Workspace(folder, cache=False)._indexed_sources([folder / "sources.yaml"]) is None


def test_a_damaged_index_is_not_used_nor_repaired(run, make_claims, indexed, index_any_registry):
    from claimtrack.cache.db import index_file

    folder = indexed(make_claims({"one": claim_yaml("one")}))
    index_file(folder).write_bytes(b"not a database")
    ws = Workspace(folder)
    assert ws._indexed_sources(ws.registry_files()) is None
    assert _set(run, folder, "one").exit_code == 0
    assert index_file(folder).read_bytes() == b"not a database"


# -- what a one-claim edit reads ------------------------------------------------------------

_SEEN: list[tuple[str, str]] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    watched = event in ("open", "os.scandir", "os.listdir")
    if _SEEN is not None and watched and args and isinstance(args[0], (str, bytes, os.PathLike)):
        _SEEN.append((event, os.fsdecode(args[0])))


sys.addaudithook(_audit)


@pytest.fixture
def touched() -> Iterator[list[tuple[str, str]]]:
    """The files opened and folders listed while the fixture is in use."""
    global _SEEN
    _SEEN = []
    try:
        yield _SEEN
    finally:
        _SEEN = None


@pytest.mark.parametrize(
    "command",
    [
        ["set", "claim-7", "confidence", "0.3"],
        ["evidence", "add", "claim-7", "--source", "rebuttal", "--stance", "refutes"],
        ["dispute", "claim-7", "--by", "A Ministry"],
        ["edit", "claim-7"],
    ],
)
def test_a_one_claim_edit_reads_only_its_file_and_the_registry(
    run, make_claims, indexed, touched, command, tmp_path
):
    claims = {f"claim-{n}": claim_yaml(f"claim-{n}") for n in range(40)}
    folder = indexed(make_claims(claims))
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "path.write_text(path.read_text().replace('likely', 'very likely'))\n"
    )
    touched.clear()
    env = {"EDITOR": f"{sys.executable} {editor}"}
    result = run(["--dir", str(folder), *command], env=env)
    assert result.exit_code == 0, result.stderr
    opened, listed = _inside(folder, touched)
    assert opened == {"claim-7.yaml", "sources.yaml"}
    assert listed == set()


def _inside(folder: Path, touched: list[tuple[str, str]]) -> tuple[set[str], set[str]]:
    """The files opened in ``folder`` (not the lock, the folder itself, or the atomic write's
    temporary files) and the folders listed."""
    opened, listed = set(), set()
    for event, path in touched:
        if not Path(path).is_relative_to(folder):
            continue
        if event != "open":
            listed.add(path)
        elif path != str(folder) and not Path(path).name.startswith("."):
            opened.add(Path(path).name)
    return opened, listed


def test_add_reads_only_the_registry(run, make_claims, indexed, touched):
    folder = indexed(make_claims({f"claim-{n}": claim_yaml(f"claim-{n}") for n in range(40)}))
    touched.clear()
    assert _add(run, folder).exit_code == 0
    opened, listed = _inside(folder, touched)
    assert opened == {"sources.yaml"}  # the new file is written as a temporary one, renamed
    assert listed == set()
    assert (folder / "exports-fell.yaml").is_file()


# -- the lookup gives the walk's answers ----------------------------------------------------

_FOLDERS = ["", "a/", "a/b/", ".hidden/", "sources/", "sources/deep/", "x.yaml/"]
_NAMES = ["x", "y", "sources", ".x", "x.y"]
_SUFFIXES = [".yaml", ".yml", ".txt"]


@settings(max_examples=60, deadline=None)
@given(
    files=st.sets(
        st.tuples(st.sampled_from(_FOLDERS), st.sampled_from(_NAMES), st.sampled_from(_SUFFIXES)),
        max_size=12,
    ),
    links=st.sets(st.sampled_from(["dirlink", "broken.yaml", "x.yml"]), max_size=3),
)
def test_the_lookup_agrees_with_listing_the_folder(files, links):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "claims"
        root.mkdir()
        for folder, name, suffix in files:
            path = root / f"{folder}{name}{suffix}"
            try:  # x.yaml may be asked for as a file and as a folder: the first one wins
                path.parent.mkdir(parents=True, exist_ok=True)
                if not path.exists():
                    path.write_text("id: x\n")
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                continue
        for link in links:
            if (root / link).exists() or (root / link).is_symlink():
                continue
            target = {"dirlink": root / "a", "broken.yaml": root / "nowhere"}.get(link, root / "a")
            (root / link).symlink_to(target)
        ws = Workspace(root)
        everything = ws.claim_files()
        for stem in {*everything, *_NAMES, "broken", "nowhere", "x.y", "a"}:
            assert ws.files_named(stem) == everything.get(stem, []), stem
        walked = claimtrack.io.files.iter_yaml_files(root)
        assert ws.registry_files() == [
            p for p in walked if claimtrack.edit.workspace._is_registry(root, p)
        ]


def test_the_shipped_claims_are_found_one_by_one(claims_dir):
    ws = Workspace(claims_dir)
    every = ws.claim_files()
    assert {stem: ws.files_named(stem) for stem in every} == every
    assert len(load_dataset(claims_dir).sources) == len(ws.sources())


def _bench_runner(monkeypatch):
    """bench/run.py as a module (it is a script beside the generator, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_run", bench)  # its dataclasses look themselves up
    monkeypatch.setattr(sys, "path", list(sys.path))  # it puts bench/ first, for `generate`
    spec.loader.exec_module(bench)
    return bench


def test_the_benchmark_times_real_edits_and_puts_the_file_back(tmp_path, monkeypatch):
    bench = _bench_runner(monkeypatch)
    folder = bench.generate.generate(tmp_path / "claims", 10, "flat", seed=7)
    path = sorted(folder.glob("*-000004.yaml"))[0]
    before = path.read_bytes()
    timing = bench.timed_edit(folder, path.stem, {**os.environ, "NO_COLOR": "1"}, 2)
    assert timing.ok  # both runs wrote (exit 0: a refused write exits 1)
    assert path.read_bytes() == before


def test_the_benchmark_times_reads_right_after_an_edit(tmp_path, monkeypatch):
    bench = _bench_runner(monkeypatch)
    folder = bench.generate.generate(tmp_path / "claims", 10, "flat", seed=7)
    path = sorted(folder.glob("*-000004.yaml"))[0]
    before = path.read_bytes()
    env = {**os.environ, "NO_COLOR": "1", "CLAIMTRACK_CACHE_DIR": str(tmp_path / "cache")}
    seen: list[bytes] = []
    real = bench.timed

    def timed(args, env, repeat):  # what the read sees: the claim as the edit left it
        seen.append(path.read_bytes())
        return real(args, env, repeat)

    monkeypatch.setattr(bench, "timed", timed)
    args = bench.claimtrack("--dir", str(folder), "show", path.stem)
    timing = bench.timed_after_edit(folder, path.stem, args, env, 2)
    assert timing.ok
    assert [b"confidence: 0.35" in seen[0], b"confidence: 0.65" in seen[1]] == [True, True]
    assert path.read_bytes() == before
