"""Every output format is registered in one place (``claimtrack.render.FORMATS``): each
command's --format offers exactly the formats registered for it, and every registered renderer
renders the shipped claims."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from claimtrack.cli import app
from claimtrack.interop import EXPORTERS, IMPORTERS, ExportFormat, ImportFormat
from claimtrack.render import FORMATS, StyledLines, renderer
from conftest import SHIPPED_CLAIMS


def _format_choices() -> dict[str, list[str]]:
    """Every command with a --format option -> its choices, as the CLI offers them."""
    found: dict[str, list[str]] = {}

    def walk(group: Any, path: list[str]) -> None:
        for name, sub in group.commands.items():
            if hasattr(sub, "commands"):
                walk(sub, [*path, name])
                continue
            for param in sub.params:
                if "--format" in getattr(param, "opts", ()):
                    assert hasattr(param.type, "choices"), (name, param.type)
                    found[" ".join([*path, name])] = list(param.type.choices)

    walk(typer.main.get_command(app), [])
    return found


CHOICES = _format_choices()


def test_every_format_option_offers_exactly_the_registered_formats() -> None:
    exchange = {"export": ExportFormat, "import": ImportFormat}
    assert set(CHOICES) == set(FORMATS) | set(exchange)
    for command, formats in FORMATS.items():
        assert CHOICES[command] == [f.value for f in formats.choices], command
        assert set(formats.renderers) == set(formats.choices), command
    assert CHOICES["export"] == [f.value for f in ExportFormat] == [f.value for f in EXPORTERS]
    assert CHOICES["import"] == [f.value for f in ImportFormat] == [f.value for f in IMPORTERS]


def test_the_registry_imports_no_renderer() -> None:
    """Naming the formats imports none of their modules, nor rich, pydantic or yaml:
    `claimtrack --help` stays fast (the CLI loads ``dataclasses`` anyway)."""
    import sys

    code = (
        "import sys, claimtrack; before = set(sys.modules); import claimtrack.render; "
        "print(sorted(m for m in set(sys.modules) - before "
        "if m.split('.')[0] in ('claimtrack', 'rich', 'pydantic', 'yaml')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['claimtrack.render']"


def _as_text(output: Any) -> str:
    """A renderer's output as the text it stands for (rich renderables printed without colour)."""
    if isinstance(output, bytes):
        return output.decode("utf-8")
    if isinstance(output, str):
        return output
    if isinstance(output, StyledLines):
        return "".join(text + "\n" for text, _ in output)
    if isinstance(output, Iterator):
        return "".join(output)
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None).print(output)
    return buffer.getvalue()


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every command's input, made from the shipped claims by the library (log and diff: from
    a git repository holding them, with one claim's confidence changed in a second commit)."""
    from claimtrack.api import figures, open_folder, search_claims, validate_paths
    from claimtrack.core.graph import build_graph
    from claimtrack.core.query import Query, evaluate
    from claimtrack.core.search import parse_terms
    from claimtrack.core.timeline import build_timeline
    from claimtrack.edit.sources import archive_state, citing
    from claimtrack.io.history import diff, open_repo, timeline
    from claimtrack.render.terminal import Terminal
    from claimtrack.rules.policy import POLICY_RULES
    from claimtrack.rules.quotes import verify
    from claimtrack.rules.report import build_report

    project = tmp_path_factory.mktemp("project")
    root = project / "claims"
    shutil.copytree(SHIPPED_CLAIMS, root)
    dataset = open_folder(root, cache=False)
    entries = evaluate(dataset)
    entry = next(e for e in entries if e.claim.evidence)
    found, _ = search_claims(dataset, "cuba", Query(), use_index=False)
    terms = parse_terms("cuba")
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    source_id = entry.claim.appears_in
    source = dataset.sources[source_id].source
    counted, _ = figures(lambda keep: open_folder(root, cache=False, keep_claims=keep), False)

    home = project / "home"
    home.mkdir()
    git_env = {
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(project.parent),
        "GIT_AUTHOR_NAME": "Ana Checker",
        "GIT_AUTHOR_EMAIL": "ana@example.org",
        "GIT_COMMITTER_NAME": "Ana Checker",
        "GIT_COMMITTER_EMAIL": "ana@example.org",
    }
    with pytest.MonkeyPatch.context() as patch:
        for key, value in git_env.items():
            patch.setenv(key, value)
        _git(project, "init", "-q", "-b", "main")
        _git(project, "add", "-A")
        _git(project, "commit", "-q", "-m", "The shipped claims")
        path = Path(entry.record.path)
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^confidence: .*$", "confidence: 0.5", text), "utf-8")
        _git(project, "commit", "-q", "-am", "Less sure")
        repo = open_repo(root)
        events = [e.to_dict() for e in timeline(repo, path)]
        semantic = diff(repo, lambda: open_folder(root, cache=False), "HEAD~1", "HEAD")

    terminal = Terminal(width=100)
    series = build_timeline(entries)
    return {
        "list": ((entries,), len(entries)),
        "search text": ((found, terms, sources, False), len(found)),
        "search": (([f.entry for f in found],), len(found)),
        "show": ((entry, dataset, terminal), 1),
        "source show": ((source, citing(dataset, source_id), archive_state(root, source), "p"), 1),
        "validate": ((validate_paths([], root, cache=False),), 0),
        "stats": ((counted, 5), 1),
        "report": ((build_report(dataset),), 1),
        "rules": ((POLICY_RULES.values(),), len(POLICY_RULES)),
        "log": ((entry.record.id, events), 2),
        "diff": ((semantic,), 1),
        "verify": ((verify(dataset),), 0),
        "quantities": ((series, terminal), len(series)),
        "graph": ((build_graph(entries, dataset),), len(entries)),
    }


