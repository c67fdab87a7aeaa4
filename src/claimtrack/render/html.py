"""HTML: the report as one self-contained page; readable, printable, filterable by status.

Nothing is fetched: the style and the script are inline and a Content-Security-Policy allows
exactly those two (by hash) and nothing else. Claim text only ever reaches the page through
``escape.html_text``; the script reads no claim text, only ``data-status`` attributes.
The status filter is checkboxes, also driven by the address: ``report.html#status=contested``.
"""

from __future__ import annotations

import base64
import hashlib

from claimtrack.core.escape import html_text
from claimtrack.core.report import ClaimReport, EvidenceItem, Person, Report
from claimtrack.core.vocab import Stance
from claimtrack.core.wording import plural

STYLE = """
:root { color-scheme: light dark; --muted: #666; --line: #ccc; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
  max-width: 60rem; padding: 1rem 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid var(--line); margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .2rem .6rem; text-align: left; }
td.n { text-align: right; }
.filters { border: 1px solid var(--line); margin: 1rem 0; }
.filters label { margin-right: 1rem; white-space: nowrap; }
article.claim { border-left: 4px solid var(--line); margin: 1rem 0; padding: .25rem 0 .25rem 1rem; }
article[data-status=contested] { border-color: #d29922; }
article[data-status=refuted] { border-color: #cf222e; }
article[data-status=unsourced] { border-color: #8250df; }
article[data-status=sourced] { border-color: #1a7f37; }
.badge { font-size: .8rem; font-weight: 600; padding: 0 .4rem; border: 1px solid;
  border-radius: 1rem; }
.fails { color: #cf222e; font-weight: 600; }
.statement { font-size: 1.05rem; margin: .25rem 0; }
blockquote { margin: .25rem 0; padding-left: .75rem; border-left: 2px solid var(--line);
  font-style: italic; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
ul { margin: 0; padding-left: 1.2rem; }
.muted, footer { color: var(--muted); }
footer { border-top: 1px solid var(--line); margin-top: 2rem; font-size: .85rem;
  overflow-wrap: anywhere; }
[hidden] { display: none !important; }
@media print {
  body { max-width: none; font-size: 10pt; padding: 0; }
  .filters { display: none !important; }
  article.claim { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
""".strip()

SCRIPT = """
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=status]"));
  var filters = document.getElementById("filters");
  function apply() {
    var on = {};
    boxes.forEach(function (box) { on[box.value] = box.checked; });
    var shown = 0;
    document.querySelectorAll("main [data-status]").forEach(function (el) {
      el.hidden = !on[el.getAttribute("data-status")];
      if (!el.hidden && el.tagName === "ARTICLE") { shown += 1; }
    });
    document.getElementById("shown").textContent = String(shown);
  }
  function fromHash() {
    var match = /(?:^#|&)status=([a-z,]*)/.exec(window.location.hash);
    if (!match) { return; }
    var wanted = match[1].split(",");
    boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
  }
  function toHash() {
    var wanted = boxes.filter(function (box) { return box.checked; })
      .map(function (box) { return box.value; });
    try { window.history.replaceState(null, "", "#status=" + wanted.join(",")); } catch (e) { }
  }
  boxes.forEach(function (box) {
    box.addEventListener("change", function () { apply(); toHash(); });
  });
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  filters.hidden = false;
  fromHash();
  apply();
}());
""".strip()


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


