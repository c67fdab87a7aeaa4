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


#: On articles it was never tuned on, the quantity now meets the target. First measurements of
#: each batch written held out: 37 of 47, then 19 of 23 (0.83; a floor of 0.8 then), then the
#: three written last (care pay, a tram extension, a hospital hack; keys committed before the
#: extractor was run on them) 22 of 25 (0.88), with recall 32/32, precision 32/32, speaker 29/32
#: (0.91) and disputes 3/3. General fixes made after seeing those three (a post-posed "the
#: council's finance director, Mark Ellery, said"; "reportedly" before a speech verb; "Shopkeepers
#: on Eastfield Road"; "£2.50 a journey") bring them to 23 of 25 and speaker 32 of 32; the
#: held-out set is 50 of 52. Left: "2,000 care workers" read as people (a count of people is
#: people by design) and "4,000 operations and appointments" read as operations.
HELD_OUT_QUANTITY = QUANTITY


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
