"""The kind of a speaker, from its name and the role beside it.

A named individual ("Hana Kovač") is a ``person``; with a role that is an office or a position
in a body ("Mayor", "head of quality", "board member", not a former one) an ``official``; with an
expertise ("economist", "physician") an ``expert``; with a role naming a body ("Quiet Skies, a
residents' group") an ``organization``. Unnamed people ("witnesses", "local residents") are
``anonymous``; other names go by their words: government, media, document, organization.
"""

from __future__ import annotations

import re

#: Words that make a capitalised run an organisation, not a person.
ORG_WORDS = frozenset(
    "services power union research league foods group inc ltd corp corporation company co bank "
    "council commission authority ministry department agency institute association party court "
    "university hospital times news post fund partners capital energy brands systems holdings "
    "office committee board trust foundation network labs airlines motors media press bureau "
    "forum alliance coalition federation club society centre center service police army navy "
    "government house senate congress parliament assembly courier herald tribune journal "
    "gazette ledger daily weekly review monitor observer guardian telegraph express reuters "
    "organisation organization industries international global solutions technologies pharma "
    "insurance airways railways utilities water electric gas oil mining steel health care "
    "clinic school college academy exchange commission's union's pdvsa kremlin "
    # the trades that name a business ("Harbor Line Ferries", "Kenton Savings")
    "semiconductor semiconductors ferries shipping logistics savings storage properties property "
    "pharmaceuticals telecom software robotics biotech chemicals transport transit rail buses "
    "farms estates hotels studios ventures enterprises consulting construction developments "
    "retail stores supermarkets mills works".split()
)
_OFFICIAL = re.compile(
    r"\b(?:secretary|minister|president|spokes\w+|senator|governor|mayor|ambassador|officials?|"
    r"chancellor|general|prime|councill?or|judge|prosecutors?|treasurer|commissioner|"
    r"sheriff|police|attorney|auditors?|inspectors?|superintendent)\b",
    re.I,
)
_GOVERNMENT = re.compile(
    r"\b(?:government|ministry|department|office|kremlin|white house|embassy|council|parliament|"
    r"congress|authorit(?:y|ies)|state|commission|regulator|agency|city|county|court|"
    r"district attorney)\b",
    re.I,
)
_MEDIA = re.compile(
    r"\b(?:reports?|media|newspaper|news|journal|times|post|press|television|broadcaster|"
    r"courier|herald|tribune|gazette|ledger)\b",
    re.I,
)
_EXPERT = re.compile(
    r"\b(?:analysts?|experts?|professor|researchers?|economists?|scientists?|scholars?|"
    r"physicians?|dr\.?|engineers?|lawyers?|doctors?)\b",
    re.I,
)
DOCUMENT = re.compile(
    r"\b(?:data|document|study|survey|filing|records?|audit|figures|memo|report|poll|count|"
    r"census|statistics|analysis|review|letter|email|minutes|paper|assessment|estimates?|"
    r"documents|records|files|emails|statement|ruling|indictment|complaint|lawsuit)\b",
    re.I,
)
HEDGED_SUBJECT = re.compile(
    r"\b((?:some|many|multiple|several|other|unnamed|anonymous) (?:[\w-]+ )?(?:reports|accounts|"
    r"narratives|observers|analysts|critics|sources|portrayals|residents|people|officials|"
    r"experts|economists|voters|parents|workers|employees|members|diplomats|insiders|"
    r"commentators|scientists|researchers|doctors|investors|traders|lawmakers)|"
    r"open-source descriptions|observers(?: and (?:foreign )?diplomats(?: in \w+)?)?|critics|"
    r"analysts|diplomats|sources familiar with [\w ]+)\b",
    re.I,
)


