"""Every validation rule through `claimtrack validate`, with its exact line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SOURCES_YAML, claim_yaml

README = Path(__file__).resolve().parent.parent / "README.md"

# (files, expected "FILE:LINE:COL: [level] FIELD" prefix, rule)
CASES = {
    "yaml-syntax": ({"c": "id: c\nstatement: [oops\n"}, "c.yaml:3:1: [error] ", "yaml-syntax"),
    "yaml-duplicate-key": ({"c": "id: c\nid: c\n"}, "c.yaml:2:1: [error] ", "yaml-duplicate-key"),
    "yaml-tag": ({"c": "id: !!python/name:os.system c\n"}, "c.yaml:1:5: [error] ", "yaml-tag"),
    "yaml-key": ({"c": "id: c\n[a]: x\n"}, "c.yaml:2:1: [error] ", "yaml-key"),
    "yaml-alias": (
        {
            "c": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n"
                for p, n in zip("abcd", "bcde", strict=True)
            )
        },
        "c.yaml:1:1: [error] ",
        "yaml-alias",
    ),
    "yaml-number": (
        {"c": claim_yaml("c", confidence="9" * 4301)},
        "c.yaml:8:13: [error] ",
        "yaml-number",
    ),
    "yaml-multi-document": (
        {"c": "id: c\n---\nid: d\n"},
        "c.yaml:2:1: [error] ",
        "yaml-multi-document",
    ),
    "yaml-depth": (
        {"c": "id: " + "[" * 1200 + "]" * 1200 + "\n"},
        "c.yaml:1:1004: [error] ",
        "yaml-depth",
    ),
    "file-encoding": ({"c": "id: c\nstatement: \x07\n"}, "c.yaml:2:12: [error] ", "file-encoding"),
    "file-empty": ({"c": "# nothing here\n"}, "c.yaml:1:1: [error] ", "file-empty"),
    "file-not-mapping": ({"c": "- id: c\n"}, "c.yaml:1:1: [error] ", "file-not-mapping"),
    "file-too-large": (
        {"c": "id: c\nnotes: " + "x" * (2 * 1024 * 1024) + "\n"},
        "c.yaml:1:1: [error] ",
        "file-too-large",
    ),
    "required": (
        {"c": claim_yaml("c", statement=None)},
        "c.yaml:1:1: [error] statement: ",
        "required",
    ),
    "unknown-field": (
        {"c": claim_yaml("c", tgas="[x]")},
        "c.yaml:12:1: [error] tgas: ",
        "unknown-field",
    ),
    "type": ({"c": claim_yaml("c", quote="[a, b]")}, "c.yaml:3:8: [error] quote: ", "type"),
    "value": (
        {"c": claim_yaml("c", confidence="-0.5")},
        "c.yaml:8:13: [error] confidence: ",
        "value",
    ),
    "id-stem": ({"c": claim_yaml("d")}, "c.yaml:1:5: [error] id: ", "id-stem"),
    "id-duplicate": (
        {"c": claim_yaml("c"), "z/c": claim_yaml("c")},
        "z/c.yaml:1:5: [error] id: ",
        "id-duplicate",
    ),
    "source-missing": (
        {"c": claim_yaml("c", evidence="\n  - source: gone\n    stance: refutes")},
        "c.yaml:10:13: [error] evidence[0].source: ",
        "source-missing",
    ),
    "status-mismatch": (
        {"c": claim_yaml("c", status="refuted")},
        "c.yaml:12:9: [warning] status: ",
        "status-mismatch",
    ),
    "confidence-word": (
        {"c": claim_yaml("c", confidence="{value: 0.9, word: unlikely}")},
        "c.yaml:8:13: [warning] confidence: ",
        "confidence-word",
    ),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_is_reported_at_its_position(run, make_claims, rule):
    files, prefix, expected_rule = CASES[rule]
    folder = make_claims(files)
    result = run(["--dir", str(folder), "validate"])
    lines = [line for line in result.stdout.splitlines() if line.endswith(f"({expected_rule})")]
    assert lines, result.stdout
    assert any(
        line.startswith(str(folder / prefix.split(":")[0]) + prefix[len(prefix.split(":")[0]) :])
        for line in lines
    ), (prefix, lines)
    errors = "[error]" in prefix
    assert result.exit_code == (1 if errors else 0)
    strict = run(["--dir", str(folder), "validate", "--strict"])
    assert strict.exit_code == 1


def test_source_rules(run, make_claims):
    sources = SOURCES_YAML + "  - id: wire\n    title: again\n    derived_from: [ghost]\n"
    folder = make_claims({"c": claim_yaml("c")}, sources=sources)
    out = run(["--dir", str(folder), "validate"]).stdout
    assert (
        f"{folder}/sources.yaml:21:9: [error] sources[3].id: source id 'wire' is already defined"
        in out
    )
    assert "(source-duplicate)" in out


def test_file_level_rules_are_covered(run, make_claims, tmp_path):
    import os

    folder = make_claims({"ok": claim_yaml("ok")})
    os.mkfifo(folder / "f.yaml")
    os.symlink("/etc/hostname", folder / "l.yaml")
    out = run(["--dir", str(folder), "validate"]).stdout
    assert f"{folder}/f.yaml:1:1: [error] not a regular file; skipped (file-special)" in out
    assert f"{folder}/l.yaml:1:1: [warning] symbolic link" in out and "(file-symlink)" in out


def test_every_rule_exercised_here_is_catalogued():
    from claimtrack.rules.catalog import RULES

    exercised = set(CASES) | {"source-duplicate", "file-special", "file-symlink", "file-unreadable"}
    assert exercised <= RULES.keys()  # tests/test_rule_catalog.py trips every one of them


def test_derived_from_must_name_a_source(run, make_claims):
    sources = SOURCES_YAML + "  - id: copy\n    title: copy\n    derived_from: [wire, ghost]\n"
    folder = make_claims({"c": claim_yaml("c")}, sources=sources)
    out = run(["--dir", str(folder), "validate"]).stdout
    assert (
        f"{folder}/sources.yaml:23:26: [error] sources[3].derived_from[1]: source 'ghost' is "
        "not in the registry (source-missing)"
    ) in out


def test_one_source_per_file_under_sources(run, make_claims):
    folder = make_claims(
        {
            "c": claim_yaml("c", appears_in="extra"),
            "sources/extra": "id: extra\ntitle: Extra\nreliability: A\n",
        }
    )
    result = run(["--dir", str(folder), "validate"])
    assert result.exit_code == 0, result.stdout
    bad = make_claims({"sources/bad": "id: bad\ntitel: x\n"})
    out = run(["--dir", str(bad), "validate"]).stdout
    assert f"{bad}/sources/bad.yaml:2:1: [error] titel: unknown field 'titel'" in out


def test_a_source_dated_after_the_day_of_the_run_is_a_warning(run, make_claims, monkeypatch):
    sources = SOURCES_YAML.replace("    date: 2026-01-04\n", "    date: 2999-01-01\n")
    sources += "  - id: this-year\n    title: t\n    date: '2026'\n"
    folder = make_claims({"c": claim_yaml("c")}, sources=sources)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796256000")  # 2026-12-03
    out = run(["--dir", str(folder), "validate"]).stdout
    assert (
        f"{folder}/sources.yaml:13:11: [warning] sources[1].date: dated 2999-01-01, after today "
        "(2026-12-03): check the date (date-future)"
    ) in out
    assert out.count("(date-future)") == 1  # a year that has begun is not in the future


def test_a_future_date_is_judged_on_the_day_of_each_run(run, make_claims, monkeypatch):
    import os

    sources = SOURCES_YAML.replace("    date: 2026-01-04\n", "    date: 2027-06-01\n")
    folder = make_claims({"c": claim_yaml("c")}, sources=sources)
    for path in folder.rglob("*"):  # settled long ago: the index answers from its snapshot
        os.utime(path, ns=(1_600_000_000 * 10**9,) * 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796256000")  # 2026-12-03
    for _ in range(2):  # the index, then its snapshot
        assert "(date-future)" in run(["--dir", str(folder), "validate"]).stdout
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1812153600")  # 2027-06-05
    assert "(date-future)" not in run(["--dir", str(folder), "validate"]).stdout
