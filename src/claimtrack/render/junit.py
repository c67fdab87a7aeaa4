"""JUnit XML: one test case per claim, failing when a finding fails the active policy.

One ``<testsuite>`` root, valid against both the Jenkins xUnit (JUnit 10) and the Maven
Surefire 3.0 schemas; times are ``0`` so that the same data gives the same bytes. Files that
could not be loaded become one more test case, ``claims folder``, failing once per error.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from claimtrack.core.escape import xml_text
from claimtrack.core.report import ClaimReport, Report


def _case(suite: ET.Element, claim: ClaimReport) -> bool:
    case = ET.SubElement(
        suite,
        "testcase",
        {"name": xml_text(claim.id), "classname": f"claimtrack.{claim.status.value}", "time": "0"},
    )
    for finding in claim.findings:
        if finding.failing:
            failure = ET.SubElement(
                case, "failure", {"type": finding.rule, "message": xml_text(finding.message)}
            )
            failure.text = xml_text(
                f"{claim.path}:{claim.line}: {finding.rule}: {finding.message}"
                + claim.evidence_note()
            )
    out = ET.SubElement(case, "system-out")
    lines = [f"{claim.path}:{claim.line}", f"status: {claim.status.value}", claim.statement]
    lines += [f"{f.rule}: {f.message}" for f in claim.findings]
    lines += [
        f"{item.stance.value}: {item.source}" + (f" <{item.url}>" if item.url else "")
        for item in claim.evidence
    ]
    out.text = xml_text("\n".join(lines))
    return claim.failing


def render_report(report: Report) -> str:
    suite = ET.Element("testsuite", {"name": "claimtrack"})
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("claimtrack.version", report.version),
        ("inputs.sha256", report.input_sha256),
        ("policy.fail-on", ",".join(report.policy.fail_on)),
        *((f"claims.{status}", str(count)) for status, count in report.totals.items()),
    ):
        ET.SubElement(props, "property", {"name": name, "value": xml_text(value)})
    failures = sum(_case(suite, claim) for claim in report.claims)
    tests = len(report.claims)
    errors = [p for p in report.problems if p.level == "error"]
    if report.problems:
        tests += 1
        case = ET.SubElement(
            suite,
            "testcase",
            {"name": "claims folder", "classname": "claimtrack.api", "time": "0"},
        )
        for p in errors:
            attrs = {"type": p.rule, "message": xml_text(p.message)}
            failure = ET.SubElement(case, "failure", attrs)
            failure.text = xml_text(f"{p.path}:{p.line}:{p.col}: {p.message} ({p.rule})")
        failures += bool(errors)
    suite.attrib.update(
        {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": "0", "time": "0"}
    )
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, "unicode") + "\n"