#: Only the inline style and script above may run; no fetch, frame, form, base or plugin.
CSP = (
    f"default-src 'none'; style-src '{_sha256(STYLE)}'; script-src '{_sha256(SCRIPT)}'; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)


def _who(person: Person) -> str:
    extra = ", ".join(html_text(x) for x in (person.role, person.kind) if x)
    return html_text(person.name) + (f" <span class=muted>({extra})</span>" if extra else "")


def _evidence(item: EvidenceItem) -> str:
    grade = f"reliability {html_text(item.reliability or '?')}"
    if item.credibility is not None:
        grade += f", credibility {item.credibility}"
    title = f" — {html_text(item.title)}" if item.title else ""
    if item.link:  # http(s) only; the page opened gets neither this page nor its address
        title += (
            f' <a href="{html_text(item.link)}" rel="noopener noreferrer">'
            f"{html_text(item.link)}</a>"
        )
    verdict = "weighs" if item.weighs else "does not weigh"
    text = (
        f"<li><b>{html_text(item.source)}</b>{title} <span class=muted>({grade}; {verdict}: "
        f"{html_text(item.why)})</span>"
    )
    if item.quote:
        text += f"<blockquote>{html_text(item.quote)}</blockquote>"
    if item.note:
        text += f" {html_text(item.note)}"
    return text + "</li>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(items) + "</ul>" if items else "none"


def _claim(claim: ClaimReport) -> str:
    status = claim.status.value
    fails = " <span class=fails>fails the policy</span>" if claim.failing else ""
    out = [
        f'<article class="claim" id="claim-{html_text(claim.id)}" data-status="{status}">',
        f"<h3>{html_text(claim.id)} <span class=badge>{status}</span>{fails}</h3>",
        f"<p class=statement>{html_text(claim.statement)}</p>",
    ]
    if claim.quote:
        out.append(f"<blockquote>{html_text(claim.quote)}</blockquote>")
    asserted = _who(claim.asserted_by)
    if claim.via:
        asserted += ", via " + " › ".join(_who(p) for p in claim.via)
    rows = [("Asserted by", asserted)]
    if claim.disputed_by:
        rows.append(
            (
                "Disputed by",
                _list(
                    [
                        f"<li>{_who(p)}{': ' + html_text(p.note) if p.note else ''}</li>"
                        for p in claim.disputed_by
                    ]
                ),
            )
        )
    conf = f"{html_text(claim.confidence_word)} ({claim.confidence:g})"
    if claim.analytic_confidence:
        conf += f"; analytic confidence {html_text(claim.analytic_confidence)}"
    rows.append(("Confidence", conf))
    for stance, label in (
        (Stance.SUPPORTS, "Supporting"),
        (Stance.REFUTES, "Refuting"),
        (Stance.CONTEXT, "Context"),
    ):
        side = claim.side(stance)
        if side or stance is not Stance.CONTEXT:
            rows.append((label, _list([_evidence(i) for i in side])))
    rows.append((f"Why {status}", html_text("; ".join(claim.reasons))))
    if claim.findings:
        rows.append(
            (
                "Findings",
                _list(
                    [
                        f"<li{' class=fails' if f.failing else ''}><code>{html_text(f.rule)}</code>"
                        f"{' (in baseline)' if f.baseline == 'unchanged' else ''}: "
                        f"{html_text(f.message)}</li>"
                        for f in claim.findings
                    ]
                ),
            )
        )
    where = html_text(f"{claim.path}:{claim.line}")
    if claim.url:
        where = f'<a href="{html_text(claim.url)}" rel="noopener noreferrer">{where}</a>'
    rows.append(("File", where))
    out.append("<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>")
    out.append("</article>")
    return "\n".join(out)


def _policy(report: Report) -> str:
    if not report.policy.fail_on:
        return "Policy: no <code>--fail-on</code> rules; the report never fails."
    rules = ", ".join(f"<code>{html_text(r)}</code>" for r in report.policy.fail_on)
    failing = sum(f.failing for _, f in report.findings)
    verdict = (
        f"<span class=fails>failed: {failing} findings</span>"
        if report.failed
        else "<strong>passed</strong>"
    )
    return f"Policy: fail on {rules} — {verdict}."


def render_report(report: Report) -> str:
    total = sum(report.totals.values())
    totals = "".join(
        f'<tr><td>{status}</td><td class="n">{count}</td></tr>'
        for status, count in report.totals.items()
    )
    boxes = "".join(
        f'<label><input type="checkbox" name="status" value="{status}" checked> {status} '
        f"({count})</label>"
        for status, count in report.totals.items()
    )
    by_status: dict[str, list[ClaimReport]] = {}
    for claim in report.claims:
        by_status.setdefault(claim.status.value, []).append(claim)
    groups = []
    for status, count in report.totals.items():
        members = by_status.get(status)
        if members:
            groups.append(
                f'<section data-status="{status}">\n<h2>{status.capitalize()} ({count})</h2>\n'
                + "\n".join(_claim(c) for c in members)
                + "\n</section>"
            )
    problems = ""
    if report.problems:
        items = "".join(
            f"<li>{html_text(f'{p.path}:{p.line}:{p.col}')} {html_text(p.level)} "
            f"<code>{html_text(p.rule)}</code>: {html_text(p.message)}</li>"
            for p in report.problems
        )
        problems = f"<section><h2>Problems ({len(report.problems)})</h2><ul>{items}</ul></section>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>claimtrack report</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>claimtrack report</h1>
<p>{total} claims. {_policy(report)}</p>
<table><caption>Claims by status</caption>
<thead><tr><th>status</th><th>claims</th></tr></thead>
<tbody>{totals}<tr><th>total</th><td class="n">{total}</td></tr></tbody>
</table>
<fieldset class="filters" id="filters" hidden><legend>Show claims that are</legend>{boxes}
<span class="muted"><span id="shown">{total}</span> shown</span></fieldset>
</header>
<main>
{chr(10).join(groups)}
{problems}
</main>
<footer>claimtrack {html_text(report.version)} · {plural(report.files, "file")} · inputs sha256
{report.input_sha256}</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""
