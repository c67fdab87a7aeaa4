"""The evidence commands have help, are in the README, and every new rule is documented."""

from __future__ import annotations

import pytest

from claimtrack.rules.lint import LINT_RULES
from conftest import manual

README = manual()
RULES = [
    *LINT_RULES,
    "quantity-contradiction",
    "negation-contradiction",
    "negates-missing",
    "quote-missing",
    "quote-context",
    "quote-ambiguous",
    "archive-changed",
    "archive-missing",
    "archive-unhashed",
    "archive-unreadable",
]


@pytest.mark.parametrize("command", ["verify", "quantities", "graph", "extract"])
def test_command_has_help_and_a_readme_section(run, command: str) -> None:
    result = run([command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert f"### `claimtrack {command}" in README


@pytest.mark.parametrize("rule", RULES)
def test_rule_is_in_the_readme_table(rule: str) -> None:
    assert f"| `{rule}` |" in README


def test_lint_rules_document_themselves() -> None:
    for rule, check in LINT_RULES.items():
        assert check.__doc__ and check.__doc__.startswith(f"`{rule}`")
