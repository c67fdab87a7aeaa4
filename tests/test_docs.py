"""The manual: the README is short and starts with the set-up commands, docs/commands.md is the
CLI's own help, and every link in README.md and docs/ leads somewhere."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
import typer.main

from claimtrack.cli import app
from conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
COMMANDS_MD = DOCS / "commands.md"
PAGES = [README, *sorted(DOCS.glob("*.md"))]

SETUP = (
    "pip install . && claimtrack report\n"
    "apt-get update && apt-get install -y --no-install-recommends chromium "
    "&& pip install '.[test]' && python -m pytest -q"
)
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
#: [text](target) and ![alt](target), not inside code.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _gendocs() -> ModuleType:
    path = ROOT / "tools" / "gendocs.py"
    spec = importlib.util.spec_from_file_location("gendocs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gendocs = _gendocs()


def _command_paths() -> list[str]:
    """Every command line of the app, walked here independently of the generator."""
    paths: list[str] = []

    def walk(command: object, path: str) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            if not getattr(sub, "hidden", False):
                walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "claimtrack")
    return paths


def _prose(text: str) -> str:
    """The text without fenced code blocks and inline code (links there are not links)."""
    text = FENCE.sub("", text)
    return re.sub(r"`[^`\n]*`", "", text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for line in FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        match = re.match(r"#{1,6} (.+)", line)
        if not match:
            continue
        slug = _slug(match.group(1))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


# --- (a) and (b): docs/commands.md is generated, and complete -----------------------------------


def test_commands_md_is_what_gendocs_writes() -> None:
    committed = COMMANDS_MD.read_text(encoding="utf-8")
    assert committed == gendocs.render(), (
        "docs/commands.md is out of date: run `python tools/gendocs.py`"
    )


def test_rules_md_is_what_gendocs_writes() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == gendocs.render_rules(), (
        "docs/rules.md is out of date: run `python tools/gendocs.py`"
    )


def test_every_policy_rule_and_rule_family_is_in_rules_md() -> None:
    from claimtrack.rules.policy import POLICY_RULES

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for name, rule in POLICY_RULES.items():
        assert f"### `{name}`" in text and rule.doc.splitlines()[0] in text, name
    for module in gendocs.RULE_MODULES:
        assert f"## `{module.rsplit('.', 1)[1]}`" in text, module
    for rule in ("quote-missing", "quote-context", "quote-ambiguous", "archive-changed"):
        assert rule in text, rule


def test_gendocs_output_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = gendocs.render()
    monkeypatch.setenv("COLUMNS", "37")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert gendocs.render() == plain
    assert "\x1b" not in plain
    assert not re.search(r"[╭╮╰╯│─]", plain), "rich panels in the generated help"
    # Each section holds the help in a plain-text fence, usage line first.
    sections = re.findall(r"^## (claimtrack[^\n]*)\n\n```text\nUsage: (\S+(?: \S+)*)", plain, re.M)
    assert sections and all(usage.startswith(path) for path, usage in sections)


def test_gendocs_check_fails_with_one_line_when_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "commands.md"
    monkeypatch.setattr(gendocs, "TARGET", target)
    target.write_text(gendocs.render().replace("Usage:", "Usage :", 1), encoding="utf-8")
    assert gendocs.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "run `python tools/gendocs.py`" in err
    assert gendocs.main([]) == 0  # rewrites it
    assert target.read_text(encoding="utf-8") == gendocs.render()
    capsys.readouterr()
    assert gendocs.main(["--check"]) == 0
    assert capsys.readouterr().err == ""


def test_every_command_and_subcommand_is_in_commands_md() -> None:
    text = COMMANDS_MD.read_text(encoding="utf-8")
    headings = re.findall(r"^## (claimtrack.*)$", text, re.MULTILINE)
    paths = _command_paths()
    assert {"claimtrack evidence add", "claimtrack source rm", "claimtrack list"} <= set(paths)
    assert headings == paths
    for path, help_text in gendocs.commands():
        assert f"## {path}\n\n```text\n" in text
        assert help_text.splitlines()[0] in text


# --- (c): the README ------------------------------------------------------------------------------


def test_readme_is_short_and_starts_with_the_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    first = FENCE.search(text)
    assert first is not None
    assert first.group(1).strip("\n") == SETUP
    # Right after the title and a paragraph: before any section.
    before = text[: first.start()]
    assert before.startswith("# claimtrack\n") and "\n## " not in before


def test_readme_maps_every_docs_page() -> None:
    text = README.read_text(encoding="utf-8")
    for page in sorted(DOCS.glob("*.md")):
        assert f"](docs/{page.name})" in text, page.name
    assert "bench/RESULTS.md" in text


# --- (d): links -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_lead_to_existing_files_and_headings(page: Path) -> None:
    links = LINK.findall(_prose(page.read_text(encoding="utf-8")))
    if page == README:
        assert len(links) >= 9
    broken = []
    for link in links:
        if re.match(r"[a-z][a-z0-9+.-]*:", link):  # https:, mailto:
            continue
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        inside = path.exists() and ROOT in (path, *path.parents)
        if not inside or (anchor and path.suffix == ".md" and anchor not in _anchors(path)):
            broken.append(link)
    assert not broken, f"{page.name}: {broken}"


# --- (e): the manual stands alone -----------------------------------------------------------------

FORBIDDEN = [
    re.compile(r"\.\./shared"),
    re.compile(r"/work/"),
    re.compile(r"issue #", re.IGNORECASE),
    re.compile(r"\bissue \d", re.IGNORECASE),
    re.compile(r"\bthis issue\b", re.IGNORECASE),
    re.compile(r"\bticket", re.IGNORECASE),
    re.compile(r"\bsession", re.IGNORECASE),
    re.compile(r"\bfirst wave\b", re.IGNORECASE),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pages_name_no_outside_paths_or_tickets(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    found = [pattern.pattern for pattern in FORBIDDEN if pattern.search(text)]
    assert not found, f"{page.name}: {found}"


def test_the_pages_exist() -> None:
    names = {p.name for p in DOCS.glob("*.md")}
    expected = {"usage.md", "commands.md", "format.md", "evidence.md", "ci.md", "interop.md"}
    assert expected | {"security.md", "rules.md", "design.md"} <= names
