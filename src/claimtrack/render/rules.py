"""``rules``: the policy rules that ``report --fail-on`` accepts, as text or JSON data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimtrack.rules.policy import Rule


def rules_text(rules: Iterable[Rule]) -> str:
    """Each rule's name and severity, then its documentation indented."""
    blocks = []
    for rule in rules:
        body = "\n".join("    " + line for line in rule.doc.splitlines())
        blocks.append(f"{rule.name} ({rule.severity.value})\n{body}\n")
    return "\n".join(blocks)


def rules_json(rules: Iterable[Rule]) -> str:
    from claimtrack.render.json import dumps

    data = [
        {"name": r.name, "severity": r.severity.value, "summary": r.summary, "doc": r.doc}
        for r in rules
    ]
    return dumps(data) + "\n"
