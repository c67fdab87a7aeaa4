"""An article's readable text from plain text, Markdown or HTML, with page furniture set aside.

Page furniture is what a page carries besides the article: navigation, advertising, "Read More"
teasers, related links, share and subscribe prompts, footers. HTML furniture is recognised by
element (``nav``, ``aside``, ``footer``, ``script``...), by ARIA role and by class or id words
(``ad``, ``promo``, ``related``, ``share``...); in every format, by the text of short lines
(``FURNITURE_LINE``), teasers (a truncated line before "Read More"), ``Title | Site`` lines, and
everything after a "You may also like" / "Related articles" heading up to the next full paragraph
(25 words or more, ending with a full stop).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from claimtrack.core.vocab import ArticleFormat


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or list item of the article; ``furniture`` says why it was skipped."""

    text: str
    heading: bool = False
    furniture: str | None = None


_HTML_HINT = re.compile(r"<(?:!doctype|html|body|p|div|article|section|span|a)\b", re.I)
_MD_HINT = re.compile(r"^(?:#{1,6} |\* |- |> )|\]\(|^\s*```", re.M)


def sniff(text: str) -> ArticleFormat:
    """HTML when it has HTML tags, Markdown when it has Markdown markup, else plain text."""
    if _HTML_HINT.search(text[:20000]):
        return ArticleFormat.HTML
    if _MD_HINT.search(text[:20000]):
        return ArticleFormat.MARKDOWN
    return ArticleFormat.TEXT


# -- HTML --------------------------------------------------------------------------------------

_SKIPPED_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "iframe",
        "svg",
        "button",
        "select",
        "figure",
    ]
)
_SKIPPED_ROLES = frozenset(
    ["navigation", "banner", "contentinfo", "complementary", "search", "dialog"]
)
_FURNITURE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|advert\w*|adslot|promo\w*|sponsor\w*|related|recommend\w*|share|"
    r"sharing|social|newsletter|subscribe|subscription|signup|cookie\w*|consent|menu|nav\w*|"
    r"breadcrumbs?|footer|comments?|sidebar|widget|banner|outbrain|taboola|paywall|popup|"
    r"modal|read-?more|more-stories|trending|most-read|teaser|byline)(?:$|[\s_-])",
    re.I,
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "section",
        "article",
        "main",
        "br",
        "tr",
        "td",
        "th",
        "dd",
        "dt",
        "pre",
        "figcaption",
        "ul",
        "ol",
        "table",
        "hr",
        "title",
    ]
)
_VOID_TAGS = frozenset(
    [
        "br",
        "hr",
        "img",
        "input",
        "meta",
        "link",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
    ]
)
_HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "title"])


