"""Who a fact check says made the claim: a person, an organisation, or no one named.

A claimant's schema.org type decides when it has one (Person, Organization and its kinds). A
claimant with no type is read from its name: a name made only of words for an unnamed crowd
("multiple sources", "social media users", "फेसबुक यूजर") is ``anonymous``; a name with a word
that names a body ("party", "ministry", "news", "page", "club") is an ``organization``, as is the
fact-checker itself; any other name is a ``person``: fact-checkers name people, or their
accounts ("Facebook user Armaan Pathan", "juanli324").
"""

from __future__ import annotations

import unicodedata

from claimtrack.core.vocab import AttributionKind

#: schema.org types of the claim's author -> attribution kind.
TYPE_KINDS: dict[str, AttributionKind] = {
    "person": AttributionKind.PERSON,
    "organization": AttributionKind.ORGANIZATION,
    "corporation": AttributionKind.ORGANIZATION,
    "ngo": AttributionKind.ORGANIZATION,
    "politicalparty": AttributionKind.ORGANIZATION,
    "governmentorganization": AttributionKind.GOVERNMENT,
    "newsmediaorganization": AttributionKind.MEDIA,
}

#: Words that, alone or together, name no one (in the languages of the real data: English,
#: Hindi, Gujarati, Tamil, Malayalam, Arabic, Persian).
UNNAMED_WORDS = frozenset(
    [
        "multiple",
        "multiples",
        "various",
        "several",
        "many",
        "numerous",
        "some",
        "unknown",
        "unnamed",
        "anonymous",
        "unidentified",
        "source",
        "sources",
        "resources",
        "people",
        "persons",
        "person",
        "authors",
        "author",
        "users",
        "user",
        "accounts",
        "account",
        "posts",
        "post",
        "social",
        "media",
        "online",
        "internet",
        "web",
        "websites",
        "website",
        "viral",
        "claim",
        "claims",
        "message",
        "messages",
        "bloggers",
        "blogger",
        "netizens",
        "fb",
        "facebook",
        "twitter",
        "x",
        "instagram",
        "whatsapp",
        "whastapp",
        "tiktok",
        "youtube",
        "telegram",
        "the",
        "a",
        "of",
        "and",
        "on",
        "in",
        "फेसबुक",
        "यूजर",
        "यूज़र",
        "सोशल",
        "मीडिया",
        "वायरल",
        "पोस्ट",
        "ट्विटर",
        "व्हाट्सएप",
        "ફેસબુક",
        "યુઝર",
        "பேஸ்புக்",
        "பயனர்",
        "பயனர்கள்",
        "ட்விட்டர்",
        "சமூக",
        "ஊடக",
        "ഫേസ്ബുക്ക്",
        "ഉപയോക്താവ്",
        "സോഷ്യൽ",
        "മീഡിയ",
        "مستخدمو",
        "مستخدمي",
        "مواقع",
        "التواصل",
        "الاجتماعي",
        "فيسبوك",
        "تويتر",
        "کاربران",
        "شبکه",
        "های",
        "اجتماعی",
    ]
)

#: Words that name a body rather than a person.
ORGANIZATION_WORDS = frozenset(
    [
        "party",
        "ministry",
        "government",
        "department",
        "agency",
        "council",
        "committee",
        "commission",
        "office",
        "university",
        "institute",
        "association",
        "foundation",
        "society",
        "union",
        "federation",
        "league",
        "club",
        "fans",
        "team",
        "group",
        "page",
        "channel",
        "network",
        "news",
        "times",
        "post",
        "tv",
        "radio",
        "show",
        "live",
        "media",
        "services",
        "developers",
        "estate",
        "company",
        "corporation",
        "inc",
        "ltd",
        "llc",
        "plc",
        "bank",
        "hospital",
        "church",
        "army",
        "police",
        "ፓርቲ",
        "पार्टी",
        "मंत्रालय",
        "सरकार",
        "حزب",
        "وزارة",
    ]
)


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFC", name).casefold()
    kept = (c if unicodedata.category(c)[0] in "LMN" or c in "\u200c\u200d" else " " for c in text)
    return "".join(kept).split()


def is_unnamed(name: str) -> bool:
    """Whether a claimant's name names no one (``Multiple sources``, ``பேஸ்புக் பயனர்``)."""
    words = _words(name)
    return not words or all(word in UNNAMED_WORDS for word in words)


def claimant_kind(name: str, type_name: str = "", reviewer: str = "") -> AttributionKind:
    """The attribution kind of a claimant named ``name`` with the schema.org type given."""
    by_type = TYPE_KINDS.get(type_name.casefold())
    if by_type is not None and not (by_type is AttributionKind.PERSON and is_unnamed(name)):
        return by_type
    if is_unnamed(name):
        return AttributionKind.ANONYMOUS
    if reviewer and _words(name) == _words(reviewer):
        return AttributionKind.ORGANIZATION
    if any(word in ORGANIZATION_WORDS for word in _words(name)):
        return AttributionKind.ORGANIZATION
    return AttributionKind.PERSON
