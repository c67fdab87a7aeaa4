"""Every rule a validation problem can name: its id, level, family and meaning (docs/rules.md).

A problem's ``rule`` is one of these ids; ``tests/test_rule_catalog.py`` makes every rule here
fire on a folder of broken files and fails on a problem whose rule is not here. The estimative
lint rules are documented by their own docstrings (``rules/lint.py``) and taken from there.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimtrack.core.problem import Level


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    family: str
    doc: str


#: family -> what its rules check, in the order the docs show them.
FAMILIES = {
    "yaml": "Reading a file as YAML (before anything of claimtrack's format is looked at).",
    "file": "The file itself: its size, encoding, kind and top-level shape.",
    "fields": "One claim or source against the format and the source registry.",
    "lint": "Estimative language and sourcing: what a careful analyst would flag (ICD 203).",
    "folder": "Across files: ids, the registry's own references, contradictions.",
    "quotes": "Quotes against the archived texts of their sources, and the archives.",
}

E, W = Level.ERROR, Level.WARNING

_TABLE: tuple[tuple[str, str, Level, str], ...] = (
    ("yaml", "yaml-syntax", E, "Not parseable YAML: tabs, bad indentation, unclosed quotes..."),
    ("yaml", "yaml-duplicate-key", E, "A key given twice in one mapping."),
    (
        "yaml",
        "yaml-tag",
        E,
        "A tag such as `!!python/object` (never constructed), or a core tag that does not fit "
        "its value (`!!int abc`).",
    ),
    ("yaml", "yaml-key", E, "A mapping key that is not text."),
    (
        "yaml",
        "yaml-alias",
        E,
        "An alias inside the collection its anchor names (`x: &a [*a]`, a mapping that holds "
        "itself: the document would contain itself), an anchor defined twice, or aliases that "
        "would expand past 100,000 nodes (all found before anything is expanded).",
    ),
    (
        "yaml",
        "yaml-number",
        E,
        "A number no claim can hold: an integer past a float's range (about 1.8e308, over 309 "
        "digits) or a literal that overflows to infinity (`1e999`); quote it if it is text.",
    ),
    ("yaml", "yaml-multi-document", E, "More than one YAML document in one file."),
    ("yaml", "yaml-depth", E, "Nesting too deep to read."),
    (
        "file",
        "file-encoding",
        E,
        "Not UTF-8 (or UTF-16 with a byte-order mark), or holding control characters.",
    ),
    ("file", "file-empty", E, "The file holds no YAML value."),
    ("file", "file-not-mapping", E, "The file's top level is not a mapping."),
    ("file", "file-too-large", E, "Over 2 MiB: not read."),
    ("file", "file-unreadable", E, "The file cannot be read (permissions, I/O error)."),
    ("file", "file-special", E, "A FIFO, device or socket where a file was expected: skipped."),
    ("file", "file-symlink", W, "A symbolic link that leads out of the claims folder: skipped."),
    ("fields", "required", E, "A required field is missing."),
    ("fields", "unknown-field", E, "A field the format does not have (with a did-you-mean)."),
    ("fields", "type", E, "A value of the wrong type."),
    ("fields", "value", E, "A value outside its range or vocabulary."),
    ("fields", "id-stem", E, "The claim's id differs from its file's name."),
    (
        "fields",
        "source-missing",
        E,
        "`appears_in`, an evidence item, a dispute or `derived_from` names a source that is "
        "not in the registry.",
    ),
    (
        "fields",
        "status-mismatch",
        W,
        "The written `status:` differs from the one its evidence gives (the derived one wins).",
    ),
    ("fields", "confidence-word", W, "A confidence word outside the band of its number."),
    ("folder", "id-duplicate", E, "Two files hold claims with one id (both are named)."),
    (
        "folder",
        "rename-unfinished",
        E,
        "A `mv` was cut short: its journal `.claimtrack.journal.json` is still there. Run the "
        "same `mv` again, or any write command, to finish it from the journal.",
    ),
    ("folder", "source-duplicate", E, "Two registry entries use one source id."),
    (
        "folder",
        "date-future",
        W,
        "A source dated after the day of the run (an article cannot be published tomorrow); "
        "`SOURCE_DATE_EPOCH` sets the day.",
    ),
    (
        "folder",
        "negates-missing",
        E,
        "`negates` names no claim of the folder, or the claim itself.",
    ),
    (
        "folder",
        "quantity-contradiction",
        W,
        "Two claims on the same measure and time whose values disagree beyond the tolerance.",
    ),
    ("folder", "negation-contradiction", W, "A claim and the claim it `negates` are both sourced."),
    (
        "quotes",
        "quote-missing",
        E,
        "The quote is not in its source's archived text (the closest passage is suggested; a "
        "quote is never re-anchored to similar text).",
    ),
    ("quotes", "quote-context", E, "The quote is there, but never next to its prefix or suffix."),
    ("quotes", "quote-ambiguous", W, "The quote occurs more than once: add a prefix or suffix."),
    (
        "quotes",
        "archive-changed",
        E,
        "The archived text's sha256 is not the registered `text_sha256`; quotes are still "
        "checked against the text as it is now, so the damage shows.",
    ),
    (
        "quotes",
        "archive-missing",
        E,
        "`text_sha256` is registered but `sources/<id>.txt` is not there.",
    ),
    (
        "quotes",
        "archive-unhashed",
        W,
        "`sources/<id>.txt` is there but the registry holds no `text_sha256` (the message "
        "gives it).",
    ),
    (
        "quotes",
        "archive-unreadable",
        E,
        "The archived text is not UTF-8, or not a regular file of at most 8 MiB.",
    ),
)


def _lint_rules() -> list[Rule]:
    import inspect

    from claimtrack.rules.lint import LINT_RULES

    rules = []
    for rule_id, check in LINT_RULES.items():
        doc = inspect.cleandoc(check.__doc__ or "")
        doc = doc.removeprefix(f"`{rule_id}`:").strip()
        rules.append(Rule(rule_id, W, "lint", doc[:1].upper() + doc[1:]))
    return rules


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in sorted(
        [Rule(rid, level, family, doc) for family, rid, level, doc in _TABLE] + _lint_rules(),
        key=lambda r: list(FAMILIES).index(r.family),
    )
}