class _TextParser(HTMLParser):
    """Collects text blocks, skipping furniture elements and everything inside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.skipped: list[str] = []  # the text of the furniture element being skipped
        self.heading = False

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def _flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.blocks.append(Block(text, heading=self.heading))
        self.parts = []
        self.heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in _VOID_TAGS:
            return
        values = dict(attrs)
        marks = " ".join(values.get(name) or "" for name in ("class", "id"))
        skipped = (
            tag in _SKIPPED_TAGS
            or (values.get("role") or "").lower() in _SKIPPED_ROLES
            or values.get("aria-hidden") == "true"
            or "hidden" in values
            or bool(_FURNITURE_WORDS.search(marks))
        )
        self.stack.append((tag, skipped))
        if tag in _HEADING_TAGS and not self._skipping():
            self.heading = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        was_skipping = self._skipping()
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break
        if was_skipping and not self._skipping():
            text = " ".join("".join(self.skipped).split())
            if text:  # kept, marked, so that what was skipped can be shown and counted
                self.blocks.append(Block(text, furniture=f"HTML <{tag}> furniture"))
            self.skipped = []

    def handle_data(self, data: str) -> None:
        (self.skipped if self._skipping() else self.parts).append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_blocks(text: str) -> list[Block]:
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    return parser.blocks


# -- Markdown and plain text -------------------------------------------------------------------

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_PREFIX = re.compile(r"^\s{0,3}(?:>\s?)*(?:[-*+]\s+|\d+\.\s+)?")
_MD_ITEM = re.compile(r"^\s{0,3}(?:>\s?)*(?:[-*+]|\d+\.)\s+")


def markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines: list[str] = []
    fenced = False
    quoting = False  # the previous line was a quote line: the next one continues its paragraph

    def flush() -> None:
        joined = " ".join(" ".join(lines).split())
        if joined:
            blocks.append(Block(joined))
        lines.clear()

    for raw in text.splitlines():
        if raw.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            flush()
            continue
        if fenced:
            continue
        line = _MD_IMAGE.sub("", raw)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            flush()
            blocks.append(Block(heading.group(1), heading=True))
            continue
        if re.match(r"^\s*(?:[-*_]\s*){3,}$", line) or not line.strip():
            flush()
            continue
        stripped = _MD_PREFIX.sub("", line)
        quoted = bool(re.match(r"^\s{0,3}>", line))
        item = bool(_MD_ITEM.match(line))
        if item or (stripped != line.lstrip() and not (quoted and quoting)):
            flush()  # a list item or the first line of a quote starts its own block
        quoting = quoted
        lines.append(stripped)
    flush()
    return blocks


def text_blocks(text: str) -> list[Block]:
    """Plain text: one block per non-blank line (articles pasted from pages keep one per line)."""
    return [Block(" ".join(line.split())) for line in text.splitlines() if line.strip()]


# -- Furniture in the text itself ---------------------------------------------------------------

_READ_MORE = re.compile(r"^(?:read more|continue reading|read the full story)\s*[:»›>-]?\s*", re.I)
FURNITURE_LINE = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|promoted|ad|share(?: this)?(?: on .*)?|"
    r"subscribe.*|sign up.*|follow us.*|click here.*|cookie.*|accept.*cookies.*|skip to .*|"
    r"menu|home|search|log ?in|sign in|all rights reserved.*|©.*|copyright .*|"
    r"(?:photo|image)(?: credit)?:.*|tags?:.*|listen to this article.*|"
    r"by (?:an? |our )?[\w .,'’-]{2,50}|updated .{0,40}|published .{0,40})$",
    re.I,
)
_RELATED_HEADING = re.compile(
    r"^(?:you may (?:also )?(?:be )?(?:like|interested in|enjoy)|related(?: articles| stories| "
    r"posts| reading| links)?|more from .*|recommended(?: for you)?|read next|trending(?: now)?|"
    r"most (?:read|popular)|further reading|see also|more stories|popular now)\s*:?$",
    re.I,
)
_SITE_SUFFIX = re.compile(r"\s\|\s*[^|.!?]{2,40}$")
#: A teaser with its link glued on: "... This Little-Known Program... Read More...".
_GLUED_READ_MORE = re.compile(
    r"(?:\.\.\.|…)?\s*(?:read more|learn more|see more|find out more|click here|shop now|"
    r"continue reading)\s*(?:\.\.\.|…|»|›|>)?\s*$",
    re.I,
)
_CALL_TO_ACTION = re.compile(
    r"^(?:learn more|see more|find out more|shop now|get started|try it free|sign up now|"
    r"click here|watch now|get the deal|see offer|apply now)\s*[.!»›>]*$",
    re.I,
)
#: Advertising copy: the phrases of "native" advertising teasers.
_CLICKBAIT = re.compile(
    r"\b(?:little[- ]known|this (?:one|\d+|simple|weird|odd) (?:trick|tip|thing)|doctors "
    r"(?:stunned|hate|are baffled)|you won'?t believe|what happens next|getting \$[\d,]+ back|"
    r"one weird trick|is genius|will blow your mind|the \d+ best|\d+ (?:best|worst) \w+ to)\b",
    re.I,
)
_SPONSORED_PREFIX = re.compile(
    r"^(?:sponsored(?: content| post| links?| stories)?|advertisement|advertorial|"
    r"promoted(?: content| stories)?|paid (?:content|post|partnership)|partner content|ad)"
    r"\s*[:|·-]",
    re.I,
)
_TEASER_END = re.compile(r"(?:\.\.\.|…)$")


def mark_furniture(blocks: list[Block]) -> list[Block]:
    """The blocks with furniture marked (and a glued "Read More" prefix cut from real text)."""
    out: list[Block] = []
    related = False
    for index, block in enumerate(blocks):
        text = block.text
        following = blocks[index + 1].text if index + 1 < len(blocks) else ""
        reason = block.furniture
        if related and len(text.split()) >= 25 and re.search(r"[.!?][”\"’)]*$", text):
            related = False  # a full paragraph again: the related links were mid-page
        if reason is not None:
            pass  # already known as furniture (an HTML element)
        elif related:
            reason = "after a related-links heading"
        elif _RELATED_HEADING.match(text):
            related, reason = True, "related-links heading"
        elif FURNITURE_LINE.match(text) and len(text) <= 120:
            reason = "page furniture"
        elif _READ_MORE.match(text) and not _READ_MORE.sub("", text):
            reason = "read-more link"
        elif _TEASER_END.search(text) and (
            _READ_MORE.match(following) or _CALL_TO_ACTION.match(following)
        ):
            reason = "teaser before a read-more link"
        elif _CALL_TO_ACTION.match(text) and len(text) <= 40:
            reason = "call to action"
        elif _CALL_TO_ACTION.match(following) and len(text.split()) <= 30:
            reason = "teaser before a call to action"
        elif _GLUED_READ_MORE.search(text) and len(text.split()) <= 40:
            reason = "teaser with a read-more link"
        elif _SPONSORED_PREFIX.match(text) and len(text.split()) <= 60:
            reason = "sponsored teaser"
        elif _CLICKBAIT.search(text) and len(text.split()) <= 40:
            reason = "advertising teaser"
        elif _SITE_SUFFIX.search(text) and len(text) <= 160:
            reason = "title | site link"
        if reason is None and _READ_MORE.match(text):
            text = _READ_MORE.sub("", text)  # "Read MoreHow Venezuela…": the link glued to text
            if _SITE_SUFFIX.search(text):
                reason = "title | site link"
        out.append(Block(text, block.heading, reason))
    return out


def read_article(text: str, fmt: ArticleFormat = ArticleFormat.AUTO) -> list[Block]:
    """The blocks of an article, furniture marked."""
    if fmt is ArticleFormat.AUTO:
        fmt = sniff(text)
    if fmt is ArticleFormat.HTML:
        blocks = html_blocks(text)
    elif fmt is ArticleFormat.MARKDOWN:
        blocks = markdown_blocks(text)
    else:
        blocks = text_blocks(text)
    return mark_furniture(blocks)
