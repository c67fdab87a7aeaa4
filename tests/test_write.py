"""The write commands over the real CLI: what they change, what they refuse, what they keep."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from claimtrack.cache import load_dataset
from claimtrack.core.model import Claim
from claimtrack.edit.format import CLAIM_KEY_ORDER
from claimtrack.edit.lock import LOCK_NAME
from claimtrack.edit.slugs import slugify
from conftest import SOURCES_YAML, claim_yaml, manual


@pytest.fixture
def folder(make_claims):
    text = "# about this claim\n" + claim_yaml("minister-said-it")
    return make_claims({"minister-said-it": text})


def test_key_order_covers_every_claim_field():
    assert sorted(CLAIM_KEY_ORDER) == sorted(Claim.model_fields)


def test_set_changes_only_the_named_field(run, folder):
    path = folder / "minister-said-it.yaml"
    before = path.read_text().splitlines()
    result = run(["--dir", str(folder), "set", "minister-said-it", "confidence", "very likely"])
    assert result.exit_code == 0, result.stderr
    after = path.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("confidence: likely", "confidence: very likely")]
    assert not (folder / LOCK_NAME).exists()


def test_set_tags_and_unset(run, folder):
    assert run(["--dir", str(folder), "set", "minister-said-it", "tags", "oil,cuba"]).exit_code == 0
    claim = load_dataset(folder).claim("minister-said-it").claim
    assert claim.tags == ["oil", "cuba"]
    assert run(["--dir", str(folder), "set", "minister-said-it", "quote", "--unset"]).exit_code == 0
    assert load_dataset(folder).claim("minister-said-it").claim.quote is None


def test_invalid_write_is_refused_with_located_errors(run, folder):
    path = folder / "minister-said-it.yaml"
    before = path.read_bytes()
    result = run(["--dir", str(folder), "set", "minister-said-it", "status", "sorced"])
    assert result.exit_code == 1
    assert "minister-said-it.yaml:" in result.stderr
    assert "status: unknown value 'sorced'; did you mean 'sourced'" in result.stderr
    assert "the file is unchanged" in result.stderr
    assert path.read_bytes() == before
    assert "Traceback" not in result.stderr


def test_set_refuses_unknown_source_and_unknown_field(run, folder):
    result = run(["--dir", str(folder), "set", "minister-said-it", "appears_in", "nowhere"])
    assert result.exit_code == 1 and "(source-missing)" in result.stderr
    result = run(["--dir", str(folder), "set", "minister-said-it", "colour", "red"])
    assert result.exit_code == 2 and "cannot set 'colour'" in result.stderr


def test_unknown_id_names_close_matches(run, folder):
    result = run(["--dir", str(folder), "set", "minister-said", "status", "sourced"])
    assert result.exit_code == 2 and "did you mean: minister-said-it" in result.stderr


def test_evidence_add_reports_the_status_move(run, folder):
    result = run(
        [
            "--dir",
            str(folder),
            "evidence",
            "add",
            "minister-said-it",
            "--source",
            "rebuttal",
            "--stance",
            "refutes",
            "--credibility",
            "2",
            "--quote",
            "not so",
        ]
    )
    assert result.exit_code == 0, result.stderr
    assert "status: sourced → contested" in result.stderr
    claim = load_dataset(folder).claim("minister-said-it").claim
    assert [(e.source, e.stance.value) for e in claim.evidence] == [
        ("wire", "supports"),
        ("rebuttal", "refutes"),
    ]


def test_evidence_add_keeps_a_written_status_in_step(run, make_claims):
    folder = make_claims({"c-one": claim_yaml("c-one", status="sourced")})
    result = run(
        [
            "--dir",
            str(folder),
            "dispute",
            "c-one",
            "--by",
            "A Ministry",
            "--source",
            "rebuttal",
            "--kind",
            "government",
        ]
    )
    assert result.exit_code == 0, result.stderr
    dataset = load_dataset(folder)
    claim = dataset.claim("c-one").claim
    assert claim.status.value == "contested"
    assert claim.disputed_by[0].name == "A Ministry"
    assert dataset.problems == []


def test_evidence_add_refuses_a_missing_source(run, folder):
    result = run(
        [
            "--dir",
            str(folder),
            "evidence",
            "add",
            "minister-said-it",
            "--source",
            "nope",
            "--stance",
            "supports",
        ]
    )
    assert result.exit_code == 1 and "evidence[1].source" in result.stderr


def test_add_from_flags(run, folder):
    result = run(
        [
            "--dir",
            str(folder),
            "add",
            "--statement",
            "The minister said oil fell.",
            "--source",
            "article",
            "--attributed-to",
            "A Minister",
            "--kind",
            "official",
            "--confidence",
            "0.7",
            "--tag",
            "oil",
            "--quote",
            "oil fell",
        ]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "minister-said-oil-fell\n"
    path = folder / "minister-said-oil-fell.yaml"
    assert path.read_text().startswith("# yaml-language-server: $schema=")
    assert load_dataset(folder).problems == []
    again = run(
        [
            "--dir",
            str(folder),
            "add",
            "--statement",
            "The minister said oil fell.",
            "--source",
            "article",
            "--attributed-to",
            "A Minister",
            "--kind",
            "official",
            "--confidence",
            "likely",
        ]
    )
    assert again.stdout == "minister-said-oil-fell-2\n"
    listed = run(["--dir", str(folder), "fmt", "--check"]).stdout
    assert "minister-said-oil-fell" not in listed  # new files are already canonical


def test_add_missing_fields_without_a_terminal_is_a_usage_error(run, folder):
    result = run(["--dir", str(folder), "add", "--statement", "Something."])
    assert result.exit_code == 2
    assert "--source" in result.stderr and "--kind" in result.stderr


def test_add_prompts_for_missing_fields(run, folder):
    answers = "Cuba mourned for two days.\narticle\nThe Cuban government\ngovernment\nlikely\n"
    result = run(["--dir", str(folder), "add", "--prompt"], input=answers)
    assert result.exit_code == 0, result.stderr
    assert "Statement" in result.stderr and "Statement" not in result.stdout
    claim = load_dataset(folder).claim("cuba-mourned-two-days").claim
    assert claim.attribution.kind.value == "government"


def test_add_with_a_path_like_statement_gives_a_safe_id(run, folder):
    result = run(
        [
            "--dir",
            str(folder),
            "add",
            "--statement",
            "../../etc/passwd",
            "--source",
            "article",
            "--attributed-to",
            "X",
            "--kind",
            "media",
            "--confidence",
            "likely",
        ]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "etc-passwd\n" and (folder / "etc-passwd.yaml").exists()


def test_source_add_round_trips_the_registry(run, folder):
    registry = folder / "sources.yaml"
    registry.write_text("# our sources\n" + SOURCES_YAML)
    result = run(
        [
            "--dir",
            str(folder),
            "source",
            "add",
            "--title",
            "Granma editorial",
            "--publisher",
            "Granma",
            "--kind",
            "article",
            "--reliability",
            "d",
            "--url",
            "https://example.org/g",
        ]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "granma-editorial\n"
    text = registry.read_text()
    assert text.startswith("# our sources\n" + SOURCES_YAML)
    assert "granma-editorial" in load_dataset(folder).sources
    dup = run(["--dir", str(folder), "source", "add", "--id", "wire", "--title", "Again"])
    assert dup.exit_code == 2 and "already exists" in dup.stderr


def test_source_add_creates_the_registry(run, make_claims):
    folder = make_claims({}, sources=None)
    result = run(["--dir", str(folder), "source", "add", "--title", "A report", "--kind", "report"])
    assert result.exit_code == 0, result.stderr
    assert list(load_dataset(folder).sources) == ["report"]


def test_source_rm_refuses_while_cited(run, folder):
    result = run(["--dir", str(folder), "source", "rm", "wire"])
    assert result.exit_code == 2 and "cited by claim minister-said-it" in result.stderr
    assert run(["--dir", str(folder), "source", "rm", "rebuttal"]).exit_code == 0
    assert "rebuttal" not in load_dataset(folder).sources
    forced = run(["--dir", str(folder), "source", "rm", "wire", "--force"])
    assert forced.exit_code == 0 and "still cited by" in forced.stderr


def test_rm_asks_and_refuses_while_mentioned(run, make_claims):
    folder = make_claims(
        {
            "first-claim": claim_yaml("first-claim"),
            "second-claim": claim_yaml("second-claim", notes="Compare with first-claim."),
        }
    )
    assert run(["--dir", str(folder), "rm", "second-claim"], input="n\n").exit_code == 2
    assert (folder / "second-claim.yaml").exists()
    refused = run(["--dir", str(folder), "rm", "first-claim", "--yes"])
    assert refused.exit_code == 2
    assert "mentioned by 1 other claim(s): second-claim" in refused.stderr
    assert run(["--dir", str(folder), "rm", "second-claim"], input="y\n").exit_code == 0
    assert not (folder / "second-claim.yaml").exists()
    assert run(["--dir", str(folder), "rm", "first-claim", "--yes"]).exit_code == 0


def test_mv_renames_id_file_and_mentions(run, make_claims):
    folder = make_claims(
        {
            "first-claim": "# keep me\n" + claim_yaml("first-claim"),
            "second-claim": claim_yaml(
                "second-claim", notes="'See first-claim, not first-claims.'"
            ),
        }
    )
    result = run(["--dir", str(folder), "mv", "first-claim", "renamed-claim"])
    assert result.exit_code == 0, result.stderr
    assert not (folder / "first-claim.yaml").exists()
    assert (folder / "renamed-claim.yaml").read_text().startswith("# keep me\nid: renamed-claim\n")
    notes = (folder / "second-claim.yaml").read_text()
    assert "notes: 'See renamed-claim, not first-claims.'" in notes
    assert load_dataset(folder).problems == []
    taken = run(["--dir", str(folder), "mv", "renamed-claim", "second-claim"])
    assert taken.exit_code == 2 and "already exists" in taken.stderr
    bad = run(["--dir", str(folder), "mv", "renamed-claim", "../escape"])
    assert bad.exit_code == 2 and "must be a slug" in bad.stderr


def test_fmt_check_lists_and_fmt_rewrites_keeping_comments(run, make_claims):
    messy = textwrap.dedent("""\
        statement: Something happened.   # what
        id: messy-claim
        confidence: likely
        attribution: {kind: official, name: A Minister}
        appears_in: article
        tags: [b, a]
        """)
    folder = make_claims({"messy-claim": messy})
    check = run(["--dir", str(folder), "fmt", "--check"])
    assert check.exit_code == 1
    listed = [str(folder / "messy-claim.yaml"), str(folder / "sources.yaml")]
    assert check.stdout.splitlines() == listed
    before = load_dataset(folder)
    assert run(["--dir", str(folder), "fmt"]).exit_code == 0
    text = (folder / "messy-claim.yaml").read_text()
    assert text.splitlines()[:3] == [
        "# yaml-language-server: $schema=../schema/claim.schema.json",
        "id: messy-claim",
        "statement: Something happened.   # what",
    ]
    assert [r.claim for r in load_dataset(folder).claims] == [r.claim for r in before.claims]
    assert run(["--dir", str(folder), "fmt", "--check"]).exit_code == 0


def test_shipped_claims_are_in_canonical_layout(run, claims_dir):
    result = run(["--dir", str(claims_dir), "fmt", "--check"])
    assert result.exit_code == 0, result.stdout


def test_fmt_skips_a_broken_file(run, make_claims):
    folder = make_claims({"broken": "id: [unclosed\n"})
    result = run(["--dir", str(folder), "fmt"])
    assert result.exit_code == 1 and "broken.yaml:" in result.stderr
    assert (folder / "broken.yaml").read_text() == "id: [unclosed\n"


def test_fmt_leaves_a_huge_claim_file_alone_and_says_so(run, make_claims):
    """A 2 MB statement would take seconds to lay out: the file is reported, the others are
    checked as usual."""
    huge = "id: huge\nstatement: " + "x" * 300_000 + "\n"
    folder = make_claims({"huge": huge, "untidy": "id: untidy\nstatement:   s\n"})
    result = run(["--dir", str(folder), "fmt", "--check"])
    assert result.exit_code == 1
    assert "huge.yaml:1:1: [error] a claim file of 293 KiB is left as is" in result.stderr
    assert "fmt-too-large" in result.stderr and "untidy.yaml" in result.stdout
    assert run(["--dir", str(folder), "fmt"]).exit_code == 1
    assert (folder / "huge.yaml").read_text() == huge


def test_init_creates_a_working_folder(run, tmp_path):
    result = run(["init", str(tmp_path / "proj")])
    assert result.exit_code == 0, result.stderr
    claims = tmp_path / "proj" / "claims"
    assert (tmp_path / "proj" / "schema" / "claim.schema.json").exists()
    assert (claims / "README.md").exists()
    assert ".claimtrack.lock" in (claims / ".gitignore").read_text()
    assert run(["--dir", str(claims), "validate"]).exit_code == 0
    added = run(["--dir", str(claims), "source", "add", "--title", "First", "--kind", "report"])
    assert added.exit_code == 0, added.stderr
    assert "- id: first" in (claims / "sources.yaml").read_text()
    again = run(["init", str(tmp_path / "proj")])
    assert again.exit_code == 2 and "not empty" in again.stderr


EDITOR = """\
import pathlib, sys
path = pathlib.Path(sys.argv[-1])
count = pathlib.Path(sys.argv[1])
n = int(count.read_text()) if count.exists() else 0
count.write_text(str(n + 1))
text = path.read_text()
steps = sys.argv[2].split(",")
step = steps[min(n, len(steps) - 1)]
if step == "bad":
    path.write_text(text.replace("confidence: likely", "confidence: sure"))
