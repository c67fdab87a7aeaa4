"""Quotes against archived source text: `verify`, the validate hook, and `show` in context."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.core import anchor
from conftest import SHARED, SHIPPED_CLAIMS, claim_yaml

ARTICLE_TEXT = (
    "The minister said on Monday that “exports rose”—sharply—in 2024.\n"
    "Exports rose again. Critics said exports rose only on paper.\n"
)


def _archive(folder: Path, source_id: str, text: str, register: bool = True) -> str:
    (folder / "sources").mkdir(exist_ok=True)
    path = folder / "sources" / f"{source_id}.txt"
    path.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if register:
        registry = folder / "sources.yaml"
        lines = registry.read_text(encoding="utf-8").splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {source_id}")
        lines.insert(at + 1, f"    text_sha256: {digest}\n")
        registry.write_text("".join(lines), encoding="utf-8")
    return digest


def test_shipped_archive_is_the_seed_article_byte_for_byte() -> None:
    archived = SHIPPED_CLAIMS / "sources" / "venezuela-cuba-oil-for-security.txt"
    seed = SHARED / "seed" / "000_f2c4b4666b090f1e.txt"
    assert archived.read_bytes() == seed.read_bytes()


def test_every_shipped_quote_is_found_once(run, claims_dir: Path) -> None:
    result = run(["--dir", str(claims_dir), "verify", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert report["texts"] == 1
    assert report["quotes"] == 40


def test_a_changed_word_is_missing_with_the_closest_passage(run, make_claims) -> None:
    folder = make_claims({"c": claim_yaml("c", quote="Critics said exports fell only on paper")})
    _archive(folder, "article", ARTICLE_TEXT)
    result = run(["--dir", str(folder), "verify"])
    assert result.exit_code == 1
    line = result.stdout.strip()
    assert line.startswith(f"{folder / 'c.yaml'}:3:8: [error] quote: the quote is not in")
    assert "(quote-missing)" in line
    assert "'Critics said exports rose only on paper.'" in line
    assert "1 error, 0 warnings" in result.stderr


def test_typography_and_case_are_forgiven(run, make_claims) -> None:
    quote = 'the MINISTER said on monday that "exports rose" - sharply - in 2024'
    folder = make_claims({"c": claim_yaml("c", quote=f"'{quote}'")})
    _archive(folder, "article", ARTICLE_TEXT.replace("—sharply—", " – sharply – "))
    result = run(["--dir", str(folder), "verify"])
    assert result.exit_code == 0, result.stdout


def test_ambiguous_quote_and_prefix_that_resolves_it(run, make_claims) -> None:
    folder = make_claims(
        {
            "a": claim_yaml("a", quote="exports rose"),
            "b": claim_yaml("b", quote="exports rose", prefix="Critics said"),
            "c": claim_yaml("c", quote="exports rose", prefix="Nobody said"),
        }
    )
    _archive(folder, "article", ARTICLE_TEXT)
    result = run(["--dir", str(folder), "verify", "--format", "json"])
    problems = {p["path"].rsplit("/", 1)[-1]: p for p in json.loads(result.stdout)["problems"]}
    assert problems["a.yaml"]["rule"] == "quote-ambiguous"
    assert "3 times" in problems["a.yaml"]["message"]
    assert problems["a.yaml"]["level"] == "warning"
    assert "b.yaml" not in problems
    assert problems["c.yaml"]["rule"] == "quote-context"
    assert result.exit_code == 1


def test_a_word_inside_another_word_is_not_a_match(make_claims) -> None:
    haystack = anchor.normalize("other things")
    assert anchor.find_all("the", haystack) == []
    assert anchor.find_all("things", haystack) == [(6, 12)]


def test_changed_archive_fails_validate_and_never_reanchors(run, make_claims) -> None:
    folder = make_claims({"c": claim_yaml("c", quote="Exports rose again.")})
    _archive(folder, "article", ARTICLE_TEXT)
    (folder / "sources" / "article.txt").write_text(
        ARTICLE_TEXT.replace("again", "anew"), encoding="utf-8"
    )
    result = run(["--dir", str(folder), "validate", "--format", "json"])
    assert result.exit_code == 1
    rules = [p["rule"] for p in json.loads(result.stdout)["problems"]]
    assert sorted(rules) == ["archive-changed", "quote-missing"]
    changed = next(
        p for p in json.loads(result.stdout)["problems"] if p["rule"] == "archive-changed"
    )
    assert changed["path"].endswith("sources.yaml")
    assert changed["line"] == 2


def test_unhashed_and_missing_archives(run, make_claims) -> None:
    folder = make_claims({"c": claim_yaml("c")})
    digest = _archive(folder, "article", "something happened\n", register=False)
    registry = folder / "sources.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "  - id: wire\n", "  - id: wire\n    text_sha256: " + "ab" * 32 + "\n"
        ),
        encoding="utf-8",
    )
    result = run(["--dir", str(folder), "verify", "--format", "json"])
    found = {p["rule"]: p for p in json.loads(result.stdout)["problems"]}
    assert digest in found["archive-unhashed"]["message"]
    assert found["archive-missing"]["level"] == "error"
    assert result.exit_code == 1


def test_non_utf8_archive_is_a_problem_not_a_crash(run, make_claims) -> None:
    folder = make_claims({"c": claim_yaml("c")})
    (folder / "sources").mkdir()
    (folder / "sources" / "article.txt").write_bytes(b"caf\xe9 \xff")
    result = run(["--dir", str(folder), "verify"])
    assert result.exit_code == 1
    assert "(archive-unreadable)" in result.stdout
    assert "Traceback" not in result.stderr


def test_txt_files_are_not_registry_files(run, claims_dir: Path) -> None:
    result = run(["--dir", str(claims_dir), "validate"])
    assert result.exit_code == 0
    assert "41 files" in result.stderr


def test_show_puts_the_quote_in_its_sentence(run) -> None:
    result = run(["--dir", str(SHIPPED_CLAIMS), "show", "partnership-accelerated-after-1999"])
    assert (
        "in context    After Chávez took office on Feb. 2, 1999, the partnership accelerated."
        in result.stdout
    )
    data = json.loads(
        run(["--dir", str(SHIPPED_CLAIMS), "show", "chavez-died-2013", "-f", "json"]).stdout
    )
    assert data["quote_context"] == {
        "before": "",
        "quote": "After Chávez died in 2013",
        "after": ", Cuba publicly mourned him and reaffirmed the strategic bond.",
    }


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=100, deadline=None)
@given(before=_TEXT, middle=_TEXT, after=_TEXT)
def test_a_passage_cut_from_a_text_is_always_found(before: str, middle: str, after: str) -> None:
    text = before + middle + after
    haystack = anchor.normalize(text)
    quote = middle.strip()
    needle = anchor.comparable(quote)
    spans = anchor.find_all(quote, haystack)
    if needle and not (needle[0].isalnum() or needle[-1].isalnum()):
        assert spans
    for start, end in spans:
        original_start, original_end = haystack.span(start, end)
        assert anchor.comparable(text[original_start:original_end]) == needle


@settings(max_examples=100, deadline=None)
@given(text=_TEXT)
def test_normalising_is_idempotent(text: str) -> None:
    once = anchor.comparable(text)
    assert anchor.comparable(once) == once


@given(
    st.text(
        alphabet=st.sampled_from(
            [
                *"abcAZ019 .,;'\"-\t\n\r\x0b\x0c\x1c\x1f",
                *("\u2018", "\u2019", "\u201c", "\u201d", "\u2014", "\u2026", "\u00ad"),
                *("\u00a0", "\u0130", "\u03a3", "\u00e9", "\u0301", "\u2028", "\u3000"),
                *("\u00df", "\ufb01"),
            ]
        ),
        max_size=40,
    )
)
def test_a_quote_is_made_comparable_as_the_text_it_is_looked_for_in(text: str) -> None:
    assert anchor.comparable(text) == anchor.normalize(text).text


@given(st.text(max_size=60))
def test_every_normalised_character_maps_back_to_where_it_comes_from(text: str) -> None:
    normalized = anchor.normalize(text)
    assert len(normalized.starts) == len(normalized.text)
    assert list(normalized.starts) == sorted(normalized.starts)
    for position, char in enumerate(normalized.text):
        start, end = normalized.span(position, position + 1)
        source = normalized.original[start:end]
        assert (char == " " and source.isspace()) or char in anchor.comparable(source) + "'\"-."


@given(st.text(max_size=60))
def test_the_quick_and_the_mapped_forms_of_a_text_agree(text: str) -> None:
    import unicodedata

    original = unicodedata.normalize("NFC", text)
    quick, _ = anchor._normalized(original, with_starts=False)
    mapped, starts = anchor._normalized(original, with_starts=True)
    assert quick == mapped == anchor.normalize(text).text
    assert starts is not None and len(starts) == len(mapped)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            [
                *"abcAZ019 .,;'\"-\t\n",
                *("\u2019", "\u201c", "\u2014", "\u2026", "\u00ad", "\u00a0", "\u3000"),
                *("\u0130", "\u0131", "\u03a3", "\u03c3", "\u03c2", "\u00df", "\ufb01", "\u1e9e"),
                *("\u00e9", "\u00c9", "\u0301", "\u0645", "\u200c", "\u200d", "\u0928", "\u094d"),
            ]
        ),
        max_size=40,
    )
)
def test_the_quick_form_agrees_on_letters_whose_case_is_tricky(text: str) -> None:
    """Dotted and dotless i, capital and final sigma, sharp s and ligatures, combining marks
    and joiners: the string-method form (taken whenever lower case keeps one character one
    character and no capital sigma is there) is the character-by-character one."""
    import unicodedata

    original = unicodedata.normalize("NFC", text)
    quick, _ = anchor._normalized(original, with_starts=False)
    mapped, _ = anchor._normalized(original, with_starts=True)
    assert quick == mapped


def _aged(folder: Path, seconds: int = 60) -> None:
    """Every file of the folder dated ``seconds`` back: no change is then within a tick of a
    scan, and the index may answer from its snapshot."""
    import os
    import time

    then = time.time_ns() - seconds * 1_000_000_000
    for path in folder.rglob("*"):
        os.utime(path, ns=(then, then))


def test_an_unchanged_folder_is_answered_without_reading_its_archived_texts(
    run, make_claims, monkeypatch
) -> None:
    folder = make_claims({"c": claim_yaml("c", quote="Exports rose again.")})
    _archive(folder, "article", ARTICLE_TEXT)
    _aged(folder)
    first = run(["--dir", str(folder), "verify", "--format", "json"])
    assert json.loads(first.stdout)["quotes"] == 1

    def unread(root: Path) -> object:
        raise AssertionError("an archived text was read")

    monkeypatch.setattr("claimtrack.io.pipeline.read_archive_files", unread)
    again = run(["--dir", str(folder), "verify", "--format", "json"])
    assert again.stdout == first.stdout and again.exit_code == first.exit_code == 0


def test_an_archived_text_changed_in_place_is_read_again(run, make_claims) -> None:
    """Same size and the old mtime put back: its inode's change time still tells."""
    import os

    folder = make_claims({"c": claim_yaml("c", quote="Exports rose again.")})
    _archive(folder, "article", ARTICLE_TEXT)
    _aged(folder)
    assert run(["--dir", str(folder), "verify"]).exit_code == 0
    path = folder / "sources" / "article.txt"
    before = path.stat()
    path.write_text(ARTICLE_TEXT.replace("again", "anew!"), encoding="utf-8")
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = run(["--dir", str(folder), "verify", "--format", "json"])
    assert result.exit_code == 1
    rules = sorted(p["rule"] for p in json.loads(result.stdout)["problems"])
    assert rules == ["archive-changed", "quote-missing"]


def test_an_archived_text_written_just_before_a_run_is_read_by_the_next(
    run, make_claims, monkeypatch
) -> None:
    """A text that changed within a tick of the scan that kept the snapshot may change again
    without its stat showing it: the next run reads the texts instead of trusting the stats."""
    folder = make_claims({"c": claim_yaml("c", quote="Exports rose again.")})
    _archive(folder, "article", ARTICLE_TEXT)
    _aged(folder)
    (folder / "sources" / "article.txt").write_text(ARTICLE_TEXT, encoding="utf-8")  # now
    assert run(["--dir", str(folder), "verify"]).exit_code == 0
    from claimtrack.io import pipeline

    reads = []
    real = pipeline.read_archive_files
    monkeypatch.setattr(
        pipeline, "read_archive_files", lambda root: reads.append(root) or real(root)
    )
    assert run(["--dir", str(folder), "verify"]).exit_code == 0
    assert reads
