"""A seeded generator of realistic claim folders for the benchmark (and for a test).

Usage: ``python bench/generate.py --size 10k --layout flat OUT`` (sizes 1k, 10k, 100k or a number).

The shapes follow the shipped claims of one article: every claim quotes its article (the quote,
a sentence or a run of words of it, occurs exactly once in the article's text) and has an
attribution (sometimes with a ``via`` chain), one to three evidence items, some a quantity, some
disputes, a few tags and a paragraph of notes. Claims belong to articles of 100 claims each;
every article is a source in ``sources.yaml``, next to a pool of wire reports, datasets and
statements. With ``archive`` (the default of this script and of ``bench/run.py``; the function
``generate`` leaves it off, as its tests expect), each article's text is archived as the shipped
one is: ``sources/<article>.txt``, its ``text_sha256`` in the registry, so ``validate`` and
``verify`` check every quote against it.

Layouts (the format is one claim per file, so "100 per file" cannot be honoured literally):

* ``flat``: every claim file directly in the claims folder (10k claims: 10,000 files in one folder);
* ``nested``: one subfolder per article holding its 100 claim files (10k claims: 100 folders);
* ``replicated``: the shipped ``claims/`` folder copied until the size is reached (40 claims a
  copy; see :func:`replicate`): real claims and a real article, not synthetic ones.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
from pathlib import Path

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
PER_ARTICLE = 100
GENERATED = ("flat", "nested")
LAYOUTS = (*GENERATED, "replicated")
#: The shipped claims folder, the model of the ``replicated`` layout.
SHIPPED = Path(__file__).resolve().parent.parent / "claims"
#: Where a claims folder keeps its archived source texts (``sources/<id>.txt``).
ARCHIVE_DIR = "sources"

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


def registry_yaml(
    pool: list[tuple[str, str, str]],
    rng: random.Random,
    hashes: dict[str, str] | None = None,
) -> str:
    """The sources registry; ``hashes`` holds the sha256 of each archived text by source id."""
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
        if hashes and sid in hashes:
            lines.append(f"  text_sha256: {hashes[sid]}")
    return "\n".join(lines) + "\n"


def _occurs_once(passage: str, text: str) -> bool:
    """``passage`` occurs exactly once in ``text``, as whole words and ignoring case (as
    ``verify`` finds a quote)."""
    pattern = r"(?=(?<![0-9a-z])" + re.escape(passage.lower()) + r"(?![0-9a-z]))"
    return len(re.findall(pattern, text.lower())) == 1  # overlapping ones too


def article_text(article: str, claims: int, seed: int) -> tuple[str, list[str]]:
    """An article's text and one passage of it per claim, each occurring exactly once.

    Seeded by the article's id on its own random stream, so that the claim files are the same
    whether the text is archived or not. A headline, then paragraphs of three to six sentences;
    about one sentence in three is not quoted by any claim, as in a real article."""
    rng = random.Random(f"{seed}:{article}")
    while True:
        quoted = [_sentence(rng, rng.randint(8, 22)) for _ in range(claims)]
        others = [_sentence(rng, rng.randint(6, 20)) for _ in range(max(1, claims // 2))]
        sentences = quoted + others
        rng.shuffle(sentences)
        paragraphs, at = [_sentence(rng, 8).rstrip(".")], 0
        while at < len(sentences):
            size = rng.randint(3, 6)
            paragraphs.append(" ".join(sentences[at : at + size]))
            at += size
        text = "\n".join(paragraphs) + "\n"
        passages = []
        for sentence in quoted:
            words = sentence.split()
            if len(words) > 8 and rng.random() < 0.5:  # a run of words, as many real quotes are
                length = rng.randint(5, len(words) - 2)
                start = rng.randint(0, len(words) - length)
                fragment = " ".join(words[start : start + length]).rstrip(".")
                if _occurs_once(fragment, text):
                    passages.append(fragment)
                    continue
            passages.append(sentence)
        if all(_occurs_once(p, text) for p in passages):
            return text, passages


def claim_yaml(
    claim_id: str,
    article: str,
    pool: list[tuple[str, str, str]],
    rng: random.Random,
    quote: str | None = None,
) -> str:
    """One claim file, shaped like the shipped ones; ``quote`` is a passage of the article's text
    (:func:`generate` always gives one; without it, a random sentence stands in)."""
    kind = rng.choice(_KINDS)
    statement = _sentence(rng, rng.randint(10, 24))
    if quote is None:
        quote = _sentence(rng, rng.randint(8, 20))
    out = [
        "# yaml-language-server: $schema=../schema/claim.schema.json",
        f"id: {claim_id}",
        f"statement: {_quoted(statement)}",
        f"quote: {_quoted(quote)}",
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
    out: Path,
    claims: int,
    layout: str = "flat",
    seed: int = 7,
    broken: float = 0.0,
    archive: bool = False,
) -> Path:
    """Write ``claims`` claims into ``out`` (created); return ``out``.

    Every claim quotes its article. With ``archive``, each article's text is written to
    ``sources/<article>.txt`` and its sha256 registered, as in the shipped folder; the claim files
    are the same either way. ``layout="replicated"`` copies the shipped folder instead
    (:func:`replicate`; ``seed`` and ``broken`` do not apply)."""
    if layout == "replicated":
        return replicate(out, claims)
    if layout not in GENERATED:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    rng = random.Random(seed)
    articles = max(1, -(-claims // PER_ARTICLE))
    pool = _source_pool(articles, rng)
    out.mkdir(parents=True, exist_ok=True)
    texts = {
        f"article-{a:05d}": article_text(
            f"article-{a:05d}", min(PER_ARTICLE, claims - a * PER_ARTICLE), seed
        )
        for a in range(articles)
    }
    hashes: dict[str, str] = {}
    if archive:
        (out / ARCHIVE_DIR).mkdir(exist_ok=True)
        for article, (text, _) in texts.items():
            data = text.encode("utf-8")
            (out / ARCHIVE_DIR / f"{article}.txt").write_bytes(data)
            hashes[article] = hashlib.sha256(data).hexdigest()
    (out / "sources.yaml").write_text(registry_yaml(pool, rng, hashes), encoding="utf-8")
    for n in range(claims):
        article_no = n // PER_ARTICLE
        article = f"article-{article_no:05d}"
        words = "-".join(rng.choice(_WORDS).replace(" ", "-") for _ in range(3))
        claim_id = f"{words}-{n:06d}"
        folder = out / article if layout == "nested" else out
        if layout == "nested" and n % PER_ARTICLE == 0:
            folder.mkdir(exist_ok=True)
        quote = texts[article][1][n % PER_ARTICLE]
        text = claim_yaml(claim_id, article, pool, rng, quote)
        if broken and rng.random() < broken:
            text = _broken(text, rng)
        (folder / f"{claim_id}.yaml").write_text(text, encoding="utf-8")
    return out


#: The lines of a claim file whose value names a claim (``id``, ``negates``) or groups claims
#: for comparison (a quantity's ``measure``): suffixed in every copy, so that copies never refer
#: to, contradict or get compared with one another.
_REFERENCE = re.compile(
    r"^(?P<head>(?:id|negates|\s+measure): *)(?P<q>['\"]?)(?P<value>[^'\"\s#]+)(?P=q)(?P<tail> *)$",
    re.MULTILINE,
)


def copy_suffix(copy: int) -> str:
    """The suffix of the ids and file names of copy ``copy`` (from 1): ``-0001``."""
    return f"-{copy:04d}"


def replicate(out: Path, claims: int, shipped: Path = SHIPPED) -> Path:
    """The shipped claims folder copied until ``claims`` is reached (whole copies: 10k claims
    are 250 copies of its 40); return ``out``.

    Copy ``k`` holds every shipped claim file as ``<id>-<kkkk>.yaml`` with its ``id``, its
    ``negates`` and its quantities' ``measure`` suffixed alike, and nothing else changed (line
    and column of every field are the shipped ones). The registry and the archived texts are the
    shipped ones, written once and shared by every copy. So the folder validates as the shipped
    one does, with the same problems in every copy."""
    files = sorted(p for p in shipped.rglob("*.yaml") if p.name != "sources.yaml")
    if not files:
        raise ValueError(f"{shipped}: no claim files to replicate")
    texts = [(p.relative_to(shipped), p.read_text(encoding="utf-8")) for p in files]
    copies = max(1, -(-claims // len(files)))
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shipped / "sources.yaml", out / "sources.yaml")
    if (shipped / ARCHIVE_DIR).is_dir():
        shutil.copytree(shipped / ARCHIVE_DIR, out / ARCHIVE_DIR, dirs_exist_ok=True)
    for copy in range(1, copies + 1):
        suffix = copy_suffix(copy)

        def suffixed(match: re.Match[str], suffix: str = suffix) -> str:
            value = match["value"] + suffix
            return f"{match['head']}{match['q']}{value}{match['q']}{match['tail']}"

        for relative, text in texts:
            target = out / relative.with_name(f"{relative.stem}{suffix}.yaml")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_REFERENCE.sub(suffixed, text), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to create")
    parser.add_argument("--size", default="1k", help="1k, 10k, 100k or a number of claims")
    parser.add_argument("--layout", choices=LAYOUTS, default="flat")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--broken", type=float, default=0.0, help="share of files with a mistake")
    parser.add_argument(
        "--no-archive",
        dest="archive",
        action="store_false",
        help="do not write the articles' texts (sources/<id>.txt) nor register their sha256",
    )
    args = parser.parse_args()
    generate(args.out, count(args.size), args.layout, args.seed, args.broken, args.archive)


if __name__ == "__main__":
    main()
