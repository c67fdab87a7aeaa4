"""How evidence makes a claim sourced, contested, refuted or unsourced."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.core.model import Claim, Source
from claimtrack.core.status import derive, status_of, weighs
from claimtrack.core.vocab import Status

SOURCES = {
    "article": Source(id="article", title="The article", reliability="F"),
    "wire": Source(id="wire", title="Wire", reliability="B"),
    "blog": Source(id="blog", title="Blog", reliability="E"),
    "ministry": Source(id="ministry", title="Ministry statement", reliability="C"),
    "ungraded": Source(id="ungraded", title="No grade"),
}


def claim(evidence=(), disputed_by=(), kind="official") -> Claim:
    return Claim.model_validate(
        {
            "id": "c",
            "statement": "s",
            "appears_in": "article",
            "attribution": {"name": "A", "kind": kind},
            "confidence": 0.5,
            "evidence": list(evidence),
            "disputed_by": list(disputed_by),
        }
    )


def ev(source, stance="supports", credibility=None):
    item = {"source": source, "stance": stance}
    if credibility is not None:
        item["credibility"] = credibility
    return item


@pytest.mark.parametrize(
    ("evidence", "disputed_by", "kind", "expected"),
    [
        ([], [], "official", Status.UNSOURCED),
        ([ev("wire")], [], "official", Status.SOURCED),
        ([ev("ministry")], [], "official", Status.SOURCED),
        ([ev("blog")], [], "official", Status.UNSOURCED),  # E alone is weak
        ([ev("blog", credibility=2)], [], "official", Status.SOURCED),  # the item's grade wins
        ([ev("wire", credibility=5)], [], "official", Status.UNSOURCED),
        ([ev("ungraded")], [], "official", Status.UNSOURCED),
        ([ev("article", credibility=2)], [], "official", Status.SOURCED),
        ([ev("article", credibility=2)], [], "anonymous", Status.UNSOURCED),
        ([ev("article", credibility=1)], [], "author", Status.UNSOURCED),
        ([ev("wire"), ev("ministry", "refutes")], [], "official", Status.CONTESTED),
        ([ev("ministry", "refutes")], [], "official", Status.REFUTED),
        ([ev("blog", "refutes")], [], "official", Status.UNSOURCED),  # weak refutation ignored
        ([ev("wire"), ev("blog", "refutes")], [], "official", Status.SOURCED),
        ([ev("wire")], [{"name": "Havana"}], "official", Status.CONTESTED),
        ([], [{"name": "Havana"}], "anonymous", Status.CONTESTED),
        ([ev("wire", "context")], [], "official", Status.UNSOURCED),
        ([ev("missing")], [], "official", Status.UNSOURCED),
    ],
)
def test_derivation(evidence, disputed_by, kind, expected):
    derived = derive(claim(evidence, disputed_by, kind), SOURCES)
    assert derived.status is expected
    assert derived.reasons and all(isinstance(r, str) and r for r in derived.reasons)


def test_reasons_name_the_sources():
    derived = derive(claim([ev("wire"), ev("ministry", "refutes")]), SOURCES)
    assert derived.reasons == ("supported by wire but refuted by ministry",)
    weak = derive(claim([ev("blog")]), SOURCES)
    assert "source reliability E" in weak.reasons[0]


def test_status_mismatch_is_a_warning_naming_both(run, make_claims):
    from conftest import claim_yaml

    folder = make_claims({"c": claim_yaml("c", status="contested")})
    result = run(["--dir", str(folder), "validate"])
    assert result.exit_code == 0
    assert "[warning] status: the file says 'contested' but the evidence makes it 'sourced'" in (
        result.stdout
    )
    assert "(status-mismatch)" in result.stdout
    listed = run(["--dir", str(folder), "list", "-f", "json"]).stdout
    assert '"status": "sourced"' in listed and '"declared_status": "contested"' in listed


def test_shipped_claims_declare_what_the_evidence_says():
    from pathlib import Path

    from claimtrack.cache import load_dataset
    from claimtrack.core.query import evaluate

    dataset = load_dataset(Path(__file__).resolve().parent.parent / "claims")
    entries = evaluate(dataset)
    assert len(entries) >= 25
    assert {e.status for e in entries} >= {Status.CONTESTED, Status.SOURCED, Status.UNSOURCED}
    for entry in entries:
        assert entry.claim.status is entry.status, entry.claim.id


_SOURCE_IDS = [*SOURCES, "review", "missing"]
_SOURCES_WITH_REVIEW = {
    **SOURCES,
    "review": Source(id="review", title="A fact check", kind="review", reliability="D"),
}


@settings(max_examples=400, deadline=None)
@given(
    evidence=st.lists(
        st.fixed_dictionaries(
            {
                "source": st.sampled_from(_SOURCE_IDS),
                "stance": st.sampled_from(["supports", "refutes", "context"]),
            },
            optional={"credibility": st.integers(1, 6)},
        ),
        max_size=5,
    ),
    disputed=st.booleans(),
    kind=st.sampled_from(["official", "anonymous", "author", "expert", "document"]),
    appears_in=st.sampled_from(_SOURCE_IDS),
    contradicted=st.lists(st.sampled_from(["x", "y"]), max_size=2),
)
def test_the_status_alone_is_the_derivations_status(
    evidence, disputed, kind, appears_in, contradicted
):
    """``status_of`` (what the pipeline asks of every claim) and ``weighs`` answer as ``derive``
    and ``weigh`` do, which also say why."""
    made = claim(evidence, [{"name": "Havana"}] if disputed else [], kind).model_copy(
        update={"appears_in": appears_in}
    )
    derived = derive(made, _SOURCES_WITH_REVIEW, contradicted)
    assert status_of(made, _SOURCES_WITH_REVIEW, contradicted) is derived.status
    for item, weighing in zip(made.evidence, derived.items, strict=True):
        assert weighs(made, item, _SOURCES_WITH_REVIEW) is weighing.weighs


def _mixed_by_regex_alone(text: str) -> bool:
    """estimative-mixed as the rule's regexes say it, sentence by sentence, with no shortcut."""
    from claimtrack.rules.lint import _ANALYTIC, _LIKELIHOOD, _SENTENCE

    return any(
        _ANALYTIC.search(sentence) and _LIKELIHOOD.search(sentence)
        for sentence in _SENTENCE.findall(text)
    )


_LINT_WORDS = st.sampled_from(
    [
        *("high", "HIGH", "Moderate", "low", "confidence", "CONFIDENCE", "ConFiDent", "confıdence"),
        *("likely", "Unlikely", "PROBABLY", "odds", "the", "oil", "é", ".", ";", "-", " "),
    ]
)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_LINT_WORDS, max_size=12), joiner=st.sampled_from([" ", "-", ""]))
def test_the_quick_pass_over_texts_without_confidence_changes_no_finding(words, joiner):
    from claimtrack.rules.lint import estimative_mixed

    text = joiner.join(words)
    made = claim().model_copy(update={"statement": text or "s"})
    assert (estimative_mixed(made, SOURCES) is not None) is _mixed_by_regex_alone(text or "s")
