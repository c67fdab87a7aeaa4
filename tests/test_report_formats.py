"""Each machine format of the report read by a real consumer: schemas, parsers, validators."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import html5lib
import jsonschema
import pytest
import xmlschema
from markdown_it import MarkdownIt

from conftest import SHARED, claim_yaml

SARIF_DIR = SHARED / "data" / "sarif-2.1.0"
JUNIT_DIR = SHARED / "data" / "junit-xsd"


@pytest.fixture
def shipped(run, claims_dir, monkeypatch):
    """The shipped claims reported in a format from the project folder (as CI runs it),
    failing on contested claims."""
    monkeypatch.chdir(claims_dir.parent)

    def report(fmt: str, *extra: str) -> str:
        result = run(["--dir", "claims", "report", "-f", fmt, "--fail-on", "contested", *extra])
        assert result.exit_code == 1, result.stderr  # the four contested claims fail
        return result.stdout

    return report


# --- SARIF ---------------------------------------------------------------------------------------


def test_sarif_is_valid_against_the_oasis_schema(shipped):
    schema = json.loads((SARIF_DIR / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(shipped("sarif"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    results = log["runs"][0]["results"]
    assert {r["level"] for r in results if r["ruleId"] == "contested"} == {"error"}
    assert sum(r["ruleId"] == "contested" for r in results) == 4


def test_sarif_meets_githubs_upload_rules(shipped):
    rules = json.loads((SARIF_DIR / "github-code-scanning-requirements.json").read_text("utf-8"))
    assert rules["sarifLog"]["required"][1].startswith("version (must be 2.1.0)")
    log = json.loads(shipped("sarif"))
    assert log["$schema"] and log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    limits = rules["limits"]
    assert len(run["results"]) <= limits["results_per_run"]
    driver = run["tool"]["driver"]
    assert driver["name"] and len(driver["rules"]) <= limits["rules_per_run"]
    for rule in driver["rules"]:
        assert rule["id"] and rule["help"]["text"]
        for key in ("shortDescription", "fullDescription"):
            assert 0 < len(rule[key]["text"]) <= 1024
        assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
        assert len(rule["properties"]["tags"]) <= limits["tags_per_rule"]
    ids = [rule["id"] for rule in driver["rules"]]
    for result in run["results"]:
        assert result["message"]["text"]
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert 1 <= len(result["locations"]) <= limits["locations_per_result"]
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")) and "\\" not in uri  # relative to the repo
        region = physical["region"]
        for key in ("startLine", "startColumn", "endLine", "endColumn"):
            assert region[key] >= 1
        assert result["partialFingerprints"]


def test_sarif_includes_problems_of_broken_files(run, make_claims):
    folder = make_claims({"a": claim_yaml("a"), "bad": "id: bad\nstatement: [\n"})
    log = json.loads(run(["--dir", str(folder), "report", "-f", "sarif"]).stdout)
    schema = json.loads((SARIF_DIR / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    problems = [r for r in log["runs"][0]["results"] if r["ruleId"].startswith("validate/")]
    assert problems and problems[0]["level"] == "error"
    uri = problems[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///")  # outside the working folder: an absolute file URI


# --- JUnit ---------------------------------------------------------------------------------------


def _junit_10() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(JUNIT_DIR / "junit-10.xsd"))


def _surefire() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(JUNIT_DIR / "surefire-test-report-3.0.xsd"))


def test_junit_is_valid_against_two_xsds(shipped):
    text = shipped("junit")
    _junit_10().validate(text)
    _surefire().validate(text)
    suite = ET.fromstring(text.encode("utf-8"))
    cases = suite.findall("testcase")
    assert len(cases) == 40 and suite.get("tests") == "40"
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert len(failed) == 4 and suite.get("failures") == "4"
    assert all(c.get("classname") == "claimtrack.contested" for c in cases[:4])


def test_junit_with_problems_stays_valid(run, make_claims):
    folder = make_claims({"a": claim_yaml("a"), "bad": "id: bad\nstatement: [\n"})
    text = run(["--dir", str(folder), "report", "-f", "junit"]).stdout
    _junit_10().validate(text)
    _surefire().validate(text)
    assert 'name="claims folder"' in text


# --- Markdown ------------------------------------------------------------------------------------


def _gfm() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def table_shapes(text: str) -> list[list[int]]:
    """For every table: the number of cells of each row (the header's first)."""
    shapes: list[list[int]] = []
    cells = 0
    for token in _gfm().parse(text):
        if token.type == "table_open":
            shapes.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            shapes[-1].append(cells)
    return shapes


def test_markdown_tables_are_well_formed(shipped):
    text = shipped("md")
    shapes = table_shapes(text)
    assert len(shapes) >= 3  # totals, unsourced, sourced
    for shape in shapes:
        assert len(set(shape)) == 1, shape
    # Every row a table source line holds is parsed as a row: none was cut by a stray pipe.
    rows = sum(len(shape) for shape in shapes)
    assert rows == len(re.findall(r"^\|(?!---)", text, re.MULTILINE))
    tokens = _gfm().parse(text)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    headings = [t for t in tokens if t.type == "heading_open" and t.tag == "h3"]
    assert len(headings) == 4  # the four contested claims in full


# --- HTML ----------------------------------------------------------------------------------------


def test_html_parses_as_html5_and_is_self_contained(shipped):
    text = shipped("html")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    doc = parser.parse(text)
    articles = doc.findall(".//article")
    assert len(articles) == 40
    assert [a.get("data-status") for a in articles[:4]] == ["contested"] * 4
    csp = doc.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    for element in doc.iter():
        for attr in ("src", "srcset", "data"):
            assert element.get(attr) is None, element.tag
        assert not (element.tag == "link" and element.get("rel") == "stylesheet")
    assert len(doc.findall(".//script")) == 1 and len(doc.findall(".//style")) == 1
    assert "@media print" in doc.find(".//style").text


def test_html_csp_hashes_match_the_inline_code(shipped):
    import base64
    import hashlib

    doc = html5lib.parse(shipped("html"), namespaceHTMLElements=False)
    csp = doc.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    for tag in ("script", "style"):
        body = doc.find(f".//{tag}").text
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


# --- GitHub annotations --------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def test_github_annotations_are_capped_then_one_notice(run, make_claims):
    many = {
        f"c{i:02d}": claim_yaml(f"c{i:02d}", evidence="\n  - source: article\n    stance: supports")
        for i in range(15)
    }
    many.update(
        {f"d{i:02d}": claim_yaml(f"d{i:02d}", disputed_by="\n  - name: X") for i in range(12)}
    )
    folder = make_claims(many)
    result = run(["--dir", str(folder), "report", "-f", "github", "--fail-on", "unsourced"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    levels = [COMMAND.match(line).group(1) for line in lines]
    assert levels.count("error") == 10 and levels.count("warning") == 10
    assert levels[-1] == "notice" and levels.count("notice") == 1
    assert "15 errors" in lines[-1] and "job summary" not in lines[-1]  # none was written
    for line in lines[:-1]:
        props = dict(p.split("=", 1) for p in COMMAND.match(line).group(2).split(","))
        assert set(props) == {"file", "line", "title"} and props["line"].isdigit()
