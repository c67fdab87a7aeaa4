"""Scoring `extract` against hand-labelled answer keys: recall, precision, speaker, quantity and
dispute figures over the articles of ``fixtures/extract/eval/``.

Each article ``NAME.txt|.md|.html`` has a key ``NAME.key.yaml`` written by hand before the
extractor was tuned (``held_out: true`` marks those written after tuning ended). A key lists
``claims`` (a quote inside the check-worthy sentence, the ``speaker`` or a list of accepted
spellings, the headline ``quantity`` with ``value``, ``unit`` and ``bound``, and ``disputed_by``),
the ``disputes`` sentences (folded into the claim they dispute, so a draft of one is neither
right nor wrong) and ``furniture`` text that no draft may contain.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from claimtrack.core import anchor
from claimtrack.core.units import parse_unit
from claimtrack.io.extract import Draft, extract

EVAL = Path(__file__).resolve().parent / "fixtures" / "extract" / "eval"
ARTICLE_SUFFIXES = (".txt", ".md", ".html")


@dataclass
class Figures:
    """Counts over one or more articles; the rates are properties."""

    claims: int = 0
    found: int = 0
    drafts: int = 0
    right_drafts: int = 0
    speakers: int = 0
    speakers_right: int = 0
    quantities: int = 0
    quantities_right: int = 0
    disputes: int = 0
    disputes_linked: int = 0
    furniture_drafts: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def recall(self) -> float:
        return self.found / self.claims if self.claims else 0.0

    @property
    def precision(self) -> float:
        return self.right_drafts / self.drafts if self.drafts else 0.0

    @property
    def speaker(self) -> float:
        return self.speakers_right / self.speakers if self.speakers else 0.0

    @property
    def quantity(self) -> float:
        return self.quantities_right / self.quantities if self.quantities else 0.0

    @property
    def dispute(self) -> float:
        return self.disputes_linked / self.disputes if self.disputes else 0.0

    def line(self) -> str:
        return (
            f"recall {self.recall:.2f} ({self.found}/{self.claims}), precision "
            f"{self.precision:.2f} ({self.right_drafts}/{self.drafts}), speaker {self.speaker:.2f}"
            f" ({self.speakers_right}/{self.speakers}), quantity {self.quantity:.2f} "
            f"({self.quantities_right}/{self.quantities}), disputes {self.dispute:.2f} "
            f"({self.disputes_linked}/{self.disputes}), furniture drafts {self.furniture_drafts}"
        )


def articles() -> list[tuple[Path, Path]]:
    """Every (article, key) pair, by name."""
    pairs = []
    for key in sorted(EVAL.glob("*.key.yaml")):
        stem = key.name.removesuffix(".key.yaml")
        (article,) = [
            EVAL / f"{stem}{s}" for s in ARTICLE_SUFFIXES if (EVAL / f"{stem}{s}").exists()
        ]
        pairs.append((article, key))
    return pairs


def held_out(key: Path) -> bool:
    return bool(yaml.safe_load(key.read_text(encoding="utf-8")).get("held_out"))


def _name(text: str) -> str:
    words = " ".join(text.replace("’", "'").lower().split())
    return words.removeprefix("the ")


def _names(expected: Any) -> set[str]:
    return {_name(n) for n in (expected if isinstance(expected, list) else [expected])}


def _span(quote: str, text: anchor.Normalized) -> tuple[int, int] | None:
    found = anchor.find_all(quote, text)
    return found[0] if found else None


def _unit(unit: str) -> tuple[str, float]:
    spelled = " ".join(unit.lower().replace(" a ", " per ").split())
    parsed = parse_unit(spelled)
    return parsed.canonical, parsed.factor


def quantity_right(draft: Draft, wanted: dict[str, Any]) -> bool:
    """Value within 0.5 %, the same unit (in its canonical spelling) and the same bound."""
    got = draft.claim.quantity
    if got is None:
        return False
    got_unit, got_factor = _unit(got.unit)
    want_unit, want_factor = _unit(str(wanted["unit"]))
    value, target = got.value * got_factor, float(wanted["value"]) * want_factor
    close = abs(value - target) <= 0.005 * abs(target)
    bound = str(got.bound) if got.bound is not None else None
    return got_unit == want_unit and close and bound == wanted.get("bound")


def evaluate(article: Path, key_path: Path) -> Figures:
    """The figures of one article against its key."""
    key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
    extraction = extract(article.read_text(encoding="utf-8"), key["source"])
    text = anchor.normalize("\n".join(block.text for block in extraction.blocks))
    drafts = [(d, _span(d.claim.quote or d.sentence, text)) for d in extraction.drafts]
    disputes = [_span(item["quote"], text) for item in key.get("disputes") or []]
    wanted = key["claims"]
    spans = [_span(item["quote"], text) for item in wanted]
    assert None not in spans + disputes, f"{key_path.name}: a key quote is not in the article"

    def overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
        return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]

    figures = Figures(claims=len(wanted))
    for draft, span in drafts:
        if any(overlaps(span, d) for d in disputes) and not any(overlaps(span, s) for s in spans):
            continue  # a dispute's own sentence: folded into the claim it disputes, or not
        figures.drafts += 1
        figures.right_drafts += any(overlaps(span, s) for s in spans)
        furniture = key.get("furniture") or []
        figures.furniture_drafts += any(f.lower() in draft.sentence.lower() for f in furniture)
    for item, span in zip(wanted, spans, strict=True):
        matches = [d for d, s in drafts if overlaps(s, span)]
        draft = matches[0] if matches else None
        figures.found += draft is not None
        figures.speakers += 1
        if draft is not None and _name(draft.claim.attribution.name) in _names(item["speaker"]):
            figures.speakers_right += 1
        if "quantity" in item:
            figures.quantities += 1
            figures.quantities_right += draft is not None and quantity_right(
                draft, item["quantity"]
            )
        if "disputed_by" in item:
            figures.disputes += 1
            parties = {_name(p.name) for p in draft.claim.disputed_by} if draft else set()
            figures.disputes_linked += bool(parties & _names(item["disputed_by"]))
    return figures


def evaluate_all(only_held_out: bool | None = None) -> Figures:
    """The summed figures of every article (or only the held-out ones, or only the others)."""
    total = Figures()
    for article, key in articles():
        if only_held_out is None or held_out(key) == only_held_out:
            total += evaluate(article, key)
    return total
