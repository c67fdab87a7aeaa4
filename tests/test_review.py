"""`claimtrack review`: drafts accepted, edited, split, skipped or rejected; resumed; scripted."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.cache import load_dataset
from claimtrack.edit.review import parts_at, suggested_parts
from conftest import FIXTURES

ARTICLE = FIXTURES / "extract" / "eval" / "council-bridge.txt"
SOURCES = """\
# yaml-language-server: $schema=../schema/sources.schema.json
sources:
- id: council-bridge
  title: Riverton council approves bridge
  publisher: Riverton Ledger
  date: 2026-03-14
  kind: article
- id: note
  title: A note
  kind: article
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A claims folder with the council article archived and registered, and no claims."""
    root = tmp_path / "claims"
    (root / "sources").mkdir(parents=True)
    (root / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (root / "sources" / "council-bridge.txt").write_text(ARTICLE.read_text(), encoding="utf-8")
    return root


def _drafts_inside(run, folder: Path) -> list[Path]:
    done = run(["--dir", str(folder), "extract", str(ARTICLE), "--into", str(folder / "drafts")])
    assert done.exit_code == 0, done.stderr
    return sorted((folder / "drafts").glob("*.yaml"))


def _pending(run, folder: Path, *args: str) -> list[str]:
    listed = run(["--dir", str(folder), "review", *args, "--list"])
    assert listed.exit_code == 0, listed.stderr
    return [line.split("\t")[0] for line in listed.stdout.splitlines()]


def test_accept_skip_reject_then_resume(run, folder: Path) -> None:
    files = _drafts_inside(run, folder)
    first, second, third = (p.stem for p in files[:3])
    result = run(["--dir", str(folder), "review"], input="a\nk\nr\nq\n")
    assert result.exit_code == 0, result.stderr
    # the sentence is shown in its paragraph (plain output marks it »like this«)
    assert "»" in result.stdout and "draft 1 of" in result.stdout
    assert "1 accepted, 1 rejected, 1 skipped" in result.stderr
    accepted = yaml.safe_load((folder / "drafts" / f"{first}.yaml").read_text())
    assert "draft" not in accepted.get("tags", [])
    assert "notes" not in accepted  # the extractor's "check before use" note goes
    assert not (folder / "drafts" / f"{third}.yaml").exists()
    assert (folder / "drafts" / f"{second}.yaml").exists()  # skipped: still a draft
    left = _pending(run, folder)
    assert first not in left and second not in left and third not in left
    assert left[0] == files[3].stem  # resumes with the next undecided draft
    assert run(["--dir", str(folder), "validate"]).exit_code == 0
    assert run(["--dir", str(folder), "fmt", "--check"]).exit_code == 0
    # --restart forgets the skip, so the skipped draft comes back
    assert second in _pending(run, folder, "--restart")


def _drafts_file(run, folder: Path, tmp_path: Path, text: str | None = None) -> Path:
    article = ARTICLE
    if text is not None:
        article = tmp_path / "note.txt"
        article.write_text(text, encoding="utf-8")
    source = "council-bridge" if text is None else "note"
    printed = run(["--dir", str(folder), "extract", str(article), "--source", source])
    assert printed.exit_code == 0, printed.stderr
    path = tmp_path / "drafts.yaml"
    path.write_text(printed.stdout, encoding="utf-8")
    return path


def test_non_interactive_accept_and_reject_from_a_drafts_file(run, folder, tmp_path) -> None:
    drafts = _drafts_file(run, folder, tmp_path)
    ids = _pending(run, folder, str(drafts))
    result = run(
        [
            "--dir",
            str(folder),
            "review",
            str(drafts),
            "--accept",
            ids[0],
            "--accept",
            ids[1],
            "--reject",
            ids[2],
        ]
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.stem for p in folder.glob("*.yaml")) == sorted([ids[0], ids[1], "sources"])
    claim = load_dataset(folder).claim(ids[0]).claim
    assert claim.tags == [] and claim.appears_in == "council-bridge"
    assert run(["--dir", str(folder), "fmt", "--check"]).exit_code == 0
    assert _pending(run, folder, str(drafts))[0] == ids[3]
    assert drafts.read_text(encoding="utf-8").count("\nid: ") >= len(ids) - 1  # file untouched


def test_an_unknown_id_is_refused_before_anything_is_written(run, folder, tmp_path) -> None:
    drafts = _drafts_file(run, folder, tmp_path)
    ids = _pending(run, folder, str(drafts))
    result = run(
        ["--dir", str(folder), "review", str(drafts), "--accept", ids[0], "--reject", "nope"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "nope" in result.stderr
    assert [p.name for p in folder.glob("*.yaml")] == ["sources.yaml"]


def test_an_accepted_claim_is_validated_first(run, folder, tmp_path) -> None:
    drafts = _drafts_file(run, folder, tmp_path)
    text = drafts.read_text(encoding="utf-8").replace("source: council-bridge", "source: gone")
    drafts.write_text(text, encoding="utf-8")
    first = _pending(run, folder, str(drafts))[0]
    result = run(["--dir", str(folder), "review", str(drafts), "--accept", first])
    assert result.exit_code == 1
    assert "gone" in result.stderr and "refused" in result.stderr
    assert [p.name for p in folder.glob("*.yaml")] == ["sources.yaml"]
    assert first in _pending(run, folder, str(drafts))  # still to review


EDITOR = """\
import sys
path = sys.argv[-1]
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(text.replace("confidence: {old}", "confidence: {new}"))
"""


def test_edit_validates_then_accept(run, folder, tmp_path) -> None:
    drafts = _drafts_file(run, folder, tmp_path, "The mayor said the bridge cost $48 million.\n")
    (first,) = _pending(run, folder, str(drafts))
    bad, good = tmp_path / "bad.py", tmp_path / "good.py"
    bad.write_text(EDITOR.format(old="very likely", new="sure"))
    good.write_text(EDITOR.format(old="very likely", new="almost certain"))
    refused = run(
        ["--dir", str(folder), "review", str(drafts)],
        input="e\nn\nq\n",
        env={"EDITOR": f"{sys.executable} {bad}", "VISUAL": ""},
    )
    assert "confidence" in refused.stderr and "not saved" in refused.stderr
    result = run(
        ["--dir", str(folder), "review", str(drafts)],
        input="e\na\n",
        env={"EDITOR": f"{sys.executable} {good}", "VISUAL": ""},
    )
    assert result.exit_code == 0, result.stderr
    claim = load_dataset(folder).claim(first).claim
    assert claim.confidence.word == "almost certain" and claim.quantity is not None


def test_split_into_parts_each_reviewed(run, folder, tmp_path) -> None:
    text = "Construction will take 30 months, and the road will close for up to 10 weeks.\n"
    drafts = _drafts_file(run, folder, tmp_path, text)
    result = run(["--dir", str(folder), "review", str(drafts)], input="s\n\na\na\n")
    assert result.exit_code == 0, result.stderr
    claims = {r.claim.quote: r.claim for r in load_dataset(folder).claims}
    assert set(claims) == {
        "Construction will take 30 months",
        "the road will close for up to 10 weeks.",
    }
    weeks = claims["the road will close for up to 10 weeks."].quantity
    assert weeks is not None and (weeks.value, weeks.unit, weeks.bound) == (10, "weeks", "upper")
    assert _pending(run, folder, str(drafts)) == []


def test_split_of_a_draft_in_the_folder_writes_two_drafts(run, folder, tmp_path) -> None:
    article = tmp_path / "note.txt"
    article.write_text("Fares rose 5 percent in 2025; the mayor said they would fall.\n")
    run(
        [
            "--dir",
            str(folder),
            "extract",
            str(article),
            "--source",
            "note",
            "--into",
            str(folder / "drafts"),
        ]
    )
    result = run(["--dir", str(folder), "review"], input="s\nthe mayor\nq\n")
    assert result.exit_code == 0, result.stderr
    quotes = sorted(r.claim.quote or "" for r in load_dataset(folder).claims)
    assert quotes == ["Fares rose 5 percent in 2025", "the mayor said they would fall."]
    assert all("draft" in r.claim.tags for r in load_dataset(folder).claims)


def test_nothing_to_review(run, folder) -> None:
    result = run(["--dir", str(folder), "review"])
    assert result.exit_code == 0 and "no drafts to review" in result.stderr


def test_the_state_is_kept_outside_the_claims_folder(run, folder, tmp_path) -> None:
    drafts = _drafts_file(run, folder, tmp_path)
    first = _pending(run, folder, str(drafts))[0]
    run(["--dir", str(folder), "review", str(drafts)], input="k\nq\n")
    states = list(Path(os.environ["CLAIMTRACK_STATE_DIR"]).glob("review-*.json"))
    assert len(states) == 1
    assert json.loads(states[0].read_text())["decisions"] == {first: "skipped"}
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == [
        "council-bridge.txt",
        "sources.yaml",
    ]


def _read_until(fd: int, wanted: bytes, seen: bytearray) -> None:
    while wanted not in seen:
        ready, _, _ = select.select([fd], [], [], 30)
        assert ready, f"no {wanted!r} in {bytes(seen)!r}"
        chunk = os.read(fd, 4096)
        assert chunk, bytes(seen)
        seen.extend(chunk)


def test_the_prompt_loop_at_a_terminal(run, folder) -> None:
    import pty

    files = _drafts_inside(run, folder)
    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "EDITOR": "true"}
    process = subprocess.Popen(
        [sys.executable, "-m", "claimtrack", "--dir", str(folder), "review"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = bytearray()
    try:
        _read_until(leader, b"[q]uit:", seen)
        assert b"draft 1 of" in seen
        os.write(leader, b"x\n")  # not a choice: asked again
        _read_until(leader, b"not a choice", seen)
        os.write(leader, b"a\n")
        _read_until(leader, b"draft 2 of", seen)
        os.write(leader, b"q\n")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    accepted = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    assert "draft" not in accepted.get("tags", [])


@given(st.text(max_size=200))
def test_split_parts_are_pieces_of_the_quote(quote: str) -> None:
    for part in suggested_parts(quote):
        assert part and part in quote


def test_parts_at_a_phrase() -> None:
    assert parts_at("Fares rose; the mayor said so.", "the mayor") == [
        "Fares rose",
        "the mayor said so.",
    ]


def test_a_bad_draft_in_a_file_does_not_hide_the_good_ones(run, folder, tmp_path) -> None:
    drafts = _drafts_file(run, folder, tmp_path)
    good = drafts.read_text(encoding="utf-8")
    drafts.write_text("id: [unclosed\n---\n- a list\n---\n" + good, encoding="utf-8")
    result = run(["--dir", str(folder), "review", str(drafts), "--list"])
    assert result.exit_code == 0
    assert f"{drafts}" in result.stderr and "line 1" in result.stderr and "line 3" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) == good.count("\nid: ") + good.startswith("id: ")


def test_an_id_taken_meanwhile_is_shown_and_the_review_goes_on(run, folder, tmp_path) -> None:
    drafts = _drafts_file(run, folder, tmp_path)
    first = _pending(run, folder, str(drafts))[0]
    run(["--dir", str(folder), "review", str(drafts), "--accept", first, "--restart"])
    again = run(["--dir", str(folder), "review", str(drafts), "--restart"], input="a\nq\n")
    assert again.exit_code == 0
    assert "already exists" in again.stderr and "edit it (e) or skip it (k)" in again.stderr


def test_listed_statements_stay_on_one_visible_line(run, folder, tmp_path) -> None:
    text = "The mayor said the bridge cost \u202e$48 million\u202c\ttoday.\n"
    drafts = _drafts_file(run, folder, tmp_path, text)
    listed = run(["--dir", str(folder), "review", str(drafts), "--list"])
    assert listed.exit_code == 0, listed.stderr
    (line,) = listed.stdout.splitlines()
    assert "\u202e" not in line and line.count("\t") == 1  # the tab after the id, only


def test_a_drafts_folder_inside_the_claims_folder_is_reviewed_in_place(run, folder) -> None:
    files = _drafts_inside(run, folder)
    inside = folder / "drafts"
    assert _pending(run, folder, str(inside)) == _pending(run, folder)
    result = run(["--dir", str(folder), "review", str(inside), "--accept", files[0].stem])
    assert result.exit_code == 0, result.stderr
    assert "draft" not in yaml.safe_load(files[0].read_text()).get("tags", [])
    assert not (folder / f"{files[0].stem}.yaml").exists()  # no second copy at the top
