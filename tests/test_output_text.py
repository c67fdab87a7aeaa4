"""Output stays text: machine formats stay valid whatever the console's encoding, and nothing
claim text holds can become a CI runner's workflow command or a live GitHub mention."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimtrack.core import escape

ROOT = Path(__file__).resolve().parent.parent
CLAIM = "chavez-died-2013"
HOSTILE = (
    "Hugo Chávez died. ’ 😀 漢字\n::set-env name=X::1\n  ::add-mask::secret\n"
    "::stop-commands::tok\n::error file=a.py,line=1::spoof\n"
    "##vso[task.setvariable variable=a]b ##[error]x @octocat @org/team #123 GH-7"
)


def _command() -> list[str]:
    script = Path(sys.executable).with_name("claimtrack")
    return [str(script) if script.exists() else shutil.which("claimtrack") or "claimtrack"]


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped claims, one of them with non-ASCII text, workflow commands and mentions in
    its statement and its notes."""
    folder = tmp_path_factory.mktemp("text") / "claims"
    shutil.copytree(ROOT / "claims", folder)
    path = folder / f"{CLAIM}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "statement: Hugo Chávez died in 2013.",
        f"statement: {json.dumps(HOSTILE, ensure_ascii=False)}",
    )
    text = re.sub(
        r"(?m)^notes: .*$", lambda _: f"notes: {json.dumps(HOSTILE, ensure_ascii=False)}", text
    )
    path.write_text(text, encoding="utf-8")
    return folder


def _run(
    folder: Path, args: list[str], env: dict[str, str], **kwargs
) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMTRACK", "GITHUB"))}
    clean.update(env, CLAIMTRACK_NO_CACHE="1")
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [*_command(), "--dir", str(folder), *args],
        stderr=subprocess.PIPE,
        env=clean,
        timeout=60,
        check=False,
        **kwargs,
    )


# Every machine format whose reader is JSON, with how to find the hostile text in it.
JSON_OUTPUTS = {
    ("list", "-f", "json"): lambda data: next(c for c in data if c["id"] == CLAIM)["statement"],
    ("show", CLAIM, "-f", "json"): lambda data: data["statement"],
    ("report", "-f", "json"): lambda data: json.dumps(data, ensure_ascii=False),
    ("report", "-f", "sarif"): lambda data: json.dumps(data, ensure_ascii=False),
    ("validate", "-f", "json"): lambda data: json.dumps(data, ensure_ascii=False),
    ("stats", "-f", "json"): lambda data: json.dumps(data, ensure_ascii=False),
    ("graph", "-f", "json"): lambda data: json.dumps(data, ensure_ascii=False),
    ("quantities", "-f", "json"): lambda data: json.dumps(data, ensure_ascii=False),
    ("export", "-f", "claimreview"): lambda data: json.dumps(data, ensure_ascii=False),
    ("export", "-f", "stix"): lambda data: json.dumps(data, ensure_ascii=False),
}
JSONL_OUTPUTS = [("list", "-f", "jsonl"), ("export", "-f", "jsonl")]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_outputs_stay_json_on_a_console_that_cannot_encode(hostile_folder, encoding):
    for args, pick in JSON_OUTPUTS.items():
        narrow = _run(hostile_folder, list(args), {"PYTHONIOENCODING": encoding})
        wide = _run(hostile_folder, list(args), {"PYTHONIOENCODING": "utf-8"})
        assert narrow.returncode == wide.returncode, (args, narrow.stderr)
        assert b"Traceback" not in narrow.stderr
        read = json.loads(narrow.stdout.decode(encoding))  # what the console could carry
        assert read == json.loads(wide.stdout.decode("utf-8")), args
        if args[0] in ("list", "show"):
            assert pick(read) == HOSTILE
    for args in JSONL_OUTPUTS:
        narrow = _run(hostile_folder, list(args), {"PYTHONIOENCODING": encoding})
        wide = _run(hostile_folder, list(args), {"PYTHONIOENCODING": "utf-8"})
        rows = [json.loads(line) for line in narrow.stdout.decode(encoding).splitlines()]
        assert rows == [json.loads(line) for line in wide.stdout.decode("utf-8").splitlines()]


# Every command and format whose output can reach a CI log.
CI_OUTPUTS = [
    ["list"],
    *(["list", "-f", f] for f in ("json", "jsonl", "csv", "md")),
    ["show", CLAIM],
    ["show", CLAIM, "-f", "json"],
    *(["report", "-f", f] for f in ("text", "md", "json", "html", "junit", "sarif", "github")),
    ["validate"],
    ["validate", "-f", "json"],
    ["stats"],
    *(["export", "-f", f] for f in ("claimreview", "csv", "jsonl", "stix")),
    *(["graph", "-f", f] for f in ("dot", "mermaid", "json")),
    ["quantities"],
    ["verify"],
]
#: What a runner would obey: a line starting `::` (after spaces), `##[` or `##vso[` anywhere.
_OBEYED_LINE = re.compile(r"^\s*::")
_OBEYED_ANYWHERE = re.compile(r"##(?:vso)?\[", re.IGNORECASE)
#: claimtrack's own annotations (`report -f github`), each on one line.
_ANNOTATION = re.compile(r"^::(?:error|warning|notice)(?: [^\n:]*)?::")


