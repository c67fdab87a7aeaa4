"""Every report format and `show` name each evidence item's source URL: a link in HTML (http(s)
only, rel="noopener noreferrer") and Markdown, `url` in JSON, the URL in SARIF, JUnit, GitHub
annotations, the text report and `show`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import html5lib
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from tests.conftest import claim_yaml
from tests.test_report_untrusted import HARMLESS, render

from claimtrack.core.escape import markdown_link
from claimtrack.core.model import Source
from claimtrack.render import ReportFormat

WIRE = "https://example.org/wire"


def _folder(make_claims):
    return make_claims(
        {"a": claim_yaml("a", evidence="\n  - source: wire\n    stance: refutes")},
    )


def test_every_report_format_names_the_url(run, make_claims):
    folder = _folder(make_claims)

    def report(fmt: str) -> str:
        args = ["--no-cache", "--dir", str(folder), "report", "-f", fmt, "--fail-on", "refuted"]
        return run(args).stdout

    data = json.loads(report("json"))
    (claim,) = data["claims"]
    assert [item["url"] for item in claim["evidence"]] == [WIRE]
    sarif = json.loads(report("sarif"))
    assert any(WIRE in r["message"]["text"] for r in sarif["runs"][0]["results"])
    junit = ET.fromstring(report("junit"))
    assert WIRE in junit.find(".//system-out").text
    assert WIRE in junit.find(".//failure").text
    assert WIRE in report("github")
    assert WIRE in report("text")
    md = MarkdownIt("commonmark").enable("table").parse(report("md"))
    links = [c for t in md if t.children for c in t.children if c.type == "link_open"]
    assert [c.attrs["href"] for c in links] == [WIRE]
    doc = html5lib.parse(report("html"), namespaceHTMLElements=False)
    anchors = [a for a in doc.iter("a") if a.get("href") == WIRE]
    assert anchors and all(a.get("rel") == "noopener noreferrer" for a in anchors)
    shown = run(["--no-cache", "--dir", str(folder), "show", "a"]).stdout
    assert f"<{WIRE}>" in shown


def test_only_http_links_are_made():
    bad = replace(HARMLESS.claims[0].evidence[0], url="javascript:alert(1)")
    claim = replace(HARMLESS.claims[0], evidence=(bad,))
    report = replace(HARMLESS, claims=(claim,))
    html = render(ReportFormat.HTML, report)
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    assert not [a for a in doc.iter("a") if "javascript" in (a.get("href") or "")]
    assert "](<javascript" not in render(ReportFormat.MD, report)
    assert markdown_link("javascript:alert(1)") == "javascript:alert\\(1\\)"


_PATH = st.text(alphabet=st.sampled_from(list("abc/()[]<>|*_@#!~`\\\"'&;=?%{}+-")), max_size=20)
urls = st.builds(lambda p: f"https://example.org/{p}", _PATH).filter(
    lambda u: Source(id="s", title="t", url=u).url == u
)


@settings(max_examples=80, deadline=None)
@given(urls)
def test_a_hostile_url_is_one_link_and_nothing_else(url):
    out = markdown_link(url)
    md = MarkdownIt("commonmark")
    tokens = [c for t in md.parse(out) for c in (t.children or [])]
    kinds = [t.type for t in tokens]
    assert kinds.count("link_open") == 1 and "html_inline" not in kinds and "image" not in kinds
    (link,) = [t for t in tokens if t.type == "link_open"]
    assert md.normalizeLinkText(link.attrs["href"]) == md.normalizeLinkText(
        md.normalizeLink(url.replace("<", "%3C").replace(">", "%3E").replace("\\", "%5C"))
    )
    bad = replace(HARMLESS.claims[0].evidence[0], url=url)
    report = replace(HARMLESS, claims=(replace(HARMLESS.claims[0], evidence=(bad,)),))
    doc = html5lib.parse(render(ReportFormat.HTML, report), namespaceHTMLElements=False)
    assert [a.get("href") for a in doc.iter("a") if a.get("rel")] == [url]
