"""Hostile and broken input: a clear one-line error, nothing lost, nothing let through."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.core.escape import visible
from conftest import claim_yaml

HOSTILE_TEXT = [
    "[bold red]markup[/] [link=https://evil.example]click[/link]",
    "\x1b[2J\x1b[31mred\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\x1b]0;title\x07",
    "abc\u202edcba\u2066x\u2069",
    "::error::pwned\n::add-mask::x\n::stop-commands::tok",
    "a | b | c\n| --- |",
    "<script>alert(1)</script> ]]> &amp;",
    '=HYPERLINK("https://evil.example","x")',
    "@everyone #1",
]


def _claim_with(text: str) -> str:
    return claim_yaml(
        "hostile", statement=json.dumps(text), quote=json.dumps(text), notes=json.dumps(text)
    )


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_terminal_output_shows_hostile_text_as_visible_text(run, make_claims, text):
    folder = make_claims({"hostile": _claim_with(text)})
    for args in (["list"], ["show", "hostile"], ["list", "-f", "md"], ["list", "-f", "csv"]):
        result = run(["--dir", str(folder), *args])
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        assert "\x1b" not in out and "\x07" not in out
        assert not any(ch in out for ch in "\u202e\u2066\u2069")
    table = run(["--dir", str(folder), "--color", "always", "list"]).stdout
    if "[bold red]" in text:
        assert "[bold red]markup" in table  # shown, not obeyed


def test_json_output_escapes_terminal_controls(run, make_claims):
    folder = make_claims({"hostile": _claim_with("\x1b[31m\u202e\x85")})
    out = run(["--dir", str(folder), "list", "-f", "json"]).stdout
    assert "\x1b" not in out and "\u202e" not in out and "\x85" not in out
    assert json.loads(out)[0]["statement"] == "\x1b[31m\u202e\x85"


def test_csv_defuses_formulas(run, make_claims):
    folder = make_claims({"hostile": _claim_with("=1+1")})
    out = run(["--dir", str(folder), "list", "-f", "csv"]).stdout
    assert ",'=1+1," in out


def test_markdown_keeps_table_shape(run, make_claims):
    folder = make_claims({"hostile": _claim_with("a | b\n| c")})
    lines = run(["--dir", str(folder), "list", "-f", "md"]).stdout.splitlines()
    assert len(lines) == 3
    assert lines[2].count(" | ") == lines[0].count(" | ")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_visible_leaves_nothing_a_terminal_obeys(text):
    shown = visible(text)
    assert not any(0x00 <= ord(c) < 0x20 and c not in "\n\t" for c in shown)
    assert not any(0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(c in shown for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize(
    ("override", "rule", "needle"),
    [
        ({"id": "../x"}, "value", "must be a slug"),
        ({"id": "/etc/passwd"}, "value", "must be a slug"),
        ({"id": "con"}, "value", "reserved device name"),
        ({"id": "a/b"}, "value", "must be a slug"),
        ({"confidence": ".nan"}, "value", "NaN"),
        ({"confidence": "1.5"}, "value", "outside [0, 1]"),
        ({"confidence": "sure thing"}, "value", "not an ICD 203 word"),
        ({"confidence": "true"}, "value", "not a boolean"),
        ({"date": "2025-02-30"}, "value", "not a real date"),
        ({"statement": "[1, 2]"}, "type", "is not text"),
        ({"tags": "oil"}, "type", "'oil' is not a list"),
        ({"evidence": "\n  - source: wire\n    stance: maybe"}, "value", "'supports'"),
        (
            {"evidence": "\n  - source: wire\n    stance: supports\n    credibility: 9"},
            "value",
            "9 is more than 6, the most allowed",
        ),
        (
            {"attribution": "\n  name: x\n  kind: alien"},
            "value",
            "unknown value 'alien'; use 'person', 'off",
        ),
        ({"attribution": "\n  name: x\n  kind: offical"}, "value", "did you mean 'official'?"),
        ({"evidence": "\n  - source: wire\n    stance: Supports"}, "value", "mean 'supports'?"),
        ({"evidence": "\n  - source: wire\n    credibility: B"}, "value", "'B' is not a whole"),
        ({"attribuion": "x"}, "unknown-field", "did you mean 'attribution'"),
    ],
)
def test_bad_values_are_errors_with_positions(run, make_claims, override, rule, needle):
    claim_id = "bad"
    text = claim_yaml(claim_id, **override)
    folder = make_claims({claim_id: text})
    result = run(["--dir", str(folder), "validate"])
    assert result.exit_code == 1
    assert needle in result.stdout, result.stdout
    assert f"({rule})" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "https://",
        "ftp://example.org",
    ],
)
def test_unsafe_urls_are_refused(run, make_claims, url):
    sources = (
        f"sources:\n  - id: article\n    title: t\n    url: '{url}'\n  - id: wire\n    title: w\n"
    )
    folder = make_claims({"ok": claim_yaml("ok")}, sources=sources)
    result = run(["--dir", str(folder), "validate"])
    assert result.exit_code == 1
    assert "sources.yaml:4:10: [error] sources[0].url: must be an http(s) URL" in result.stdout


def test_a_bad_registry_entry_keeps_the_good_ones(run, make_claims):
    sources = "sources:\n  - id: article\n    title: t\n  - id: wire\n    titel: w\n"
    folder = make_claims({"ok": claim_yaml("ok")}, sources=sources)
    result = run(["--dir", str(folder), "validate"])
    assert "sources.yaml:5:5: [error] sources[1].titel: unknown field 'titel'" in result.stdout
    assert "ok.yaml" in result.stdout  # its evidence names the source that failed to load
    assert "(source-missing)" in result.stdout


def test_duplicate_ids_and_missing_sources(run, make_claims):
    folder = make_claims(
        {
            "one": claim_yaml("one"),
            "sub/one": claim_yaml("one"),
            "two": claim_yaml("two", appears_in="nowhere"),
            "three": claim_yaml("other"),
        }
    )
    out = run(["--dir", str(folder), "validate"]).stdout
    assert "sub/one.yaml:1:5: [error] id: id 'one' is already used by" in out
    assert "two.yaml:4:13: [error] appears_in: source 'nowhere' is not in the registry" in out
    assert "three.yaml:1:5: [error] id: id 'other' differs from the file name 'three'" in out


def test_claims_folder_that_is_a_file_or_empty(run, tmp_path):
    (tmp_path / "file").write_text("x")
    result = run(["--dir", str(tmp_path / "file"), "list"])
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(["--dir", str(empty), "list", "-f", "json"]).stdout.strip() == "[]"
    assert run(["--dir", str(empty), "validate"]).stderr.startswith("ok: 0 files")


def test_special_files_and_links(run, make_claims, tmp_path):
    folder = make_claims({"good": claim_yaml("good")})
    os.mkfifo(folder / "pipe.yaml")
    os.symlink(folder / "loop.yaml", folder / "loop.yaml")
    outside = tmp_path / "outside.yaml"
    outside.write_text(claim_yaml("outside"))
    os.symlink(outside, folder / "outside.yaml")
    result = run(["--dir", str(folder), "validate"])
    assert "pipe.yaml:1:1: [error] not a regular file" in result.stdout
    assert "loop.yaml:1:1: [error] cannot read" in result.stdout
    assert "outside.yaml:1:1: [warning] symbolic link points outside" in result.stdout
    listed = json.loads(run(["--dir", str(folder), "list", "-f", "json"]).stdout)
    assert [c["id"] for c in listed] == ["good"]


def test_unreadable_file(run, make_claims, monkeypatch):
    folder = make_claims({"good": claim_yaml("good"), "locked": claim_yaml("locked")})
    real_open = os.open  # as root, a file's mode does not stop a read: refuse it here

    def guarded(path, *args, **kwargs):
        if str(path).endswith("locked.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    result = run(["--dir", str(folder), "validate"])
    assert (
        "locked.yaml:1:1: [error] cannot read: Permission denied (file-unreadable)" in result.stdout
    )


def test_limits_are_refused_quickly(run, make_claims):
    folder = make_claims({"good": claim_yaml("good")})
    (folder / "huge.yaml").write_text("id: huge\nstatement: " + "x" * 3_000_000 + "\n")
    result = run(["--dir", str(folder), "validate"])
    assert "huge.yaml:1:1: [error] file is 3000021 bytes, over the 2097152-byte limit" in (
        result.stdout
    )


def test_unwritable_output_is_an_environment_error(run, tmp_path):
    target = tmp_path / "ro"
    target.write_text("a file where a folder should be")
    result = run(["schema", "--write", str(target / "sub")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_internal_errors_are_one_line_unless_debug(run, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("claimtrack.cache.load_dataset", boom)
    root = Path(__file__).resolve().parent.parent / "claims"
    result = run(["--dir", str(root), "list"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: internal error (RuntimeError: boom); rerun with --debug and report it\n"
    )
    with pytest.raises(RuntimeError):
        run(["--dir", str(root), "--debug", "list"])


def test_quantities_chart_shows_a_hostile_unit_as_text(run, make_claims):
    quantity = '\n  value: 3\n  unit: "\\e[31mbbl\\u202e"\n  measure: oil'
    folder = make_claims({"q": claim_yaml("q", quantity=quantity)})
    result = run(["--dir", str(folder), "--color", "always", "quantities"])
    assert result.exit_code == 0, result.stderr
    assert "\\x1b[31mbbl<U+202E>" in result.stdout and "\u202e" not in result.stdout