def _obeyed(text: str, annotations: bool) -> list[str]:
    found = []
    for line in text.splitlines():
        command = _OBEYED_LINE.match(line) and not (annotations and _ANNOTATION.match(line))
        if command or _OBEYED_ANYWHERE.search(line):
            found.append(line)
    return found


@pytest.mark.parametrize("args", CI_OUTPUTS, ids=" ".join)
def test_nothing_in_a_ci_log_starts_a_workflow_command(hostile_folder, args):
    result = _run(hostile_folder, args, {"GITHUB_ACTIONS": "true"})
    assert b"Traceback" not in result.stderr
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert not _obeyed(out, annotations=args[-1] == "github"), out
    assert not _obeyed(err, annotations=False), err
    plain = out.replace(escape.WORKFLOW_BREAK, "")
    # Each format is still what its reader expects, and holds the claim's text in full.
    if args[-1] in ("json", "sarif", "claimreview", "stix"):
        json.loads(out)
    elif args[-1] == "jsonl":
        for line in out.splitlines():
            json.loads(line)
    elif args[-1] == "csv":
        cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
        assert any(HOSTILE.split("\n")[0] in cell for cell in cells)
    elif args[-1] == "junit":
        ET.fromstring(out)
    if args[0] in ("list", "show") and args[-1] in ("json", "jsonl", "csv"):
        assert "::set-env name=X::1" in plain and "##vso[task" in plain


def test_outside_a_workflow_and_into_a_file_the_output_is_exact(hostile_folder, tmp_path):
    outside = _run(hostile_folder, ["list", "-f", "csv"], {})
    assert "\n::set-env name=X::1" in outside.stdout.decode("utf-8")
    with open(tmp_path / "out.csv", "wb") as handle:
        into_file = _run(
            hostile_folder, ["list", "-f", "csv"], {"GITHUB_ACTIONS": "true"}, stdout=handle
        )
    assert into_file.returncode == 0
    assert (tmp_path / "out.csv").read_bytes() == outside.stdout


_LINE_PIECES = st.sampled_from(
    ["::", ":", " ", "\t", "\n", "#", "##[", "##vso[", "a", "set-env", "é"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_PIECES | st.text(max_size=5)).map("".join), st.booleans())
@example("::a", True)
@example(" \n ::x", False)
def test_workflow_inert_leaves_nothing_to_obey_and_only_adds_breaks(text, at_start):
    inert = escape.workflow_inert(text, at_line_start=at_start)
    assert inert.replace(escape.WORKFLOW_BREAK, "") == text.replace(escape.WORKFLOW_BREAK, "")
    lines = inert.split("\n")
    checked = lines if at_start else lines[1:]
    assert not [line for line in checked if _OBEYED_LINE.match(line)]
    assert not _OBEYED_ANYWHERE.search(inert)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=8) | _LINE_PIECES, max_size=12))
def test_the_ci_stream_escapes_lines_cut_anywhere(pieces):
    from claimtrack.io.streams import WorkflowSafeStream

    target = io.StringIO()
    stream = WorkflowSafeStream(target)  # type: ignore[arg-type]
    for piece in pieces:
        stream.write(piece)
    stream.flush()
    out = target.getvalue()
    assert out.replace(escape.WORKFLOW_BREAK, "") == "".join(pieces).replace(
        escape.WORKFLOW_BREAK, ""
    )
    assert not _obeyed(out, annotations=False)


_MENTIONS = st.sampled_from(
    ["@octocat", "@org/team", "#123", "a/b#4", "GH-9", "gh-1", "@", "#", " ", "x", "&#64;"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MENTIONS | st.text(max_size=4), max_size=10).map("".join))
@example("&#64;octocat")
def test_no_markdown_output_holds_a_live_mention_or_issue_link(text):
    """GitHub undoes Markdown's escapes and entities (``&#64;x`` is a mention again), then
    links @user, @org/team, #123 and GH-123 in the text: the rendered text must hold none."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").parseInline(escape.markdown(text))
    shown = "".join(c.content for t in rendered for c in (t.children or []) if c.type == "text")
    assert not re.search(r"@[\w-]|#\d|(?<![\w-])gh-\d", shown, re.IGNORECASE), shown
