"""Claim text is untrusted: whatever it holds comes out inert in every report format.

Hypothesis builds reports whose every piece of free text (statement, quote, names, notes,
reasons, messages) mixes the dangerous fragments below with arbitrary text; each format is then
read by its consumer and must keep its structure: the same tables, elements, lines and commands
as a report of harmless text, and no markup, link, mention, script or command of the claim's own.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import html5lib
import jsonschema
import xmlschema
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from claimtrack.core.problem import Level, Problem
from claimtrack.core.report import (
    ClaimReport,
    EvidenceItem,
    Finding,
    Person,
    Policy,
    Report,
)
from claimtrack.core.vocab import Stance, Status
from claimtrack.render import ReportFormat, report_renderer
from claimtrack.render.schema import build_schema
from claimtrack.render.terminal import Terminal
from conftest import SHARED

FRAGMENTS = [
    "|",
    "\n",
    "\r\n",
    "\r",
    "<script>alert(1)</script>",
    "]]>",
    "<![CDATA[",
    "\x00",
    "\x1b[31m",
    "\x07",
    "\x85",
    "\u202e",
    "\u2028",
    "::error::",
    "::warning file=x::",
    "%0A",
    "%25",
    "@mention",
    "@octocat",
    "@org/team",
    "#123",
    "GH-12",
    "\n::set-env name=A::b",
    "\n  ::add-mask::x",
    "##vso[task.setvariable variable=a]b",
    "##[error]x",
    '=HYPERLINK("http://evil")',
    "[bold red]",
    "[/]",
    "[link=http://x]x[/link]",
    "**bold**",
    "`code`",
    "[x](http://evil)",
    "![i](http://evil/i.png)",
    "<img src=x>",
    "&amp;",
    "&lt;",
    "# heading",
    "---",
    "> quote",
    "<!--",
    "-->",
    '"',
    "'",
    "\\",
    "\t",
    "{{x}}",
    "${x}",
    ":",
    ",",
    "#L1",
    "\ufffe",
    "\ud800",
    "===",
    "1. ",
    "+ ",
    "    ",
    "~~~",
    "```",
]
# Never empty: an empty optional field (quote, note) is left out, which changes the shape.
untrusted = (
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), min_size=1, max_size=8)
    .map("".join)
    .filter(bool)
)


def make_report(text: str, path_text: str = "") -> Report:
    """A report with ``text`` in every free-text field of a contested and a sourced claim."""
    person = Person(name=text, kind="official", role=text, source="wire", note=text)
    evidence = tuple(
        EvidenceItem(
            source="wire",
            stance=stance,
            weighs=True,
            why=text,
            title=text,
            reliability="B",
            credibility=2,
            quote=text,
            note=text,
        )
        for stance in Stance
    )

    def claim(cid: str, status: Status) -> ClaimReport:
        finding = Finding(
            rule=status.value if status is not Status.SOURCED else "no-quote",
            level=Level.ERROR,
            subject="status",
            message=text,
            fingerprint="f" * 32,
            failing=True,
            baseline="new",
        )
        return ClaimReport(
            id=cid,
            status=status,
            statement=text,
            asserted_by=person,
            confidence=0.7,
            confidence_word="likely",
            path=f"claims/{path_text}{cid}.yaml",
            line=3,
            reasons=(text, text),
            quote=text,
            via=(person,),
            disputed_by=(person,),
            evidence=evidence,
            analytic_confidence="low",
            findings=(finding,),
        )

    return Report(
        version="0.1.0",
        input_sha256="0" * 64,
        files=3,
        policy=Policy(fail_on=("contested", "no-quote"), baseline=True),
        totals={"contested": 1, "refuted": 0, "unsourced": 0, "sourced": 1},
        claims=(claim("a-contested", Status.CONTESTED), claim("b-sourced", Status.SOURCED)),
        problems=(Problem(f"claims/{path_text}x.yaml", 2, 3, Level.ERROR, "value", text, "id"),),
        failed=True,
    )


HARMLESS = make_report("plain words")
REPORT_SCHEMA = jsonschema.Draft202012Validator(build_schema("report"))
_SARIF_PATH = SHARED / "data" / "sarif-2.1.0" / "sarif-schema-2.1.0.json"
_SARIF = json.loads(_SARIF_PATH.read_text(encoding="utf-8"))
SARIF_SCHEMA = jsonschema.validators.validator_for(_SARIF)(_SARIF)
JUNIT_SCHEMAS = [
    xmlschema.XMLSchema(str(SHARED / "data" / "junit-xsd" / name))
    for name in ("junit-10.xsd", "surefire-test-report-3.0.xsd")
]


def render(fmt: ReportFormat, report: Report) -> str:
    rendered = report_renderer(fmt)(report)
    if isinstance(rendered, str):
        return rendered
    return "".join(rendered)  # the text format's lines


@settings(max_examples=60, deadline=None)
@given(untrusted)
@example("\t")  # blank: an empty quote block
@example("-")  # a list marker at the start of the quote block
@example("    indented code")
@example("1. first")
def test_markdown_keeps_its_structure(text):
    md = MarkdownIt("commonmark").enable("table")
    expected = [
        (t.type, t.tag) for t in md.parse(render(ReportFormat.MD, HARMLESS)) if t.type != "inline"
    ]
    out = render(ReportFormat.MD, make_report(text))
    tokens = md.parse(out)
    assert [(t.type, t.tag) for t in tokens if t.type != "inline"] == expected
    inline = [child for t in tokens if t.children for child in t.children]
    assert not [c for c in inline if c.type in ("html_inline", "link_open", "image")]
    # What GitHub links once the Markdown is rendered (entities and escapes undone): nothing.
    shown = " ".join(c.content for c in inline if c.type in ("text", "code_inline"))
    assert not re.search(r"(?<![\w`])@[\w-]|#\d|(?<![\w-])gh-\d", shown, re.IGNORECASE)
    assert len(out.splitlines()) == len(render(ReportFormat.MD, HARMLESS).splitlines())


@settings(max_examples=60, deadline=None)
@given(untrusted)
def test_html_keeps_its_structure(text):
    def shape(page: str) -> list[tuple[str, tuple[str, ...]]]:
        doc = html5lib.parse(page, namespaceHTMLElements=False)
        return [(e.tag, tuple(sorted(e.attrib))) for e in doc.iter() if isinstance(e.tag, str)]

    out = render(ReportFormat.HTML, make_report(text))
    assert shape(out) == shape(render(ReportFormat.HTML, HARMLESS))
    assert "\x00" not in out and "\x1b" not in out


@settings(max_examples=60, deadline=None)
@given(untrusted)
def test_junit_is_well_formed_and_carries_the_text(text):
    from claimtrack.core.escape import xml_text

    out = render(ReportFormat.JUNIT, make_report(text))
    for xsd in JUNIT_SCHEMAS:
        xsd.validate(out)
    suite = ET.fromstring(out.encode("utf-8"))
    harmless = ET.fromstring(render(ReportFormat.JUNIT, HARMLESS).encode("utf-8"))
    assert [e.tag for e in suite.iter()] == [e.tag for e in harmless.iter()]
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("message") == xml_text(text)


@settings(max_examples=60, deadline=None)
@given(untrusted)
def test_json_round_trips_the_exact_text(text):
    out = render(ReportFormat.JSON, make_report(text))
    data = json.loads(out)
    REPORT_SCHEMA.validate(data)
    assert data["claims"][0]["statement"] == text
    assert data["claims"][0]["asserted_by"]["name"] == text
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202e]", out.replace("\n", ""))


@settings(max_examples=60, deadline=None)
@given(untrusted)
def test_sarif_messages_are_plain_text(text):
    log = json.loads(render(ReportFormat.SARIF, make_report(text)))
    SARIF_SCHEMA.validate(log)
    for result in log["runs"][0]["results"]:
        message = result["message"]["text"]
        # An unescaped bracket could make an embedded link: every one is preceded by a backslash.
        assert not re.search(r"(?<!\\)(?:\\\\)*[\[\]]", message)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", message)


@settings(max_examples=60, deadline=None)
@given(untrusted, untrusted)
def test_github_commands_cannot_be_forged(text, path_text):
    path_text = re.sub(r"[\x00/]", "", path_text)
    out = render(ReportFormat.GITHUB, make_report(text, path_text))
    lines = out.split("\n")
    assert lines[-1] == ""
    expected = render(ReportFormat.GITHUB, HARMLESS).count("\n")
    assert len(lines) - 1 == expected
    command = re.compile(r"^::(error|warning|notice) ([^:]*)::([^\r\n]*)$")
    for line in lines[:-1]:
        match = command.match(line)
        assert match, line
        props = match.group(2).split(",")
        assert [p.split("=", 1)[0] for p in props] in (["file", "line", "title"], ["title"])


@settings(max_examples=60, deadline=None)
@given(untrusted)
def test_text_shows_markup_literally(text):
    report = make_report(text)
    out = render(ReportFormat.TEXT, report)
    assert "\x1b" not in out and "\x07" not in out
    # In colour, the only escapes are claimtrack's own SGR codes, and the bidi controls are
    # still shown as codes.
    coloured = "".join(report_renderer(ReportFormat.TEXT)(report, Terminal(width=60, color=True)))
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert "\x1b" not in stripped and "\x07" not in stripped and "\u202e" not in stripped
    assert "\x1b[" in coloured
    if "[bold red]" in text:
        assert "[bold red]" in out  # rich markup in claim text stays text
    assert "a-contested" in out and "b-sourced" in out


def test_every_format_is_covered_here():
    covered = {"md", "html", "junit", "json", "sarif", "github", "text"}
    assert covered == {fmt.value for fmt in ReportFormat}


def test_fixed_hostile_claim_through_the_real_cli(run, make_claims):
    """The same through files: a claim whose statement is every fragment at once."""
    from conftest import claim_yaml

    hostile = '|\n<script>x</script> ]]> ::error::x @mention =HYPERLINK("a") [bold]b[/bold] \x1b'
    statement = json.dumps(hostile)  # a YAML double-quoted scalar
    folder = make_claims(
        {"h": claim_yaml("h", statement=statement, disputed_by="\n  - name: '@octocat'")}
    )
    for fmt in ReportFormat:
        result = run(["--dir", str(folder), "report", "-f", fmt.value, "--fail-on", "contested"])
        assert result.exit_code in (0, 1), (fmt, result.stderr)
        if fmt not in (ReportFormat.JSON, ReportFormat.TEXT):  # data, and a terminal's text
            assert result.stdout.count("<script>") == (fmt is ReportFormat.HTML), fmt
        assert "\x1b" not in result.stdout, fmt
        if fmt is not ReportFormat.JSON:
            assert "\n::error::" not in result.stdout, fmt