elif step == "good":
    path.write_text(text.replace("confidence: sure", "confidence: likely").replace(
        "confidence: likely", "confidence: very likely"))
"""


@pytest.fixture
def editor(tmp_path):
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)

    def command(steps: str) -> dict[str, str]:
        return {"EDITOR": f"{sys.executable} {script} {tmp_path / 'count'} {steps}"}

    return command


def test_edit_saves_valid_text(run, folder, editor):
    result = run(["--dir", str(folder), "edit", "minister-said-it"], env=editor("good"))
    assert result.exit_code == 0, result.stderr
    assert load_dataset(folder).claim("minister-said-it").claim.confidence.word == "very likely"
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_edit_invalid_then_reopen(run, folder, editor):
    result = run(
        ["--dir", str(folder), "edit", "minister-said-it"], input="y\n", env=editor("bad,good")
    )
    assert result.exit_code == 0, result.stderr
    assert ".minister-said-it.edit.yaml:" in result.stderr and "confidence" in result.stderr
    assert load_dataset(folder).claim("minister-said-it").claim.confidence.word == "very likely"


def test_edit_invalid_and_give_up_keeps_the_text(run, folder, editor):
    path = folder / "minister-said-it.yaml"
    before = path.read_bytes()
    result = run(["--dir", str(folder), "edit", "minister-said-it"], input="n\n", env=editor("bad"))
    assert result.exit_code == 1
    recovery = folder / ".minister-said-it.edit.yaml"
    assert f"kept in {recovery}" in result.stderr
    assert "confidence: sure" in recovery.read_text()
    assert path.read_bytes() == before
    assert load_dataset(folder).problems == []  # the recovery file is not a claim
    resumed = run(
        ["--dir", str(folder), "edit", "minister-said-it"], input="y\n", env=editor("good")
    )
    assert resumed.exit_code == 0, resumed.stderr
    assert not recovery.exists()


def test_edit_without_an_editor(run, folder):
    result = run(
        ["--dir", str(folder), "edit", "minister-said-it"], env={"EDITOR": "", "VISUAL": ""}
    )
    assert result.exit_code == 2 and "$EDITOR" in result.stderr


def test_untrusted_text_is_escaped_in_messages(run, folder):
    result = run(["--dir", str(folder), "set", "minister-said-it", "tags", "bad\x1b[31m"])
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\\x1b" in result.stderr


@pytest.mark.parametrize(
    "statement,expected",
    [
        ("Hugo Chávez died in 2013.", "hugo-chavez-died-2013"),
        ("The", "the"),
        ("!!!", "claim"),
        ("CON", "con-claim"),
    ],
)
def test_slugify(statement, expected):
    assert slugify(statement) == expected


def test_written_files_are_found_by_the_loader_only(folder: Path, run):
    run(["--dir", str(folder), "set", "minister-said-it", "notes", "a note"])
    assert sorted(p.name for p in folder.iterdir()) == ["minister-said-it.yaml", "sources.yaml"]


WRITE_COMMANDS = [
    ["init"],
    ["add"],
    ["edit"],
    ["set"],
    ["evidence", "add"],
    ["dispute"],
    ["source", "add"],
    ["source", "rm"],
    ["rm"],
    ["mv"],
    ["fmt"],
    ["log"],
    ["diff"],
]


@pytest.mark.parametrize("command", WRITE_COMMANDS, ids=" ".join)
def test_every_new_command_has_help_and_a_readme_section(run, command):
    result = run([*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.stdout
    readme = manual()
    assert f"### `claimtrack {' '.join(command)}" in readme


def test_fmt_of_a_large_folder_over_the_cores_says_what_one_process_says(run, make_claims):
    files = {f"c{i:04d}": claim_yaml(f"c{i:04d}") for i in range(520)}
    files["c0003"] = "id: c0003\n  bad: [indent\n"  # not YAML
    files["c0007"] = "statement: x\nid: c0007\n"  # keys out of the canonical order
    folder = make_claims(files)
    one = run(["--dir", str(folder), "fmt", "--check"], env={"CLAIMTRACK_JOBS": "1"})
    two = run(["--dir", str(folder), "fmt", "--check"], env={"CLAIMTRACK_JOBS": "2"})
    assert (one.exit_code, one.stdout, one.stderr) == (two.exit_code, two.stdout, two.stderr)
    assert one.exit_code == 1 and "c0007.yaml" in one.stdout and "c0003.yaml" in one.stderr
