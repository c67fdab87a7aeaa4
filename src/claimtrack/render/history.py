"""History views: a claim's timeline (``log``) and the semantic diff (``diff``) as text, Markdown
or JSON. Untrusted text goes through ``escape`` for the medium it lands in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claimtrack.core.escape import markdown, one_line
from claimtrack.render.json import dumps

Escape = Callable[[str], str]


def _conf(value: dict[str, Any]) -> str:
    return f"{value['word']} ({value['value']:g})"


def _item(item: dict[str, Any], esc: Escape) -> str:
    """An evidence item or a disputing party in a few words."""
    if "stance" in item:
        text = f"{esc(item['source'])} {item['stance']}"
        if "credibility" in item:
            text += f" (credibility {item['credibility']})"
    else:
        text = esc(item["name"])
        if "source" in item:
            text += f" (source {esc(item['source'])})"
    if "quote" in item:
        text += f": “{esc(item['quote'])}”"
    return text


def change_lines(change: dict[str, Any], esc: Escape = one_line) -> list[str]:
    """Readable lines for one claim's change (see ``history.claim_changes``)."""
    lines = []
    if "created" in change:
        made = change["created"]
        lines.append(f"created: {made['status']}, confidence {_conf(made['confidence'])}")
    if change.get("deleted"):
        lines.append("deleted")
    if change.get("invalid"):
        lines.append("the file did not validate in this version")
    if "renamed_to" in change:
        lines.append(f"file now {esc(change['renamed_to'])}")
    if "status" in change:
        lines.append(f"status: {change['status'][0]} → {change['status'][1]}")
    if "confidence" in change:
        old, new = change["confidence"]
        lines.append(f"confidence: {_conf(old)} → {_conf(new)}")
    if "analytic_confidence" in change:
        old, new = change["analytic_confidence"]
        lines.append(f"analytic confidence: {old or 'none'} → {new or 'none'}")
    for key, sign, what in (
        ("evidence_added", "+", "evidence"),
        ("evidence_removed", "-", "evidence"),
        ("disputed_by_added", "+", "disputed by"),
        ("disputed_by_removed", "-", "disputed by"),
    ):
        for item in change.get(key, []):
            lines.append(f"{sign} {what}: {_item(item, esc)}")
    if "statement" in change:
        old, new = change["statement"]
        lines.append(f"statement: “{esc(old)}” → “{esc(new)}”")
    if change.get("other_fields"):
        lines.append("also changed: " + ", ".join(change["other_fields"]))
    return lines


# -- log ---------------------------------------------------------------------------------------


def log_text(claim_id: str, events: list[dict[str, Any]]) -> str:
    out = [f"history of {one_line(claim_id)}"]
    for event in events:
        if event["commit"]:
            date = event["date"][:19].replace("T", " ")
            out.append(
                f"{date}  {event['commit'][:10]}  {one_line(event['author'])}: "
                f"{one_line(event['subject'])}"
            )
        else:
            out.append("(work tree)  uncommitted changes")
        lines = change_lines(event["changes"]) or ["no change in status, confidence or evidence"]
        out.extend(f"    {line}" for line in lines)
    return "\n".join(out) + "\n"


def log_json(claim_id: str, events: list[dict[str, Any]]) -> str:
    return dumps({"id": claim_id, "events": events}) + "\n"


# -- diff --------------------------------------------------------------------------------------


def _is_empty(diff: dict[str, Any]) -> bool:
    keys = ("added", "removed", "renamed", "changed", "sources_added", "sources_removed")
    return not any(diff[k] for k in keys)


def diff_text(diff: dict[str, Any]) -> str:
    esc = one_line
    out = [f"claims: {esc(diff['from'])} → {esc(diff['to'])}"]
    if _is_empty(diff):
        out.append("no changes in claims or sources")
    for claim in diff["added"]:
        out.append(
            f"+ {claim['id']} ({claim['status']}, {_conf(claim['confidence'])}): "
            f"{esc(claim['statement'])}"
        )
    for claim in diff["removed"]:
        out.append(f"- {claim['id']} ({claim['status']}): {esc(claim['statement'])}")
    for pair in diff["renamed"]:
        out.append(f"~ {pair['from']} → {pair['to']} (renamed)")
    for change in diff["changed"]:
        out.append(f"* {change['id']}")
        out.extend(f"    {line}" for line in change_lines(change, esc))
    for sid in diff["sources_added"]:
        out.append(f"+ source {sid}")
    for sid in diff["sources_removed"]:
        out.append(f"- source {sid}")
    for path in diff["unreadable"]:
        out.append(f"! {esc(path)} does not validate (left out)")
    return "\n".join(out) + "\n"


def diff_markdown(diff: dict[str, Any]) -> str:
    """For a pull-request comment: headed sections, every claim text escaped for GitHub."""
    esc = markdown
    out = [f"### Claims: {esc(diff['from'])} → {esc(diff['to'])}", ""]
    if _is_empty(diff):
        out.append("No changes in claims or sources.")
    if diff["added"]:
        out += ["**Added**", ""]
        out += [
            f"- `{c['id']}` ({c['status']}, {_conf(c['confidence'])}): {esc(c['statement'])}"
            for c in diff["added"]
        ]
        out.append("")
    if diff["removed"]:
        out += ["**Removed**", ""]
        out += [f"- `{c['id']}` ({c['status']}): {esc(c['statement'])}" for c in diff["removed"]]
        out.append("")
    if diff["renamed"]:
        out += ["**Renamed**", ""]
        out += [f"- `{r['from']}` → `{r['to']}`" for r in diff["renamed"]]
        out.append("")
    if diff["changed"]:
        out += ["**Changed**", ""]
        for change in diff["changed"]:
            out.append(f"- `{change['id']}`")
            out += [f"  - {line}" for line in change_lines(change, esc)]
        out.append("")
    if diff["sources_added"] or diff["sources_removed"]:
        out += ["**Sources**", ""]
        out += [f"- added `{s}`" for s in diff["sources_added"]]
        out += [f"- removed `{s}`" for s in diff["sources_removed"]]
        out.append("")
    if diff["unreadable"]:
        out += ["**Not valid (left out)**", ""]
        out += [f"- {esc(p)}" for p in diff["unreadable"]]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def diff_json(diff: dict[str, Any]) -> str:
    return dumps(diff) + "\n"
