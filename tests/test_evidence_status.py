"""Status done properly: weak evidence, independent lines, contradictions, estimative lint."""

from __future__ import annotations

import json

from claimtrack.core.contradictions import clash
from claimtrack.core.model import Claim, Quantity, Source
from claimtrack.core.status import derive, lines_of_evidence
from claimtrack.core.vocab import Status
from conftest import SHIPPED_CLAIMS, claim_yaml

SOURCES = """\
sources:
  - id: article
    title: An article
    publisher: A Paper
    kind: article
    reliability: F
  - id: wire
    title: A wire report
    publisher: A Wire
    reliability: B
  - id: wire-rewrite
    title: The wire's story, rewritten
    publisher: Another Paper
    reliability: B
    derived_from: [wire]
  - id: wire-again
    title: The same wire, another day
    publisher: a  wire
    reliability: B
  - id: ministry
    title: A ministry
    publisher: A Ministry
    reliability: C
  - id: blog
    title: A blog
    publisher: A Blog
    reliability: E
"""


def _validate(run, folder):
    result = run(["--dir", str(folder), "validate", "--format", "json"])
    return result, json.loads(result.stdout)["problems"]


def _record(run, folder, claim_id):
    return json.loads(run(["--dir", str(folder), "show", claim_id, "-f", "json"]).stdout)


