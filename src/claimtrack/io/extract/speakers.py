"""Who asserts a sentence: the attribution grammar of news text, and the people it names.

The forms read, first match wins:

- ``citing``: "Reports citing PDVSA data ..." (PDVSA, via the reports);
- ``according to``: "According to the regulator, ..." / "..., according to a filing";
- a speech verb after a quotation: "“...,” said Dr. Omar Castillo, an emergency physician";
- a post-posed speaker: "..., the council said in a statement." / "..., a leaked memo reportedly
  shows." / "..., a report by the health authority found.";
- a pre-posed speaker before a speech verb (say, claim, argue, estimate, recommend, deny, reject,
  dispute, warn, promise, advise...), with appositives ("The operator, Baltic Grid, said",
  "Dr. X, the union's president, said") and relative clauses ("X, who voted against, said")
  set aside, and "Analysts at Firm Z estimate" read as Firm Z with the role "analysts";
- a hedged subject ("some residents reportedly ...", "some growers are reportedly ...") or a
  bare hedge ("reportedly"): anonymous;
- otherwise the article's author.

A role before a name ("Mayor Ellen Okafor", "Chief executive Laura Brenner") goes to ``role``;
``kinds`` says what kind of speaker the name and role make.
People are remembered across sentences, so "Okafor said" names Ellen Okafor and "the union"
names the Lakeside Nurses' Union met before; "he" and "she" are the last speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimtrack.io.extract.cues import DOCUMENT_VERBS, LIST_MARK, MONTHS, SPEECH_VERBS
from claimtrack.io.extract.kinds import (
    DOCUMENT,
    HEDGED_SUBJECT,
    ORG_WORDS,
    PARTICLES,
    is_organisation,
    is_personal,
    kind_of,
)

_VERBS = rf"(?:{SPEECH_VERBS}|called|calls|put|puts)"
_ALL_VERBS = rf"(?:{SPEECH_VERBS}|{DOCUMENT_VERBS}|called|calls|put|puts)"
_AUX = r"(?:(?:has|have|had|also|publicly|reportedly|previously|repeatedly|now|later|once|"
_AUX += r"again|further|separately|\w+ly)\s+){0,2}"
_CAP = r"(?:[A-Z][\w’'.-]*|[A-Z]\.)"
#: The lower-case particles of a name before its last word ("de Sousa", "van der Berg").
_PARTICLE = r"(?:(?:" + "|".join(sorted(PARTICLES)) + r")\s+){0,2}"
_PERSON_RUN = re.compile(rf"(?<![\w’'-])((?:{_CAP}\s+){{1,2}}{_PARTICLE}[A-Z][\w’'-]+)")
_TITLES = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sir|Dame|Rev|Sen|Rep|Gov|Gen|Lt|Col|Capt)\.?\s+")
#: Words of a role, never of a person's name.
ROLE_WORDS = frozenset(
    "mayor councillor councilor council minister secretary president vice chief executive judge "
    "justice senator governor director spokesperson spokesman spokeswoman chair chairman "
    "chairwoman chairperson treasurer commissioner prosecutor attorney officer manager "
    "economist analyst professor doctor engineer lawyer chancellor ambassador general leader "
    "head founder ceo cfo coo coach inspector superintendent sheriff representative incumbent "
    "challenger candidate state former deputy acting interim health finance foreign defence "
    "defense interior justice education energy prime premier king queen prince pope bishop "
    "detective sergeant captain colonel lieutenant admiral commander trustee registrar auditor "
    "police city county federal national regional u.s. uk eu un of the and for mp mep mla msp "
    "member board local councilwoman councilman alderman alderwoman assemblyman assemblywoman "
    "congressman congresswoman rep. sen. gov.".split()
)
#: "Some growers are reportedly switching", "Several labs are said to be leaving": whoever the
#: quantified subject is, the hedge says the sentence is theirs and unnamed.
_QUANTIFIED_SUBJECT = re.compile(
    r"^(?P<name>(?:some|many|several|multiple|other|unnamed|anonymous)\s+(?:[a-z][\w-]*\s+)?"
    r"[a-z][\w-]*s)\s+(?:(?:are|were|have been|had been)\s+)?(?:reportedly|allegedly|"
    r"purportedly|said to|rumou?red to)\b",
    re.I,
)
_IN_ACCOUNTS = re.compile(
    r"^(?:In|Among) (?P<name>(?:some|many|other|several|more \w+|most|\w+ly \w+) (?:portrayals|"
    r"accounts|reports|descriptions|narratives|versions|tellings|analyses))\b",
    re.I,
)
#: "is often described as", "widely seen as": a hedge that hides who describes.
_PASSIVE_HEDGE = re.compile(
    r"\b(?:often|widely|frequently|commonly|usually|generally|sometimes) (?:described|cited|"
    r"linked|traced|summari[sz]ed|highlighted|portrayed|seen|called|framed|regarded|credited|"
    r"blamed|viewed|considered)\b",
    re.I,
)
_BARE_HEDGE = re.compile(r"\b(?:reportedly|allegedly|purportedly|is said to|are said to)\b", re.I)
_GROUP_AT = re.compile(
    r"^(?P<role>(?:[a-z]+ )?(?:analysts|researchers|economists|observers|experts|officials|"
    r"scientists|lawyers|staff|engineers|doctors|executives|monitors|investigators|auditors|"
    r"sources|inspectors|representatives|members|campaigners|activists|protesters|residents|"
    r"leaders|spokespeople|volunteers|workers|employees|negotiators|organi[sz]ers|advisers|"
    r"advisors|consultants|officers|delegates|supporters|critics))\s+(?:at|from|with|of|for)\s+(?P<name>.+)$",
    re.I,
)
_LEAD_IN = re.compile(
    # a dateline ("DUNMORE — "), then words that open a sentence without being its subject
    r"^(?:[A-Z][A-Z .,'’-]{2,40}\s+[—–-]+\s+)?(?:(?:More recently|Recently|Meanwhile|Yet|But|"
    r"And|However|Still|Separately|Later|Earlier|Instead|Now|Also|In a statement|"
    r"In an interview|In a letter|On \w+|Last \w+|This \w+|In \w+),?\s+)*"
)
_TIME_TAIL = re.compile(
    rf"\s+(?:(?:in|on|last|this|earlier|since)\s+(?:(?:{'|'.join(MONTHS)})\b\.?|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|week|month|year|\d{4}).*|in a statement.*|"
    r"on \w+day.*)$",
    re.I,
)
_RELATIVE = re.compile(r",\s+(?:who|which|whose)\b(?:[^,]|,(?=\d))*,")
_PRONOUN = re.compile(r"^(?:he|she|they|it)$", re.I)
_GENERIC = re.compile(
    r"^(?:the )?(?P<noun>company|firm|union|commission|council|ministry|department|authority|"
    r"utility|operator|group|agency|board|party|government|committee|regulator|city|bank)$",
    re.I,
)
_VERB_WORDS = frozenset(SPEECH_VERBS.split("|"))
_DESCRIBED_ORG = re.compile(
    r"^(?P<role>(?:[A-Z][a-z]+\s+)?(?:[a-z][\w-]*\s+)+)(?P<name>(?:[A-Z][\w&.’'-]*\s*){1,5})$"
)
#: An organisation named head first: "Union of Research Staff", "University of Leeds".
_HEAD_FIRST = re.compile(
    r"^(?P<the>[Tt]he\s+)?(?P<name>(?P<head>[A-Z][\w’'-]*)\s+(?:of|for)\s+(?:the\s+)?"
    r"[A-Z][\w’'&-]*(?:\s+(?:and\s+|of\s+|for\s+)?[A-Z][\w’'&-]*){0,4})$"
)
#: "Islanders who spoke to the paper", "a survey that the union commissioned": a speaker with a
#: restrictive relative clause (no commas), whose head says what kind of speaker it is.
_RESTRICTIVE = re.compile(
    r"^(?P<head>(?:[\w’'-]+\s+){0,3}?[\w’'-]+?)\s+(?P<rel>(?:who|that|which)\s+\S.*)$"
)
#: People whose finding is a claim of their own ("scientists at X found", "auditors found").
_RESEARCHERS = re.compile(
    r"\b(?:researchers|scientists|investigators|inspectors|auditors|analysts|economists|experts|"
    r"academics|scholars|statisticians|epidemiologists|engineers)\b",
    re.I,
)
_DETERMINERS = frozenset(["some", "many", "several", "multiple", "the", "a", "an", "one"])
_AUTHOR: dict[str, object] = {
    "name": "the article's author",
    "role": "writer of the page",
    "kind": "author",
}


@dataclass
class Memory:
    """What earlier sentences of the article named: people, organisations, the last speaker."""

    people: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    last: dict[str, object] | None = None
    #: The role a person was first named with ("Mayor Ellen Okafor": mayor).
    roles: dict[str, str] = field(default_factory=dict)

    def learn(self, sentence: str) -> None:
        """Remember the full names and organisation names a sentence mentions."""
        for match in _PERSON_RUN.finditer(sentence):
            words = _TITLES.sub("", match.group(1)).split()
            role: list[str] = []
            while words and words[0].lower().rstrip(".") in ROLE_WORDS:
                role.append(words.pop(0))
            if len(words) < 2 or all(w.lower() in PARTICLES for w in words[:-1]):
                continue  # a surname alone ("De Sousa said"), not a new person
            name = " ".join(words)
            if role and not is_organisation(name):
                self.roles[name] = " ".join(role)
            target = self.organisations if is_organisation(name) else self.people
            if name in target:
                target.remove(name)
            target.append(name)

    def person(self, surname: str) -> str | None:
        """The full name of someone met before by this surname."""
        for name in reversed(self.people):
            if name.split()[-1] == surname:
                return name
        return None

    def organisation(self, noun: str, sentence: str) -> str | None:
        """What "the company" or "the union" stands for: the sentence's own organisation when
        it starts with one, else the last one met whose name holds the noun."""
        lead = _PERSON_RUN.match(sentence)
        if lead and is_organisation(lead.group(1)) and noun in ("company", "firm", "group"):
            return lead.group(1)
        for name in reversed(self.organisations):
            if re.search(rf"\b{re.escape(noun)}\b", name, re.I):
                return name
        return None


#: Common nouns that open a sentence as its speaker ("Prosecutors said"): written in lower case.
COMMON_SPEAKERS = frozenset(
    "prosecutors analysts officials critics residents experts economists researchers observers "
    "investigators police authorities lawmakers doctors scientists activists campaigners "
    "environmentalists regulators investors executives employees workers voters opponents "
    "supporters scholars historians diplomats sources witnesses insiders engineers lawyers "
    "teachers parents farmers statisticians protesters officers organisers organizers "
    "inspectors auditors academics epidemiologists "
    "environmental local federal state city union company firm group the a an some many "
    "several multiple other unnamed".split()
)


_PLURAL_SPEAKERS = frozenset(w for w in COMMON_SPEAKERS if w.endswith("s") and len(w) > 4)
_REDUCED = re.compile(
    r"^(?:a|an|the|one)\s+[a-z]+\s+(?P<who>(?:[a-z]+\s+)?(?:"
    + "|".join(sorted(_PLURAL_SPEAKERS))
    + r"))$"
)


def _lower_generic(name: str) -> str:
    """'Prosecutors' or 'The council' in lower case; proper names as written."""
    first, _, rest = name.partition(" ")
    proper = [w for w in rest.split() if w[:1].isupper()]
    if first.lower() in COMMON_SPEAKERS and first[:1].isupper() and not proper:
        return first.lower() + (" " + rest if rest else "")
    if first in ("The", "A", "An", "Some", "Many", "Several", "Multiple"):
        return first.lower() + " " + rest
    return name


def _person_or_group(phrase: str, memory: Memory, sentence: str) -> dict[str, object] | None:
    """A speaker from a noun phrase: a name and its role, an organisation, or a group."""
    reduced = _REDUCED.match(phrase.strip(" ,;:"))
    if reduced:  # "a move officials say will save ...": the officials say it
        phrase = reduced.group("who")
    phrase = phrase.strip(' ,;:—-“”"')
    phrase = _LEAD_IN.sub("", phrase).strip()
    phrase = _TIME_TAIL.sub("", phrase).strip()
    if not phrase or len(phrase.split()) > 12:
        return None
    if _PRONOUN.match(phrase):
        return dict(memory.last) if memory.last else None
    head = _restrictive(phrase)
    if head is not None:  # "Islanders who spoke to the paper": all of it names them
        name = head + phrase.strip()[len(head) :]
        return {"name": name, "kind": kind_of(head)}
    # "Jane Smith, 54, a nurse": the age is not a part of the name or the role
    parts = [p.strip() for p in phrase.split(",") if p.strip() and not p.strip().isdigit()]
    if len(parts) > 2:
        return None
    phrase = ", ".join(parts)  # "Retired engineer Malik Rahman, 71": the age is set aside
    if len(parts) == 2:
        first, second = parts
        named_first = _proper(first)
        name, role = (first, second) if named_first else (second, first)
        if not _proper(name):  # "The study, published in The Lancet,": the study
            return _person_or_group(first, memory, sentence) if DOCUMENT.search(first) else None
        data = _person_or_group(name, memory, sentence)
        if data is None:
            return None
        data["role"] = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
        data["kind"] = kind_of(str(data["name"]), str(data["role"]))
        return data
    group = _GROUP_AT.match(phrase)
    if group:
        name = group.group("name")
        role = group.group("role").lower()
        return {"name": name, "role": role, "kind": kind_of(name, role)}
    generic = _GENERIC.match(phrase)
    if generic:
        known = memory.organisation(generic.group("noun").lower(), sentence)
        if known:
            return {"name": known, "kind": kind_of(known)}
    clause = re.search(r"[.!?;:]|\b(?:that|if|when|because|while|although)\b", phrase.rstrip("."))
    if clause and not _TITLES.match(phrase) and not re.search(r"\b[A-Z]\.", phrase):
        return None
    words = _TITLES.sub("", phrase).split()
    surname = words[-1:] if all(w.lower() in PARTICLES for w in words[:-1]) else []
    if surname and surname[0][:1].isupper():  # "Okafor", "de Sousa": someone met before
        full = memory.person(surname[0].rstrip("’'s").rstrip("’'"))
        if full and not surname[0].endswith(("’s", "'s")):
            known_role = memory.roles.get(full)
            if known_role:
                return {"name": full, "role": known_role, "kind": kind_of(full, known_role)}
            return {"name": full, "kind": kind_of(full)}
    described_org = _DESCRIBED_ORG.match(" ".join(words))
    if described_org and is_organisation(described_org.group("name")):
        # "Rival chipmaker Haldane Systems": the description is its role
        name, role = described_org.group("name").strip(), described_org.group("role").strip()
        return {"name": name, "role": role, "kind": kind_of(name, role)}
    head_first = _HEAD_FIRST.match(" ".join(words))
    if head_first and head_first.group("head").lower() in ORG_WORDS:
        # "The Union of Research Staff", "the Bank of England": not a role before a name
        name = ("the " if head_first.group("the") else "") + head_first.group("name")
        return {"name": name, "kind": kind_of(name)}
    # "Mayor Ellen Okafor", "U.S. Secretary of State Marco Rubio": the role before the name
    run = re.search(rf"((?:{_CAP}\s+)?{_PARTICLE}[A-Z][\w’'-]+)$", " ".join(words))
    if run and not is_organisation(run.group(1)):
        name_words = run.group(1).split()
        while name_words and name_words[0].lower().rstrip(".") in ROLE_WORDS:
            name_words = name_words[1:]
        role_text = " ".join(words)[: len(" ".join(words)) - len(" ".join(name_words))].strip()
        # "board member Tom Becker", "Retired teacher Ana Sousa" (capitalised to open a sentence)
        lowered = role_text[:1].lower() + role_text[1:] if " " in role_text else role_text
        described = lowered.islower() and not lowered.startswith(("the ", "a "))
        if described and re.search(r"\s(?:on|in|at|near|from|around|across)$", lowered):
            # "Shopkeepers on Eastfield Road": people of a place, not a person named Road
            head = lowered.split()[0]
            return {
                "name": f"{head} {' '.join(lowered.split()[1:])} {run.group(1)}",
                "kind": kind_of(head),
            }
        if (
            len(name_words) >= 2
            and role_text
            and (described or any(w.lower().rstrip(".") in ROLE_WORDS for w in role_text.split()))
        ):
            name = " ".join(name_words)
            role = re.sub(r"^(?:the|a|an)\s+", "", role_text)
            return {"name": name, "role": role, "kind": kind_of(name, role)}
    name = _lower_generic(" ".join(words))
    if not re.search(r"[A-Za-z]", name):
        return None
    return {"name": name, "kind": kind_of(name)}


def _restrictive(phrase: str) -> str | None:
    """The head of a speaker with a restrictive relative clause, in lower case ("islanders" of
    "Islanders who spoke to the paper"); None when the phrase has none."""
    match = _RESTRICTIVE.match(phrase.strip())
    if match is None:
        return None
    head, pronoun = match.group("head").split(), match.group("rel").split()[0]
    if any(w[:1].isupper() for w in head[1:]) or not head[0][:1].isalpha():
        return None  # a proper name ("Nurses at St Anne's who ..."): not read this way
    last = head[-1].lower()
    people = pronoun == "who" and (last.endswith("s") or last in ("people", "staff"))
    if not (people or (pronoun != "who" and DOCUMENT.search(last))):
        return None
    if not re.fullmatch(r"[A-Z][a-z]+(?:an|ian|ese|ish|i)s?", head[0]):  # demonyms keep a capital
        head[0] = head[0][:1].lower() + head[0][1:]
    return " ".join(head)


def _proper(text: str) -> bool:
    words = _TITLES.sub("", text).split()
    if len(words) > 1 and words[0].lower() == "the" and words[1][:1].isupper():
        words = words[1:]  # "the Harlow Education Association"
    return (
        bool(words)
        and words[0][:1].isupper()
        and words[0].lower()
        not in (
            "the",
            "a",
            "an",
            "his",
            "her",
            "its",
            "their",
        )
        and not re.search(r"[’']s\b", words[0])
    )


_CITING = re.compile(
    r"^(?P<via>.*?)\s+citing\s+(?P<name>[^,.;]+?)(?:\s+(?:have|has|had|data)\b|[,.;]|$)", re.I
)
_ACCORDING = re.compile(r"\baccording to ((?:the )?[^,.;]+)", re.I)
_VERB_THEN_NAME = re.compile(
    rf"[,”\"]\s*(?:{SPEECH_VERBS}|added|wrote)\s+(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Prof)\.\s+)?"
    rf"(?:[A-Z][\w’'.-]+\s+){{0,2}}{_PARTICLE}[A-Z][\w’'-]+|the(?: [\w’'-]+){{1,4}}?)"
    r"(?:,\s+(?P<role>[^,]+?))?[,.]?$"
)
_FINITE = re.compile(r"\b(?:had|has|have|was|were|is|are|would|will|could|can|did|does)\b")
_QUOTE_THEN_SPEAKER = re.compile(
    rf"[,?!—-][”\"’]\s+(?P<subject>[^“”\",]{{2,60}}?)\s+{_AUX}(?:{SPEECH_VERBS})\b[^“”\"]*$"
)
_POST_POSED = re.compile(
    rf",\s+(?P<subject>[^,]{{2,90}}?)\s+(?P<aux>{_AUX})(?:{_ALL_VERBS})\b(?P<tail>[^,]*)[.!]?[”\"’]?$"
)
#: "..., the council's finance director, Mark Ellery, said." (only a time may follow the verb:
#: "..., 54, a nurse, said she ..." is a pre-posed speaker's).
_POST_APPOSITIVE = re.compile(
    rf",\s+(?P<subject>[^,]{{2,90}},\s+[^,]{{2,60}}),\s+(?P<aux>{_AUX})(?:{_ALL_VERBS})"
    r"(?:\s+(?:on|in|at|last|this|earlier|later|yesterday|today)\b[^,]{0,30})?[.!]?[”\"’]?$"
)
_PRE_POSED = re.compile(rf"^(?P<subject>.{{2,160}}?)\s+(?P<aux>{_AUX})(?P<verb>{_ALL_VERBS})\b")


def guess_attribution(sentence: str, memory: Memory | None = None) -> dict[str, object]:
    """Who asserts the sentence, guessed from its attribution grammar; the author when none."""
    memory = memory if memory is not None else Memory()
    found = _guess(LIST_MARK.sub("", sentence).strip(), memory)
    if found is not None and found.get("kind") != "author":
        memory.last = found
        name, role = str(found["name"]), found.get("role")
        if role and is_personal(name) and name not in memory.roles:
            # "Dr. Priya Raman, the county's chief medical officer, said": "Raman said" later
            # is the same officer
            memory.roles[name] = str(role)
    return found if found is not None else dict(_AUTHOR)


def _guess(sentence: str, memory: Memory) -> dict[str, object] | None:
    citing = _CITING.search(sentence)
    if citing and not re.match(
        r"(?:what|his|her|their|its|the need|a need|concerns?)\b", citing.group("name"), re.I
    ):
        name = citing.group("name").strip()
        via = citing.group("via").strip()
        data: dict[str, object] = {"name": name, "kind": kind_of(name)}
        if via:
            via_name = via[0].lower() + via[1:] if via[:1].isupper() else via
            if not _proper(via) or via.split()[0] in ("Multiple", "Several", "Some", "Many"):
                data["via"] = [{"name": via_name, "kind": kind_of(via_name)}]
        return data
    if citing:  # "..., citing what she called ...": the one who cites
        return _person_or_group(_leading_name(citing.group("via")), memory, sentence)
    according = _ACCORDING.search(sentence)
    if according:
        name = according.group(1).strip()
        name = _TIME_TAIL.sub("", name).strip()
        generic = _GENERIC.match(name)
        known = memory.organisation(generic.group("noun").lower(), sentence) if generic else None
        return {"name": known or name, "kind": kind_of(known or name)}
    bare = _RELATIVE.sub("", sentence)
    after_quote = _VERB_THEN_NAME.search(bare)
    if after_quote and _FINITE.search(after_quote.group("name")):
        after_quote = None  # "..., 68, said the road had flooded": what was said, not who
    if after_quote:
        data_ = _person_or_group(after_quote.group("name"), memory, sentence)
        if data_ is not None:
            if after_quote.group("role"):
                data_["role"] = re.sub(r"^(?:the|a|an)\s+", "", after_quote.group("role").strip())
                data_["kind"] = kind_of(str(data_["name"]), str(data_["role"]))
            return data_
    after_words = _QUOTE_THEN_SPEAKER.search(bare)
    if after_words:  # "“We will not back down,” Smith said."
        data_ = _person_or_group(after_words.group("subject"), memory, sentence)
        if data_ is not None:
            return data_
    quoted = bool(re.search(r"[“\"][^”\"]{3,}[”\"]", sentence))
    for pattern in (_POST_POSED, _POST_APPOSITIVE):
        post = pattern.search(bare)
        if (
            post
            and _speaker_like(post.group("subject"), post.group(0))
            and not _hearsay(post.group("subject"), post.group("aux"))
        ):
            data_ = _person_or_group(post.group("subject"), memory, sentence)
            if data_ is not None:
                return data_
    pre = _PRE_POSED.search(bare)
    if pre and not _hearsay(pre.group("subject"), pre.group("aux")):
        verb = pre.group("verb").lower()
        subject = pre.group("subject")
        # "is described as" hides the speaker; "says as many as" is a bound, not a passive
        passive = re.match(
            r"\s+(?:is|are|was|were|by|as(?!\s+(?:many|much|few|little|high|low|large|long|"
            r"far|early|soon|recently)\s+as))\b",
            bare[pre.end() :],
        )
        fits = (
            not passive
            and (
                verb not in DOCUMENT_VERBS.split("|")
                or DOCUMENT.search(subject)
                or (verb.startswith("f") and _RESEARCHERS.search(subject))
            )
            and (verb not in ("called", "calls") or quoted)
            and (verb not in ("put", "puts") or re.search(r"\bput\w*\s.+\sat\b", bare))
        )
        if fits and _speaker_like(subject, ""):
            data_ = _person_or_group(subject, memory, sentence)
            if data_ is not None:
                return data_
    quantified = _QUANTIFIED_SUBJECT.match(_LEAD_IN.sub("", sentence))
    if quantified:
        return {"name": quantified.group("name").lower(), "kind": "anonymous"}
    hedged = HEDGED_SUBJECT.search(sentence)
    if hedged and hedged.start() < 40:
        name = hedged.group(1)
        return {"name": name[0].lower() + name[1:], "kind": "anonymous"}
    framed = _IN_ACCOUNTS.match(sentence)
    if framed:
        return {"name": framed.group("name").lower(), "kind": "anonymous"}
    bare_hedge = _BARE_HEDGE.search(sentence)
    if bare_hedge:
        role = f"signalled by “{bare_hedge.group().lower()}”"
        return {"name": "unnamed reports", "role": role, "kind": "anonymous"}
    soft = _PASSIVE_HEDGE.search(sentence)
    if soft:
        role = f"signalled by “{soft.group().lower()}”"
        return {"name": "unnamed accounts", "role": role, "kind": "anonymous"}
    return None


def _hearsay(subject: str, aux: str) -> bool:
    """Whether a hedge before the verb says others report it ("A gang has reportedly
    demanded ..."): then the sentence is unnamed reports', unless a document is what shows it."""
    return bool(_BARE_HEDGE.search(aux)) and not DOCUMENT.search(subject)


def _speaker_like(subject: str, clause: str) -> bool:
    """Whether the words before a speech verb can be its subject (not a clause of their own)."""
    subject = _LEAD_IN.sub("", subject.strip())
    subject = _restrictive(subject) or subject  # "Residents who ...": the head is the subject
    words = subject.split()
    if not words or len(words) > 12 or words[0].lower() in _VERB_WORDS:
        return False
    if words[0] in (
        "After",
        "Before",
        "When",
        "If",
        "As",
        "In",
        "By",
        "While",
        "Although",
        "Because",
        "Since",
        "Until",
        "Once",
        "Under",
        "For",
        "With",
    ):
        return False
    if re.search(r"\b(?:is|are|was|were|will|would|could|can|not|to|that|than)\b", subject):
        return "," in subject and _proper(subject.split(",")[0])
    if re.search(r"[“”\"]", subject):
        return False
    # "Some reports suggest": "reports" is the subject there, not the verb
    return not all(w.lower() in _DETERMINERS for w in words)


def _leading_name(text: str) -> str:
    """The noun phrase a sentence starts with: "Judge Amelia Ruiz ordered ..." -> the judge."""
    words: list[str] = []
    for word in text.split():
        if words and not (word[:1].isupper() or word.lower() in ROLE_WORDS):
            break
        words.append(word)
    return " ".join(words)
