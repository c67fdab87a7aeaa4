"""A seeded generator of realistic claim folders for the benchmark (and for a test).

Usage: ``python bench/generate.py --size 10k --layout flat OUT`` (sizes 1k, 10k, 100k or a number).

The shapes follow the shipped claims of one article: most claims have a quote, an attribution
(sometimes with a ``via`` chain), one to three evidence items, some a quantity, some disputes,
a few tags and a paragraph of notes. Claims belong to articles of 100 claims each; every article
is a source in ``sources.yaml``, next to a pool of wire reports, datasets and statements.

Layouts (the format is one claim per file, so "100 per file" cannot be honoured literally):

* ``flat``: every claim file directly in the claims folder (10k claims: 10,000 files in one folder);
* ``nested``: one subfolder per article holding its 100 claim files (10k claims: 100 folders).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
PER_ARTICLE = 100
LAYOUTS = ("flat", "nested")

_WORDS = [
    "oil",
    "shipments",
    "security",
    "advisers",
    "ministry",
    "intelligence",
    "budget",
    "exports",
    "port",
    "tanker",
    "contract",
    "election",
    "council",
    "reform",
    "subsidy",
    "inflation",
    "border",
    "migration",
    "hospital",
    "doctors",
    "mission",
    "refinery",
    "pipeline",
    "sanctions",
    "treaty",
    "embassy",
    "census",
    "harvest",
    "drought",
    "tariff",
    "strike",
    "union",
    "court",
    "ruling",
    "decree",
    "audit",
    "deficit",
    "loan",
    "bond",
    "currency",
    "reserves",
    "agency",
    "police",
    "army",
    "navy",
    "coast",
    "guard",
]
_NAMES = (
    "Ministry of Energy",
    "Marco Rubio",
    "PDVSA",
    "Government of Cuba",
    "Central Bank",
    "Maria Lopez",
    "National Assembly",
    "Reuters",
    "Associated Press",
    "a senior official",
    "Transparency Venezuela",
    "the article's author",
    "Human Rights Watch",
    "Jose Garcia",
)
_KINDS = (
    "official",
    "government",
    "organization",
    "media",
    "expert",
    "anonymous",
    "document",
    "author",
)
_WORDS_CONF = (
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
)
_TYPES = ("quantity", "prediction", "causal", "quote", "event", "opinion", "rule")
_UNITS = ("barrels per day", "people", "US dollars", "percent", "days", "tonnes")
_SOURCE_KINDS = ("report", "dataset", "statement", "broadcast", "document")
_RELIABILITY = ("A", "B", "C", "D", "E", "F")


def count(size: str) -> int:
    """``10k`` or ``2500`` as a number of claims."""
    return SIZES.get(size) or int(size.replace("_", ""))


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (always safe, whatever the text)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _source_pool(articles: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(id, kind, reliability) of every source: the articles and a shared pool."""
    pool = [(f"article-{a:05d}", "article", rng.choice("CDEF")) for a in range(articles)]
    extra = max(20, articles // 2)
    pool += [
        (f"{kind}-{i:05d}", kind, rng.choice(_RELIABILITY))
        for i in range(extra)
        for kind in (rng.choice(_SOURCE_KINDS),)
    ]
    return pool


def registry_yaml(pool: list[tuple[str, str, str]], rng: random.Random) -> str:
    lines = ["# yaml-language-server: $schema=../schema/sources.schema.json", "sources:"]
    for sid, kind, reliability in pool:
        lines += [
            f"- id: {sid}",
            f"  title: {_quoted(_sentence(rng, 7))}",
            f"  publisher: {_quoted(rng.choice(_NAMES))}",
            f"  url: https://example.org/{sid}",
            f"  date: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"  kind: {kind}",
            f"  reliability: {reliability}",
        ]
    return "\n".join(lines) + "\n"


def claim_yaml(
    claim_id: str, article: str, pool: list[tuple[str, str, str]], rng: random.Random
) -> str:
    """One claim file, shaped like the shipped ones."""
    kind = rng.choice(_KINDS)
    out = [
        "# yaml-language-server: $schema=../schema/claim.schema.json",
        f"id: {claim_id}",
        f"statement: {_quoted(_sentence(rng, rng.randint(10, 24)))}",
        f"quote: {_quoted(_sentence(rng, rng.randint(8, 20)))}",
        f"appears_in: {article}",
        f"type: {rng.choice(_TYPES)}",
        "attribution:",
        f"  name: {_quoted(rng.choice(_NAMES))}",
    ]
    if rng.random() < 0.4:
        out.append(f"  role: {_quoted(_sentence(rng, 3))}")
    out.append(f"  kind: {kind}")
    if rng.random() < 0.3:
        out += ["  via:", f"  - name: {_quoted(rng.choice(_NAMES))}", "    kind: media"]
    if rng.random() < 0.5:
        out.append(f"confidence: {rng.choice(_WORDS_CONF)}")
    else:
        out.append(f"confidence: {rng.choice((0.1, 0.3, 0.5, 0.65, 0.7, 0.85, 0.9))}")
    out.append(f"analytic_confidence: {rng.choice(('low', 'moderate', 'high'))}")
    if rng.random() < 0.3:
        out += [
            "quantity:",
            f"  value: {rng.randint(1, 100_000)}",
            f"  unit: {rng.choice(_UNITS)}",
            f"  approx: {rng.choice(('true', 'false'))}",
            f"  as_of: {rng.randint(2000, 2025)}",
        ]
    out.append("evidence:")
    out += [
        f"- source: {article}",
        f"  stance: {rng.choices(('supports', 'context'), (3, 1))[0]}",
        f"  credibility: {rng.randint(2, 4)}",
        f"  note: {_quoted(_sentence(rng, rng.randint(8, 18)))}",
    ]
    for _ in range(rng.choices((0, 1, 2), (4, 4, 2))[0]):
        sid = rng.choice(pool)[0]
        out += [
            f"- source: {sid}",
            f"  stance: {rng.choices(('supports', 'refutes', 'context'), (5, 2, 2))[0]}",
        ]
        if rng.random() < 0.5:
            out.append(f"  credibility: {rng.randint(1, 6)}")
    if rng.random() < 0.1:
        out += [
            "disputed_by:",
            f"- name: {_quoted(rng.choice(_NAMES))}",
            f"  kind: {rng.choice(_KINDS)}",
        ]
    if rng.random() < 0.03:  # a declared status; when it disagrees, validate warns
        out.append(f"status: {rng.choice(('sourced', 'unsourced', 'contested'))}")
    out.append("tags:")
    out += [f"- {rng.choice(_WORDS)}" for _ in range(rng.randint(1, 4))]
    out.append(f"notes: {_quoted(' '.join(_sentence(rng, 12) for _ in range(rng.randint(1, 4))))}")
    if rng.random() < 0.4:
        out.append(f"date: 20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}")
    return "\n".join(out) + "\n"


def _broken(text: str, rng: random.Random) -> str:
    """A realistic mistake: a misspelt stance, a misspelt field or a bad confidence."""
    choice = rng.randrange(3)
    if choice == 0:
        return text.replace("stance: supports", "stance: supprts", 1)
    if choice == 1:
        return text.replace("statement:", "statment:", 1)
    return text.replace("analytic_confidence:", "confidence_note:", 1)


def generate(
    out: Path, claims: int, layout: str = "flat", seed: int = 7, broken: float = 0.0
) -> Path:
    """Write ``claims`` claims into ``out`` (created); return ``out``."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    rng = random.Random(seed)
    articles = max(1, -(-claims // PER_ARTICLE))
    pool = _source_pool(articles, rng)
    out.mkdir(parents=True, exist_ok=True)
    (out / "sources.yaml").write_text(registry_yaml(pool, rng), encoding="utf-8")
    for n in range(claims):
        article_no = n // PER_ARTICLE
        article = f"article-{article_no:05d}"
        words = "-".join(rng.choice(_WORDS).replace(" ", "-") for _ in range(3))
        claim_id = f"{words}-{n:06d}"
        folder = out / article if layout == "nested" else out
        if layout == "nested" and n % PER_ARTICLE == 0:
            folder.mkdir(exist_ok=True)
        text = claim_yaml(claim_id, article, pool, rng)
        if broken and rng.random() < broken:
            text = _broken(text, rng)
        (folder / f"{claim_id}.yaml").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to create")
    parser.add_argument("--size", default="1k", help="1k, 10k, 100k or a number of claims")
    parser.add_argument("--layout", choices=LAYOUTS, default="flat")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--broken", type=float, default=0.0, help="share of files with a mistake")
    args = parser.parse_args()
    generate(args.out, count(args.size), args.layout, args.seed, args.broken)


if __name__ == "__main__":
    main()
