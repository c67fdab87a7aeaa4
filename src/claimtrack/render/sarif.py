"""SARIF 2.1.0 for code scanning: one result per finding and per problem, at the claim's file.

Every policy rule is a reporting descriptor whose texts are its docstring; a result points at
the ``id`` key of the claim (line of the id, columns 1-2), carries the finding's fingerprint in
``partialFingerprints`` and, with a baseline, its ``baselineState``. Paths are relative to the
working folder, which in CI is the repository root (what GitHub expects).
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from claimtrack.core.escape import sarif_text
from claimtrack.core.report import Report
from claimtrack.render.json import dumps
from claimtrack.rules.policy import POLICY_RULES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: GitHub truncates rule texts past this many characters.
MAX_TEXT = 1024


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _rule(rule_id: str, summary: str, full: str, level: str) -> dict[str, Any]:
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.replace("/", "-").split("-")),
        "shortDescription": {"text": _short(summary)},
        "fullDescription": {"text": _short(full)},
        "help": {"text": full},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["claimtrack"]},
    }


def _uri(path: str) -> str:
    """A relative path as a relative URI reference; an absolute one as a ``file:`` URI."""
    local = PurePath(path)
    if local.is_absolute():
        return Path(path).as_uri()
    return quote(local.as_posix(), safe="/")


def _location(path: str, line: int, col: int) -> dict[str, Any]:
    start = max(col, 1)
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(path)},
            "region": {
                "startLine": max(line, 1),
                "startColumn": start,
                "endLine": max(line, 1),
                "endColumn": start + 2,
            },
        }
    }


def render_report(report: Report) -> str:
    rules = [
        _rule(name, rule.summary.rstrip("."), " ".join(rule.doc.split()), rule.severity.value)
        for name, rule in POLICY_RULES.items()
    ]
    problem_rules = sorted({p.rule for p in report.problems})
    rules += [
        _rule(
            f"validate/{name}",
            f"Claim file problem: {name}",
            f"A problem `claimtrack validate` reports as {name}; see the README's rules.",
            "error",
        )
        for name in problem_rules
    ]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for claim, finding in report.findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": finding.level.value,
            "message": {
                "text": sarif_text(f"{claim.id}: {finding.message}{claim.evidence_note()}")
            },
            "locations": [_location(claim.path, claim.line, 1)],
            "partialFingerprints": {"claimtrack/v1": finding.fingerprint},
            "properties": {
                "claim": claim.id,
                "status": claim.status.value,
                "failing": finding.failing,
            },
        }
        if finding.baseline is not None:
            result["baselineState"] = finding.baseline
        results.append(result)
    for p in report.problems:
        rule_id = f"validate/{p.rule}"
        where = f"{p.field}: " if p.field else ""
        results.append(
            {
                "ruleId": rule_id,
                "ruleIndex": index[rule_id],
                "level": p.level if p.level in ("error", "warning") else "note",
                "message": {"text": sarif_text(where + p.message)},
                "locations": [_location(p.path, p.line, p.col)],
            }
        )
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "claimtrack",
                        "version": report.version,
                        "semanticVersion": report.version,
                        # No informationUri (optional in SARIF): the project has no public
                        # address yet, and a made-up one would be shown as a link.
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": "claimtrack/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "inputsSha256": report.input_sha256,
                    "failOn": list(report.policy.fail_on),
                },
            }
        ],
    }
    return dumps(log) + "\n"