REGISTERED = [(command, fmt) for command, formats in FORMATS.items() for fmt in formats.choices]
IDS = [f"{command}-{fmt.value}" for command, fmt in REGISTERED]
CHECKS = ("validate", "verify")


@pytest.mark.parametrize(("command", "fmt"), REGISTERED, ids=IDS)
def test_every_registered_renderer_renders_the_shipped_claims(
    shipped: dict[str, Any], command: str, fmt: Any
) -> None:
    key = "search text" if command == "search" and fmt.value == "text" else command
    args, count = shipped[key]
    text = _as_text(renderer(command, fmt)(*args))
    if command in CHECKS:  # the shipped claims have no problems: no line, an empty list
        if fmt.value == "text":
            assert text == ""
        else:
            assert json.loads(text)["problems"] == []
        return
    assert count > 0  # the input holds something to render
    assert text.strip()
    if fmt.value == "json":
        data = json.loads(text)
        assert len(data) == count if isinstance(data, list) else data
    elif fmt.value == "jsonl":
        assert len(text.splitlines()) == count
    if command in ("list", "search") and key != "search text":
        assert all(entry.record.id in text for entry in args[0])
    if command == "rules":
        assert all(rule.name in text for rule in args[0])


@pytest.mark.parametrize("command", CHECKS)
def test_the_problem_renderers_give_one_line_a_problem(claims_dir: Path, command: str) -> None:
    """validate's and verify's renderers on a copy of the shipped claims with a quote changed
    (verify: missing from its source) and a file that is not YAML (validate)."""
    from claimtrack.api import open_folder, validate_paths
    from claimtrack.rules.quotes import verify

    claim = next(claims_dir.glob("chavez-died-2013.yaml"))
    claim.write_text(re.sub(r"(?m)^quote: (.)", r"quote: X\1", claim.read_text("utf-8")), "utf-8")
    (claims_dir / "broken.yaml").write_text("status: [\n", "utf-8")
    if command == "validate":
        result: Any = validate_paths([], claims_dir, cache=False)
    else:
        result = verify(open_folder(claims_dir, cache=False))
    assert result.problems
    formats = FORMATS[command].choices
    lines = renderer(command, formats("text"))(result)
    assert isinstance(lines, StyledLines)
    assert [text for text, _ in lines] == [p.format() for p in result.problems]
    styles = ["red" if p.level.value == "error" else "yellow" for p in result.problems]
    assert [style for _, style in lines] == styles and "red" in styles
    data = json.loads(renderer(command, formats("json"))(result))
    assert len(data["problems"]) == len(result.problems)
