"""The rule catalog is the truth about validation rules: every rule in it fires on a folder of
broken files, and no problem names a rule that is not in it."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from tests.conftest import SOURCES_YAML, Run, claim_yaml

from claimtrack.rules.catalog import FAMILIES, RULES

ARTICLE = "The minister said the harbour was dredged. Officials said so. Officials said so.\n"


def _registry(article_sha: str) -> str:
    return SOURCES_YAML.replace(
        "    reliability: F\n",
        f"    reliability: F\n    text_sha256: {article_sha}\n",
        1,
    ).replace(
        "  - id: rebuttal\n",
        f"  - id: rebuttal\n    text_sha256: '{'0' * 64}'\n",
    )


def _claims(folder: Path) -> dict[str, str | bytes]:
    laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 7)
    )
    outside = folder.parent / "outside.yaml"
    outside.write_text(claim_yaml("outside"), encoding="utf-8")
    quantity = "\n  value: {}\n  unit: barrels per day\n  as_of: 2025\n  measure: oil-shipments"
    return {
        "syntax.yaml": "id: [unclosed\n",
        "dupkey.yaml": "id: dupkey\nid: dupkey\n",
        "tag.yaml": "id: !!python/object:os.system x\n",
        "key.yaml": "1: one\n",
        "alias.yaml": laughs,
        "number.yaml": "id: number\nconfidence: " + "9" * 4301 + "\n",
        "multi.yaml": "a: 1\n---\nb: 2\n",
        "deep.yaml": "x: " + "[" * 5000 + "]" * 5000 + "\n",
        "encoding.yaml": b"id: caf\xe9\n",
        "empty.yaml": "# nothing but a comment\n",
        "notmap.yaml": "- a\n- b\n",
        "large.yaml": "# padding\n" * (2 * 1024 * 1024 // 10 + 10),
        "required.yaml": claim_yaml("required", statement=None),  # type: ignore[arg-type]
        "unknown.yaml": claim_yaml("unknown", colour="red"),
        "type.yaml": claim_yaml("type", evidence="5"),
        "value.yaml": claim_yaml("value", confidence="7"),
        "stem.yaml": claim_yaml("not-the-stem"),
        "missing-source.yaml": claim_yaml("missing-source", appears_in="nosuch"),
        "mismatch.yaml": claim_yaml("mismatch", status="refuted"),
        "word.yaml": claim_yaml("word", confidence="{value: 0.9, word: unlikely}"),
        "certain.yaml": claim_yaml("certain", confidence="1.0"),
        "mixed.yaml": claim_yaml(
            "mixed", statement="We have high confidence that it is likely to rain."
        ),
        "independent.yaml": claim_yaml(
            "independent",
            evidence="\n  - source: wire\n    stance: supports\n    credibility: 1",
        ),
        "dup.yaml": claim_yaml("dup"),
        "more/dup.yaml": claim_yaml("dup"),
        "negates-nothing.yaml": claim_yaml("negates-nothing", negates="nothing-at-all"),
        "sourced.yaml": claim_yaml("sourced"),
        "opposite.yaml": claim_yaml("opposite", negates="sourced"),
        "oil-high.yaml": claim_yaml("oil-high", quantity=quantity.format(53000)),
        "oil-low.yaml": claim_yaml("oil-low", quantity=quantity.format(27000)),
        "quote-missing.yaml": claim_yaml("quote-missing", quote="never said anywhere"),
        "quote-context.yaml": claim_yaml(
            "quote-context", quote="the harbour was dredged", prefix="nobody said"
        ),
        "quote-ambiguous.yaml": claim_yaml("quote-ambiguous", quote="Officials said so"),
    }


def test_every_catalogued_rule_fires_and_every_problem_names_one(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    folder = tmp_path / "claims"
    (folder / "sources").mkdir(parents=True)
    article = ARTICLE.encode()
    (folder / "sources" / "article.txt").write_bytes(article)
    (folder / "sources" / "wire.txt").write_text("A wire text.\n", encoding="utf-8")  # unhashed
    (folder / "sources.yaml").write_text(
        _registry(hashlib.sha256(article + b"changed").hexdigest()), encoding="utf-8"
    )
    # A second registry file defining an id twice, and an archive that is not UTF-8.
    (folder / "sources" / "more.yaml").write_text(
        "sources:\n  - id: latin\n    title: Latin\n    kind: article\n    date: 2999-01-01\n"
        "  - id: latin\n    title: Again\n    kind: article\n",
        encoding="utf-8",
    )
    (folder / "sources" / "latin.txt").write_bytes(b"caf\xe9\n")
    for name, body in _claims(folder).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    (folder / "gone.yaml").symlink_to(folder / "no-such-target.yaml")
    (folder / ".claimtrack.journal.json").write_text("{}", encoding="utf-8")  # a mv cut short

    result = run(["--no-cache", "--dir", str(folder), "validate", "-f", "json"])
    assert result.exit_code == 1
    named = {p["rule"] for p in json.loads(result.stdout)["problems"]}
    assert named - RULES.keys() == set(), "problems name rules the catalog does not document"
    assert RULES.keys() - named == set(), "catalogued rules that no broken file trips"
    levels = {(p["rule"], p["level"]) for p in json.loads(result.stdout)["problems"]}
    assert all(RULES[rule].level.value == level for rule, level in levels), levels


def test_every_rule_is_documented_once_in_its_family() -> None:
    from tests.test_docs import _gendocs

    text = _gendocs().render_rules()
    for rule in RULES.values():
        assert rule.family in FAMILIES
        assert text.count(f"| `{rule.id}` |") == 1, rule.id
        assert rule.doc.endswith("."), rule.id
