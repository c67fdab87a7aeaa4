"""The extractor's parts: attribution grammar, headline quantities, disputes, ids, teasers."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.core.model import Claim
from claimtrack.core.units import to_canonical
from claimtrack.io.article import read_article
from claimtrack.io.extract import Memory, extract, guess_attribution, headline, slug_for

PARAGRAPH = (
    "Mayor Ellen Okafor opened the pool in 2020. Councillor James Reyes, who voted against "
    "the project, said the cost had risen by at least $12 million. The finance department "
    "disputes that figure, saying the estimate includes a contingency."
)


@pytest.mark.parametrize(
    ("sentence", "name", "role", "kind"),
    [
        (
            "The operator, Baltic Grid, said demand rose 8 percent.",
            "Baltic Grid",
            "operator",
            "organization",
        ),
        (
            "Dr. Helen Mbeki, the president of the nurses' union, said staff were short.",
            "Helen Mbeki",
            "president of the nurses' union",
            "official",
        ),
        (
            "Councillor James Reyes, who voted against, said it cost $12 million.",
            "James Reyes",
            "Councillor",
            "official",
        ),
        (
            "Analysts at Meridian Research estimate that prices could fall.",
            "Meridian Research",
            "analysts",
            "expert",
        ),
        (
            "Electricity bills rose 20 percent, a leaked internal memo reportedly shows.",
            "a leaked internal memo",
            None,
            "document",
        ),
        (
            "The state will pay 60 percent, the council said in a statement.",
            "the council",
            None,
            "government",
        ),
        (
            "“We are seeing people give up,” said Dr. Omar Castillo, a physician at St. Anne's.",
            "Omar Castillo",
            "physician at St. Anne's",
            "expert",
        ),
        (
            "Environmental groups claim the project will delay the closure.",
            "environmental groups",
            None,
            "organization",
        ),
        (
            "Chief executive Laura Brenner said the cuts would save $150 million a year.",
            "Laura Brenner",
            "Chief executive",
            "official",
        ),
        (
            "Some residents reportedly fear that the closure will hurt shops.",
            "some residents",
            None,
            "anonymous",
        ),
        (
            "Prices reportedly rose in March.",
            "unnamed reports",
            "signalled by “reportedly”",
            "anonymous",
        ),
        (
            "According to the national energy regulator, wind produced 41 percent.",
            "the national energy regulator",
            None,
            "government",
        ),
        (
            "Jane Smith, 54, a nurse from Leeds, said she had waited 9 hours.",
            "Jane Smith",
            "nurse from Leeds",
            "person",
        ),
        ("Tomas Lind said the ferry was late.", "Tomas Lind", None, "person"),
        (
            "Retired teacher Ana Sousa, 68, said the road had flooded twice.",
            "Ana Sousa",
            "Retired teacher",
            "person",
        ),
        (
            "Greenway Action, a residents' group, says traffic will double.",
            "Greenway Action",
            "residents' group",
            "organization",
        ),
        (
            "The Union of Dock Workers says as many as 300 jobs could go.",
            "the Union of Dock Workers",
            None,
            "organization",
        ),
        ("Witnesses said the van drove off at speed.", "witnesses", None, "anonymous"),
        ("Doctors advise patients to rest for a week.", "doctors", None, "expert"),
        (
            "Some landlords are reportedly raising rents by a fifth.",
            "some landlords",
            None,
            "anonymous",
        ),
        (
            "Islanders who spoke to the paper described the service as unreliable.",
            "islanders who spoke to the paper",
            None,
            "anonymous",
        ),
        (
            "Officials who declined to be named said the talks had failed.",
            "officials who declined to be named",
            None,
            "official",
        ),
        (
            "A survey that the union commissioned found 40 percent of staff would leave.",
            "a survey that the union commissioned",
            None,
            "document",
        ),
        (
            "Scientists at Westbrook University, who sampled the river, found sewage in it.",
            "Westbrook University",
            "scientists",
            "expert",
        ),
        ("Researchers found that 12 percent of wells were dry.", "researchers", None, "expert"),
        ("Inspectors found 14 crates made at the depot.", "inspectors", None, "official"),
        (
            "Retired teacher Ana de Sousa, 68, said the road had flooded twice.",
            "Ana de Sousa",
            "Retired teacher",
            "person",
        ),
        (
            "“Rates will rise,” said Pieter van Dijk, an economist at Nordbank.",
            "Pieter van Dijk",
            "economist at Nordbank",
            "expert",
        ),
        (
            "Fees are capped at £24, the council's finance director, Mark Ellery, said.",
            "Mark Ellery",
            "council's finance director",
            "official",
        ),
        (
            "A gang known as Black Tide has reportedly demanded $8 million.",
            "unnamed reports",
            "signalled by “reportedly”",
            "anonymous",
        ),
        (
            "Shopkeepers on Eastfield Road say takings have fallen by a third.",
            "shopkeepers on Eastfield Road",
            None,
            "anonymous",
        ),
        ("The sky is blue today.", "the article's author", "writer of the page", "author"),
    ],
)
def test_attribution_grammar(sentence: str, name: str, role: str | None, kind: str) -> None:
    found = guess_attribution(sentence)
    assert (found["name"], found.get("role"), found["kind"]) == (name, role, kind)


def test_a_role_given_beside_a_name_is_remembered_with_it() -> None:
    memory = Memory()
    first = "Dr. Lena Ortiz, the county's chief medical officer, said cases had doubled."
    for sentence in (first, "“We are worried,” Ortiz said."):
        memory.learn(sentence)
        found = guess_attribution(sentence, memory)
    assert found == {
        "name": "Lena Ortiz",
        "role": "county's chief medical officer",
        "kind": "official",
    }


def test_names_and_groups_are_remembered_across_sentences() -> None:
    memory = Memory()
    for sentence in (
        "Incumbent mayor Rosa Delgado won, ahead of challenger Tom Varga.",
        "Dr. Helen Mbeki, the president of the Lakeside Nurses' Union, said so.",
    ):
        memory.learn(sentence)
        guess_attribution(sentence, memory)
    assert guess_attribution("“No,” she said.", memory)["name"] == "Helen Mbeki"
    varga = "Varga, a former police chief, claimed that ballots were lost."
    assert guess_attribution(varga, memory)["name"] == "Tom Varga"
    assert guess_attribution("The union estimates 340 posts are vacant.", memory)["name"] == (
        "Lakeside Nurses' Union"
    )


@pytest.mark.parametrize("later", ["De Sousa said the road was shut.", "“No,” de Sousa said."])
def test_a_surname_with_its_particle_names_the_person_met_before(later: str) -> None:
    memory = Memory()
    for sentence in ("Mayor Ana de Sousa voted for the plan.", later):
        memory.learn(sentence)
        found = guess_attribution(sentence, memory)
    assert (found["name"], found.get("role")) == ("Ana de Sousa", "Mayor")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The council voted 7-2 to approve a $48 million bridge.", (48e6, "USD", None)),
        ("It will spend €1.2 billion over four years.", (1.2e9, "EUR", None)),
        ("Profit fell to $212 million in the first nine months.", (212e6, "USD", None)),
        ("Prices could fall by as much as 12 percent.", (12, "%", "upper")),
        ("Bills have risen by more than 20 percent since 2022.", (20, "%", "lower")),
        ("Costs could exceed £3bn.", (3e9, "GBP", "lower")),
        ("It would carry as many as 30,000 vehicles a day.", (30000, "vehicles per day", "upper")),
        ("Leaks lose roughly 12,000 cubic metres a day.", (12000, "m3/d", None)),
        ("The margin widened by 2.1 percentage points.", (2.1, "percentage points", None)),
        ("The union, which represents 4,000 staff, said 300 jobs would go.", (300, "jobs", None)),
        ("Patients waited 46 days, up from 23 days.", (46, "days", None)),
        ("He faces up to 20 years in prison when sentenced on May 8.", (20, "years", "upper")),
        ("The cuts would save as much as $150 million a year.", (150e6, "USD per year", "upper")),
        ("Passenger numbers fell to 14.2 million last year.", (14.2e6, "passengers", None)),
        ("Inspectors found 14 crates made at the depot.", (14, "crates", None)),
        ("The club hosts at least 45 events a year.", (45, "events per year", "lower")),
        ("Grants of up to €5,000 per farm were promised.", (5000, "EUR per farm", "upper")),
        ("The fund pays £4 per pupil a day.", (4, "GBP per pupil per day", None)),
        ("The 7:10 bus carried 52 passengers.", (52, "passengers", None)),
        (
            "The council will cap overhead payments at €45,000 per project.",
            (45e3, "EUR per project", "upper"),
        ),
        ("Rises are capped at 3 percent.", (3, "%", "upper")),
        ("The law limits rent rises to 2 percent a year.", (2, "% per year", "upper")),
        ("Fees face a ceiling of £900.", (900, "GBP", "upper")),
        ("The deal sets a floor of £12 an hour.", (12, "GBP per hour", "lower")),
        ("The bank floored the rate at 1.5 percent.", (1.5, "%", "lower")),
        ("The leak had run for six weeks before anyone came.", (6, "weeks", None)),
        ("Patients said that they had waited for 9 days.", (9, "days", None)),
        ("The strike lasted for two weeks and cost €3 million.", (3e6, "EUR", None)),
        ("The money will replace 300 kilometres of mains.", (300, "km", None)),
        ("The trail runs for 12 miles.", (12, "miles", None)),
        ("The fire burned 4,000 hectares of forest.", (4000, "hectares", None)),
        ("Fares will be capped at £2.50 a journey.", (2.5, "GBP per journey", "upper")),
        ("Diesel cost $4 a gallon in May.", (4, "USD per gallon", None)),
    ],
)
def test_headline_quantity(sentence: str, expected: tuple[float, str, str | None]) -> None:
    found = headline(sentence)
    assert found is not None
    assert math.isclose(float(found["value"]), expected[0])  # type: ignore[arg-type]
    assert (found["unit"], found.get("bound")) == expected[1:]


def test_no_quantity_from_years_dates_or_side_numbers() -> None:
    assert headline("It happened on May 8, 2025, in Caracas.") is None
    assert headline("The plant, which employs 600 people, will close.") is None
    # a duration in a clause of its own frames the claim even when it is the only number
    assert headline("The owner of a warehouse that burned for two days was charged.") is None
    assert headline("The drought struck in 1989, when the city trucked water for 3 months.") is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((300, "kilometres"), (300, "km")),
        ((300, "kilometers"), (300, "km")),
        ((1, "kilometre"), (1000, "metres")),
        ((5, "miles"), (8.04672, "km")),
        ((10, "square kilometres"), (10, "sq km")),
        ((1, "square kilometre"), (100, "hectares")),
        ((640, "acres"), (1, "square mile")),
    ],
)
def test_lengths_and_areas_compare_across_spellings(
    first: tuple[float, str], second: tuple[float, str]
) -> None:
    (a, a_unit), (b, b_unit) = to_canonical(*first), to_canonical(*second)
    assert a_unit.canonical == b_unit.canonical and math.isclose(a, b, rel_tol=1e-3)


def test_as_of_from_the_date_of_the_figure() -> None:
    assert headline("Exports fell 4 percent in March 2026.") == {
        "value": 4,
        "unit": "%",
        "as_of": "2026-03",
    }


def test_a_dispute_becomes_disputed_by_on_the_draft_with_the_figure() -> None:
    drafts = extract(PARAGRAPH, "article").drafts
    assert [d.sentence[:10] for d in drafts] == ["Mayor Elle", "Councillor"]
    (party,) = drafts[1].claim.disputed_by
    assert party.name == "the finance department"
    assert party.note == "The estimate includes a contingency."
    assert party.source == "article"
    assert drafts[0].claim.disputed_by == []


def test_a_dispute_with_nothing_to_dispute_is_a_draft_of_its_own() -> None:
    drafts = extract("The ministry rejects that account, saying 410 nurses were hired.", "a")
    assert len(drafts.drafts) == 1 and drafts.drafts[0].claim.disputed_by == []


def test_ids_are_short_and_readable() -> None:
    taken: set[str] = set()
    sentence = "Riverton's city council voted 7-2 on Tuesday to approve a $48 million bridge."
    assert slug_for(sentence, taken) == "riverton-city-council-voted-7"
    assert slug_for(sentence, taken) == "riverton-city-council-voted-7-2"
    assert slug_for("Northgate will spend €1.2 billion on batteries.", taken) == (
        "northgate-spend-1-2bn-batteries"
    )


@pytest.mark.parametrize(
    "teaser",
    [
        "Homeowners Are Getting $1,700 Back From This Little-Known Program... Read More...",
        "Sponsored: Seniors Are Getting $3,200 Back From This Program... Read More",
        "Doctors Stunned: This 1 Trick Cuts Your Grocery Bill by 50%",
    ],
)
def test_advertising_teasers_are_furniture(teaser: str) -> None:
    text = f"The council said the bridge cost $48 million.\n{teaser}\nLearn More\n"
    blocks = read_article(text)
    assert blocks[0].furniture is None
    assert blocks[1].furniture is not None
    assert [d.sentence for d in extract(text, "a").drafts] == [
        "The council said the bridge cost $48 million."
    ]


def test_fresh_drafts_pass_fmt_check(run, tmp_path: Path) -> None:
    from conftest import FIXTURES

    folder = tmp_path / "claims"
    folder.mkdir()
    for article in sorted((FIXTURES / "extract" / "eval").glob("*.*")):
        if article.suffix in (".txt", ".md", ".html"):
            done = run(
                ["--dir", str(folder), "extract", str(article), "--into", str(folder / "drafts")]
            )
            assert done.exit_code == 0, done.stderr
    assert len(list((folder / "drafts").glob("*.yaml"))) > 50
    check = run(["--dir", str(folder), "fmt", "--check"])
    assert check.exit_code == 0, check.stdout


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789$€£%,. abcdmilontperyasAM-"), max_size=80))
def test_any_headline_is_a_finite_quantity(text: str) -> None:
    found = headline(text)
    if found is not None:
        Claim.model_validate(
            {
                "id": "x",
                "statement": "x",
                "appears_in": "s",
                "confidence": "likely",
                "attribution": {"name": "x", "kind": "author"},
                "quantity": found,
            }
        )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "The council said it cost $4 million.",
                "The union disputes that figure, saying no.",
                "Varga claimed 300 ballots were lost.",
                "The commission rejects that claim.",
                "“No,” she said.",
                "Some reports suggest it rose 5 percent.",
                "It rained.",
            ]
        ),
        max_size=8,
    )
)
def test_any_sequence_of_sentences_gives_valid_drafts(sentences: list[str]) -> None:
    drafts = extract(" ".join(sentences), "s").drafts
    assert len({d.claim.id for d in drafts}) == len(drafts)
    for draft in drafts:
        assert all(p.name and p.source == "s" for p in draft.claim.disputed_by)
