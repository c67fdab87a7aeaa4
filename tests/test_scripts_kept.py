"""Text kept as written: the Persian-script, Hindi, Tamil, Malayalam, Telugu and Arabic strings of
the real fact checks, joiners (ZWNJ, ZWJ) included, byte for byte through import, `show`, every
report format and every export; only deceptive characters are shown as codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SHARED

from claimtrack.core import escape

COMPLETE = SHARED / "data" / "claimreview" / "claimreview-claimskg.jsonld"
ZWNJ, ZWJ = "\u200c", "\u200d"


def _statements() -> dict[str, str]:
    """One real statement per script (by a word it holds), as the record has it."""
    records = json.loads(COMPLETE.read_text(encoding="utf-8"))
    wanted = {
        "persian script (urdu)": "بیچارہ پولیس",
        "hindi": "लॉकडाउन लगेगा",
        "tamil": "சாத்தான்குளம்",
        "malayalam with zwnj": "ഫെയ്\u200cസ്ബുക്ക്",
        "telugu with zwnj": "మాస్క్\u200cలు",
        "arabic": "هذا المقطع قديم لرئيس السودان",
    }
    found = {}
    for name, word in wanted.items():
        (statement,) = {r["claimReviewed"] for r in records if word in r["claimReviewed"]}
        found[name] = statement
    return found


STATEMENTS = _statements()
STRINGS = [*STATEMENTS.values(), "കെ\u200cഎ മുസ്തഫ", "गमराह\u200dकन"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from claimtrack.cli import app

    root = tmp_path_factory.mktemp("scripts") / "claims"
    root.mkdir()
    result = CliRunner().invoke(
        app, ["--no-cache", "--dir", str(root), "import", str(COMPLETE), "--write"]
    )
    assert result.exit_code == 0, result.stderr
    return root


def _id_of(folder: Path, statement: str) -> str:
    from claimtrack.cache import load_dataset

    dataset = load_dataset(folder, cache=False)
    (claim_id,) = [r.claim.id for r in dataset.claims if r.claim.statement == statement]
    return claim_id


def test_the_real_data_has_joiners():
    assert ZWNJ in STATEMENTS["malayalam with zwnj"] and ZWNJ in STATEMENTS["telugu with zwnj"]


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_import_and_show_keep_the_text(run, folder, name):
    statement = STATEMENTS[name]
    claim_id = _id_of(folder, statement)  # the claim holds the record's text exactly
    raw = (folder / f"{claim_id}.yaml").read_bytes()
    # written as it is, never as \u escapes (only YAML's quoting of the quotes around it)
    assert statement.strip("\"'").encode("utf-8") in raw
    shown = run(["--no-cache", "--dir", str(folder), "show", claim_id])
    assert shown.exit_code == 0, shown.stderr
    assert statement in shown.stdout and "<U+200C>" not in shown.stdout


@pytest.mark.parametrize("fmt", ["text", "md", "json", "html", "junit"])
def test_every_report_format_keeps_the_text(run, folder, fmt):
    result = run(["--no-cache", "--dir", str(folder), "report", "--format", fmt])
    assert "<U+200C>" not in result.stdout and "&lt;U+200C&gt;" not in result.stdout
    for statement in STATEMENTS.values():
        shown = statement
        if fmt in ("html", "junit"):  # the only change: the medium's own escaping of " & < >
            shown = escape.html_text(statement)
            if fmt == "junit":
                shown = shown.replace("&#x27;", "'").replace("&quot;", '"')
        elif fmt == "json":
            shown = json.dumps(statement, ensure_ascii=False)[1:-1]
        elif fmt == "md":
            shown = escape.markdown(statement)
        assert shown in result.stdout, (fmt, statement)


def test_every_export_keeps_the_text(run, folder):
    def export(fmt: str) -> str:
        result = run(["--no-cache", "--dir", str(folder), "export", "--format", fmt])
        return result.stdout

    reviews = json.loads(export("claimreview"))
    texts = {doc["itemReviewed"].get("text", doc["claimReviewed"]) for doc in reviews}
    rows = list(csv.DictReader(io.StringIO(export("csv"), newline="")))
    lines = [json.loads(line) for line in export("jsonl").splitlines()]
    for statement in STATEMENTS.values():
        assert statement in texts
        assert statement in {row["statement"] for row in rows}
        assert statement in {line.get("statement") for line in lines}


ESCAPES = [
    escape.visible,
    escape.one_line,
    escape.markdown,
    escape.html_text,
    escape.csv_cell,
    escape.xml_text,
    escape.workflow_data,
    escape.sarif_text,
]


@pytest.mark.parametrize("escaper", ESCAPES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("text", STRINGS)
def test_every_medium_keeps_joiners(escaper, text):
    out = escaper(text)
    assert out.count(ZWNJ) == text.count(ZWNJ) and out.count(ZWJ) == text.count(ZWJ)
    assert "<U+" not in out


@pytest.mark.parametrize(
    "char",
    ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\ufeff", "\u2063", "\u2028", "\u200f"],
)
def test_deceptive_characters_are_shown(char):
    shown = escape.visible(f"a{char}b")
    assert char not in shown and f"<U+{ord(char):04X}>" in shown
    assert f"\\u{ord(char):04x}" in escape.json_inert(json.dumps(f"a{char}b", ensure_ascii=False))


@given(st.text(alphabet=st.sampled_from(["\u200c", "\u200d", "ക", "െ", "ی", "ک", " "])))
def test_joiners_survive_import_cleaning(text):
    from claimtrack.interop.safety import plain_text

    cleaned = plain_text(text)
    assert cleaned == " ".join(text.split())