#: A position in a body: whoever holds one speaks for it ("Norvale's head of quality").
_POSITION = re.compile(
    r"\b(?:chief|head|director|executive|president|chair\w*|leader|member|mp|mep|constable|"
    r"manager|founder|ceo|cfo|coo|officer|trustee|board)\b",
    re.I,
)
#: A role whose last word names a body: the name is the body's ("Quiet Skies, a residents' group").
_BODY = re.compile(
    r"(?:^|\s)(?:[\w’'-]+’s\s+|[\w’'-]+'s\s+)?\w*(?:group|federation|association|body|union|"
    r"company|firm|operator|maker|bank|charity|league|coalition|campaign|network|platform|club|"
    r"team|party|alliance|society|trust|institute|organi[sz]ation|business|retailer|lender|"
    r"insurer|developer|utility|provider|supplier|carrier|airline|publisher|consortium|"
    r"cooperative|nonprofit|watchdog|owner|chain|brand|start-?up)s?$",
    re.I,
)
#: Lower-case people who are not a body, an office or an expertise: an unnamed crowd.
_CROWD = frozenset(
    "residents witnesses people voters parents workers employees islanders locals passengers "
    "patients customers users neighbours neighbors farmers growers teachers students commuters "
    "tenants shoppers families drivers fans bystanders villagers citizens protesters "
    "demonstrators shopkeepers traders nurses".split()
)
#: Lower-case particles inside a person's name ("Ana de Sousa", "Pieter van Dijk").
PARTICLES = frozenset("de van von der den da del di du bin al la le ter".split())


def is_personal(name: str) -> bool:
    """Whether a name reads as a person's: two to four capitalised words ("Hana Kovač", "Pieter
    de Vries"), none of them an organisation's, a document's or an acronym."""
    words = name.split()
    if not 2 <= len(words) <= 4 or words[0] in PARTICLES or is_organisation(name):
        return False
    for word in words:
        if word in PARTICLES or re.fullmatch(r"[A-Z]\.", word):
            continue
        letters = re.sub(r"[’'-]", "", word)
        if not (word[0].isupper() and letters.isalpha() and not letters[1:].isupper()):
            return False
    return not any(p.search(name) for p in (DOCUMENT, _GOVERNMENT, _MEDIA))


def _person_kind(role: str) -> str:
    """The kind of a named person from the role given beside the name."""
    former = re.search(r"\b(?:former|retired|ex-)", role, re.I)
    # "an economist at Nordbank" works at a body; "a residents' group" is one
    head = re.split(r"\s+(?:at|with|from|for)\s+", role, maxsplit=1)[0]
    if _BODY.search(head) and not _POSITION.search(role):
        return "organization"  # "Agri Nord, the farmers' federation": the name is a body's
    if not former and any(p.search(role) for p in (_OFFICIAL, _GOVERNMENT, _POSITION)):
        return "official"
    if _EXPERT.search(role):
        return "expert"
    if not former and _MEDIA.search(role):
        return "media"
    return "person"


def is_organisation(name: str) -> bool:
    words = [w.lower().strip("’'") for w in name.split()]
    return bool(words) and (words[-1] in ORG_WORDS or any(w in ORG_WORDS for w in words[1:]))


def kind_of(name: str, role: str = "") -> str:
    """The attribution kind a speaker's name and role suggest."""
    both = f"{role} {name}".strip()
    if HEDGED_SUBJECT.fullmatch(name.strip()) or name.lower().startswith(
        ("some ", "many ", "unnamed ", "several ", "multiple ")
    ):
        # "multiple English-language reports" are published media; "some reports" anyone
        published = re.search(r"\breports\b", name, re.I) and "some" not in name.lower()
        return "media" if published else "anonymous"
    if re.search(r"\breports\b", name, re.I):
        return "media"
    if is_personal(name):
        return _person_kind(role)
    words = name.lower().removeprefix("the ").split()
    if name.islower() and words and words[-1] in _CROWD and not (role or _OFFICIAL.search(name)):
        return "anonymous"  # "witnesses", "local residents": people the article does not name
    if _OFFICIAL.search(role) or (not role and _OFFICIAL.search(name)):
        return "official"
    if DOCUMENT.search(name) and not is_organisation(name):
        return "document"
    for pattern, kind in ((_GOVERNMENT, "government"), (_EXPERT, "expert"), (_MEDIA, "media")):
        if pattern.search(both):
            return kind
    return "organization"
