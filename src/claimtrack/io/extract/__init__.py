"""Draft claims from an article, by rule: offline, deterministic, no language model.

The parts: ``cues`` (what makes a sentence check-worthy), ``speakers`` (the attribution grammar),
``kinds`` (what kind of speaker a name and role make: a person, an official, a body...),
``quantities`` (the headline number, its unit and bound), ``disputes`` (sentences that dispute an
earlier draft), ``drafts`` (the drafts of one article, and their ids) and ``score`` (drafts
against hand-made claims).
"""

from __future__ import annotations

from claimtrack.io.extract.cues import Cues, claim_type, cues_of
from claimtrack.io.extract.drafts import Draft, Extraction, extract, passages, sentences, slug_for
from claimtrack.io.extract.quantities import headline
from claimtrack.io.extract.score import Score, score
from claimtrack.io.extract.speakers import Memory, guess_attribution

__all__ = [
    "Cues",
    "Draft",
    "Extraction",
    "Memory",
    "Score",
    "claim_type",
    "cues_of",
    "extract",
    "guess_attribution",
    "headline",
    "passages",
    "score",
    "sentences",
    "slug_for",
]