def test_shipped_claims_validate_without_any_warning(run) -> None:
    result = run(["--dir", str(SHIPPED_CLAIMS), "validate", "--strict"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


def test_low_grade_sources_alone_make_a_claim_weak(run, make_claims) -> None:
    folder = make_claims(
        {
            "weak": claim_yaml("weak", evidence="\n  - source: blog\n    stance: supports"),
            "doubtful": claim_yaml(
                "doubtful", evidence="\n  - source: wire\n    stance: supports\n    credibility: 4"
            ),
            "none": claim_yaml("none", evidence="[]"),
        },
        sources=SOURCES,
    )
    weak = _record(run, folder, "weak")
    assert (weak["status"], weak["weak"]) == ("unsourced", True)
    assert any(
        r.startswith("weak: only sources of low reliability") for r in weak["status_reasons"]
    )
    assert _record(run, folder, "doubtful")["weak"] is True
    assert _record(run, folder, "none")["weak"] is False
    shown = run(["--dir", str(folder), "show", "weak"]).stdout
    assert shown.splitlines()[0] == "weak  unsourced (weak)"
    table = run(["--dir", str(folder), "list", "--explain"]).stdout
    assert "unsourced (weak)" in table
    assert "no evidence" in table


def test_sources_sharing_a_publisher_or_derived_count_once(run, make_claims) -> None:
    evidence = "".join(
        f"\n  - source: {s}\n    stance: supports"
        for s in ("wire", "wire-rewrite", "wire-again", "ministry")
    )
    folder = make_claims({"c": claim_yaml("c", evidence=evidence)}, sources=SOURCES)
    record = _record(run, folder, "c")
    assert record["status"] == "sourced"
    assert record["lines_of_evidence"] == [["ministry"], ["wire", "wire-again", "wire-rewrite"]]
    assert "(2 independent lines)" in record["status_reasons"][0]
    assert any(
        "wire and wire-again and wire-rewrite count as one line of evidence" in r
        for r in record["status_reasons"]
    )


def test_lines_of_evidence_follow_derived_from_chains() -> None:
    sources = {
        "a": Source(id="a", title="A"),
        "b": Source(id="b", title="B", derived_from=["a"]),
        "c": Source(id="c", title="C", derived_from=["b"]),
        "d": Source(id="d", title="D"),
    }
    grouped = [members for members, _ in lines_of_evidence(["a", "c", "d"], sources)]
    assert grouped == [("a", "c"), ("d",)]


def test_credibility_1_needs_an_independent_line(run, make_claims) -> None:
    one_line = (
        "\n  - source: wire\n    stance: supports\n    credibility: 1"
        "\n  - source: wire-again\n    stance: supports"
    )
    two_lines = (
        "\n  - source: wire\n    stance: supports\n    credibility: 1"
        "\n  - source: ministry\n    stance: supports"
    )
    folder = make_claims(
        {"one": claim_yaml("one", evidence=one_line), "two": claim_yaml("two", evidence=two_lines)},
        sources=SOURCES,
    )
    _, problems = _validate(run, folder)
    flagged = [(p["path"].rsplit("/", 1)[-1], p["rule"], p["field"]) for p in problems]
    assert flagged == [("one.yaml", "credibility-independence", "evidence[0].credibility")]


def test_estimative_language_lint(run, make_claims) -> None:
    folder = make_claims(
        {
            "certain": claim_yaml("certain", confidence="1"),
            "never": claim_yaml("never", confidence="0.0"),
            "mixed": claim_yaml("mixed", notes="We have high confidence that this is likely."),
            "apart": claim_yaml("apart", notes="High confidence in the basis. It is likely."),
            "word": claim_yaml("word", confidence="{value: 0.9, word: unlikely}"),
        }
    )
    result, problems = _validate(run, folder)
    rules = sorted((p["path"].rsplit("/", 1)[-1], p["rule"]) for p in problems)
    assert rules == [
        ("certain.yaml", "confidence-certainty"),
        ("mixed.yaml", "estimative-mixed"),
        ("never.yaml", "confidence-certainty"),
        ("word.yaml", "confidence-word"),
    ]
    assert all(p["level"] == "warning" for p in problems)
    assert result.exit_code == 0
    assert run(["--dir", str(folder), "validate", "--strict"]).exit_code == 1


QUANTITY = "\n  value: {value}\n  unit: {unit}\n  as_of: 2024\n  measure: exports{extra}"


def _quantity(value: str, unit: str = "barrels per day", extra: str = "") -> str:
    return QUANTITY.format(value=value, unit=unit, extra=extra)


def test_quantities_that_disagree_are_contested(run, make_claims) -> None:
    folder = make_claims(
        {
            "high": claim_yaml("high", quantity=_quantity("60000"), status="contested"),
            "low": claim_yaml("low", quantity=_quantity("50", "thousand b/d"), status="contested"),
            "close": claim_yaml("close", quantity=_quantity("55", "kb/d")),
            "other-year": claim_yaml("other-year", quantity=_quantity("1").replace("2024", "2020")),
        }
    )
    _, problems = _validate(run, folder)
    found = sorted((p["path"].rsplit("/", 1)[-1], p["rule"]) for p in problems)
    assert found == [
        ("high.yaml", "quantity-contradiction"),
        ("low.yaml", "quantity-contradiction"),
    ]
    message = next(p["message"] for p in problems if p["path"].endswith("high.yaml"))
    assert message == (
        "contradicts low: exports as of 2024: 60,000 barrels per day (high) "
        "against 50 thousand b/d (low), 17% apart"
    )
    high = _record(run, folder, "high")
    assert high["status"] == "contested"
    assert high["contradicted_by"] == ["low"]
    assert "contradicted by claim low" in high["status_reasons"]
    assert _record(run, folder, "close")["status"] == "sourced"


def test_approx_widens_the_tolerance_and_bounds_point_one_way() -> None:
    def q(value: float, approx: bool = False, bound: str | None = None) -> Quantity:
        return Quantity(value=value, unit="bbl/d", approx=approx, bound=bound)

    assert clash(q(100), q(115)) is not None
    assert clash(q(100, approx=True), q(115)) is None
    assert clash(q(100, bound="lower"), q(150)) is None
    assert clash(q(100, bound="lower"), q(50)) is not None
    assert clash(q(100, bound="upper"), q(150)) is not None
    assert clash(q(100, bound="lower"), q(300, bound="lower")) is None
    assert clash(q(200, bound="lower"), q(100, bound="upper")) is not None
    assert clash(q(5, bound="lower"), Quantity(value=5, unit="percent")) is None


def test_a_claim_and_its_negation_both_sourced_are_contested(run, make_claims) -> None:
    folder = make_claims(
        {
            "yes": claim_yaml("yes"),
            "no": claim_yaml("no", negates="yes"),
            "maybe-not": claim_yaml("maybe-not", negates="yes", evidence="[]"),
            "dangling": claim_yaml("dangling", negates="nothing-here"),
        }
    )
    _, problems = _validate(run, folder)
    found = sorted((p["path"].rsplit("/", 1)[-1], p["rule"], p["level"]) for p in problems)
    assert found == [
        ("dangling.yaml", "negates-missing", "error"),
        ("no.yaml", "negation-contradiction", "warning"),
        ("yes.yaml", "negation-contradiction", "warning"),
    ]
    assert _record(run, folder, "yes")["status"] == "contested"
    assert _record(run, folder, "no")["contradicted_by"] == ["yes"]
    assert _record(run, folder, "maybe-not")["status"] == "unsourced"


def test_derive_keeps_its_two_argument_call() -> None:
    claim = Claim.model_validate(
        {
            "id": "c",
            "statement": "s",
            "appears_in": "a",
            "confidence": "likely",
            "attribution": {"name": "X", "kind": "official"},
            "evidence": [{"source": "a", "stance": "supports", "credibility": 2}],
        }
    )
    sources = {"a": Source(id="a", title="A")}
    assert derive(claim, sources).status is Status.SOURCED
    assert derive(claim, sources, {"d"}).status is Status.CONTESTED


def test_a_likelihood_word_as_analytic_confidence_is_explained(run, make_claims) -> None:
    folder = make_claims({"c": claim_yaml("c", analytic_confidence="likely")})
    result, problems = _validate(run, folder)
    assert result.exit_code == 1
    (problem,) = problems
    assert problem["field"] == "analytic_confidence"
    assert problem["message"].startswith("'likely' is a likelihood word: put it in `confidence`")
