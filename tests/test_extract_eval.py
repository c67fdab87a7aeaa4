"""`extract` against hand-labelled news articles: the targets a fact-checker needs are met.

The articles and their keys are in ``fixtures/extract/eval/`` (see ``extract_eval.py``); those
marked ``held_out`` were written after the extractor's tuning ended and are checked apart.
"""

from __future__ import annotations

import pytest
import yaml

from claimtrack.core import anchor
from claimtrack.io.extract import extract, score
from conftest import SHIPPED_CLAIMS
from extract_eval import Figures, articles, evaluate, evaluate_all, held_out

RECALL, PRECISION, SPEAKER, QUANTITY, DISPUTES = 0.9, 0.8, 0.85, 0.85, 0.75
SHIPPED = SHIPPED_CLAIMS / "sources" / "venezuela-cuba-oil-for-security.txt"


#: On articles it was never tuned on, the quantity is right for about four drafts in five: 56 of
#: 70 over the first measurement of every pair written held out (37 of 47 before the three
#: written last; those three: 19 of 23, 0.83). The held-out set now is 24 of 27 (0.89), one of
#: them from a general fix made after seeing the three (a time of day is not a quantity); the long
#: tail left: "cap ... at" as a bound, "for six weeks" taken as framing, km and kilometres told
#: apart. A floor below the target, and it says so.
HELD_OUT_QUANTITY = 0.8


def _meets_the_targets(figures: Figures, quantity: float = QUANTITY) -> None:
    assert figures.recall >= RECALL, figures.line()
    assert figures.precision >= PRECISION, figures.line()
    assert figures.speaker >= SPEAKER, figures.line()
    assert figures.quantity >= quantity, figures.line()
    assert figures.dispute >= DISPUTES, figures.line()
    assert figures.furniture_drafts == 0, figures.line()


def test_the_set_is_varied() -> None:
    pairs = articles()
    assert len(pairs) >= 8
    assert {a.suffix for a, _ in pairs} == {".txt", ".md", ".html"}
    assert sum(held_out(k) for _, k in pairs) >= 2


def test_targets_on_the_articles_tuned_on() -> None:
    _meets_the_targets(evaluate_all(only_held_out=False))


def test_targets_on_the_held_out_articles() -> None:
    _meets_the_targets(evaluate_all(only_held_out=True), quantity=HELD_OUT_QUANTITY)


@pytest.mark.parametrize(("article", "key"), articles(), ids=lambda p: p.name)
def test_no_article_is_far_off(article, key) -> None:
    figures = evaluate(article, key)
    assert figures.recall >= 0.75 and figures.speaker >= 0.6, figures.line()
    assert figures.furniture_drafts == 0, figures.line()


def test_the_shipped_article() -> None:
    """Recall of the shipped claims' sentences and precision of the drafts against them."""
    text = SHIPPED.read_text(encoding="utf-8")
    quotes = []
    for path in sorted(SHIPPED_CLAIMS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("appears_in") == "venezuela-cuba-oil-for-security" and data.get("quote"):
            quotes.append(data["quote"])
    drafts = extract(text, "venezuela-cuba-oil-for-security").drafts
    figures = score([d.claim.quote or "" for d in drafts], quotes, text)
    assert figures.recall >= 21 / 23 and figures.precision >= 0.75
    # every draft's quote is verbatim in the article
    haystack = anchor.normalize(text)
    assert all(anchor.find_all(d.claim.quote or "", haystack) for d in drafts)
