"""A news page's HTML reduced to the article: its main text (one paragraph per line, list items
as `- ` lines, photo captions kept) and its title, date, canonical link, author and site, by
trafilatura. Navigation, ads, comments, related links and scripts are left out."""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from typing import Any

from bot.corpus.metadata import ArticleMeta, web_url
from bot.corpus.text import nfc

logger = logging.getLogger(__name__)

# A charset the page declares itself, in the part of the page a browser looks at for one.
_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Extracted:
    """The article's text (what gets indexed) and what the page says about it."""

    text: str
    meta: ArticleMeta


def _keep_captions(tree: Any) -> None:
    """Turn each `<figure>`, and each table laid out around a photo, into a paragraph holding
    its caption: trafilatura drops figures without images and renders tables as `| … |` rows,
    yet a news photo's caption ("… - Ảnh: TTXVN") says who and where."""
    from lxml.html import Element

    photos = [*tree.iter("figure"),
              *(table for table in tree.iter("table") if table.find(".//img") is not None)]
    for holder in photos:
        if holder.getparent() is None or any(a in photos for a in holder.iterancestors()):
            continue  # inside another photo holder, replaced with it
        caption = holder.find(".//figcaption") if holder.tag == "figure" else holder
        paragraph = Element("p")
        paragraph.text = " ".join(caption.text_content().split()) if caption is not None else ""
        paragraph.tail = holder.tail
        holder.getparent().replace(holder, paragraph)


# Class or id words of the page's own chrome. trafilatura leaves these out of an article it
# finds, but on a short page it falls back to the whole page, cookie banner and ads with it.
_CHROME_WORDS = frozenset({"ad", "ads", "advert", "adv", "advertisement", "advertising",
                           "quangcao", "qc", "cookie", "cookies", "consent", "gdpr", "share",
                           "sharing", "social", "popup", "newsletter", "subscribe", "promo"})
_CHROME_MAX_CHARS = 400  # a container of the article itself is never this short


_NEVER_CHROME = frozenset({"html", "body", "main", "article"})


def _chrome_words(element: Any) -> set[str]:
    """The words of an element's class and id; a WordPress post's "tag-social" or
    "category-share" class says what it is about, not that it is chrome."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    return {word for name in names if not name.startswith(("tag-", "category-"))
            for word in re.split(r"[_-]+", name)}


def _drop_chrome(tree: Any) -> None:
    """Remove the short elements a page's own class or id calls chrome (ads, cookie banner,
    share bar), keeping the text that follows each."""
    doomed = []
    for element in tree.iter():
        if (isinstance(element.tag, str) and element.tag not in _NEVER_CHROME
                and _CHROME_WORDS.intersection(_chrome_words(element))
                and len(element.text_content()) < _CHROME_MAX_CHARS):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _lead(tree: Any, text: str) -> str | None:
    """The page's lead paragraph when the article text lacks it: many Vietnamese news pages
    put the sapo (the summary under the headline, repeated in the description metadata) outside
    the article element. Only text shown on the page counts."""
    found = tree.xpath('//meta[@property="og:description"]/@content'
                       ' | //meta[@name="description"]/@content')
    lead = " ".join(nfc(str(found[0])).split()) if found else ""
    if len(lead.split()) < 8 or lead in " ".join(text.split()):
        return None
    shown = any(" ".join(nfc(element.text_content()).split()) == lead
                for element in tree.iter("p", "h2", "div", "span")
                if len(element) <= 3)  # a leaf-like element, not a whole section
    return lead if shown else None


def declared_charset(html: bytes) -> str | None:
    """The charset the page names itself, where a browser looks for one."""
    found = _DECLARED_CHARSET.search(html[:_SNIFF_BYTES])
    return found.group(1).decode("ascii") if found else None


def decoded(html: bytes | str) -> bytes | str:
    """The page as the parser should read it: text in the charset the page declares (read here,
    not by the parser: lxml follows a declaration only before any text, and a `<title>` ahead
    of `<meta charset="utf-8">` garbled the whole page as Latin-1, where a browser looks ahead
    for it); else, or when no codec knows that charset or the bytes are not in it, text when
    the bytes are UTF-8 (a page saved by hand or served without a charset is nearly always
    UTF-8 today, and read as Latin-1 it would be indexed garbled); else the bytes as they are."""
    if isinstance(html, str):
        return html
    charset = declared_charset(html)
    if charset is not None:
        try:
            return html.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a charset no codec knows, or the bytes are not in: as if none were named
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        return html


# Control characters XML forbids (a vertical tab pasted from a word processor, an escape),
# raw or as a character reference: one of them anywhere made the parser give up on the page.
# (A reference may end without its ";" before a non-digit.)
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]|&#(?:0*(?:[1-8]|1[124-9]|2\d|3[01])"
                      r"(?:;|(?!\d))|[xX]0*(?:[1-8bBcCeEfF]|1[\da-fA-F])(?:;|(?![\da-fA-F])))")
_CONTROL_BYTES = re.compile(_CONTROL.pattern.encode("ascii"))


def _parse(html: bytes | str) -> Any:
    import lxml.html
    from lxml.etree import ParserError

    # In bytes only for an ASCII-compatible page: in UTF-16 these bytes are halves of letters.
    if isinstance(html, str):
        html = _CONTROL.sub(" ", html)
    elif not html.startswith((b"\xff\xfe", b"\xfe\xff")):
        html = _CONTROL_BYTES.sub(b" ", html)
    try:
        return lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return None


def _lines(text: str, title: str | None) -> str:
    """One paragraph per line; the headline, which the front matter holds, is not repeated as
    the first line."""
    lines = [" ".join(line.split()) for line in nfc(text).split("\n")]
    lines = [line for line in lines if line]
    if lines and title and lines[0] == " ".join(title.split()):
        lines = lines[1:]
    return "\n".join(lines) + ("\n" if lines else "")


# Below this much text trafilatura may have fallen back to the whole page (its own threshold
# for a found article is a few hundred characters; news articles are longer than this).
SHORT_PAGE_CHARS = 2000


def _extracted(tree: Any, url: str | None, precise: bool) -> Any:
    """trafilatura's reading of a copy of the page (it prunes what it reads); None when it
    finds nothing."""
    import trafilatura

    # Its notes ("discarding data: <url>" for a page with no article) are not for our users:
    # an empty result is reported by qabot itself ("no article text found").
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    document = trafilatura.bare_extraction(
        copy.deepcopy(tree), url=url, with_metadata=True, include_comments=False,
        include_images=False, include_formatting=False, include_links=False,
        include_tables=True, favor_precision=precise,
        # A date only from the page's own metadata or markup, never guessed from its text.
        date_extraction_params={"extensive_search": False, "original_date": True})
    return None if document is None or isinstance(document, dict) else document


def extract_article(html: bytes | str, url: str | None = None) -> Extracted:
    """The article in `html` (bytes are decoded as the page declares); `url`, where it came
    from, is the link when the page names no canonical one. Empty text when there is none."""
    tree = _parse(decoded(html))
    if tree is None and isinstance(html, bytes):  # e.g. an XML declaration lxml refuses in text
        tree = _parse(html)
    if tree is None:
        return Extracted("", ArticleMeta(url=web_url(url)))
    _keep_captions(tree)
    _drop_chrome(tree)
    document = _extracted(tree, url, precise=False)
    if document is None:
        return Extracted("", ArticleMeta(url=web_url(url)))
    if len(getattr(document, "text", None) or "") < SHORT_PAGE_CHARS:
        # On a short page trafilatura falls back to taking the whole page: cookie banner,
        # ads, share bar and all ("QUẢNG CÁO: Vay tiêu dùng lãi suất 0%" was answered as the
        # article's). Its precise mode keeps the article only, when it finds one.
        precise = _extracted(tree, url, precise=True)
        if precise is not None and (getattr(precise, "text", None) or "").strip():
            document = precise

    def value(name: str) -> str | None:
        found = getattr(document, name, None)
        return " ".join(nfc(found).split()) or None if isinstance(found, str) else None

    title = value("title")
    meta = ArticleMeta(title=title, url=web_url(value("url")) or web_url(url),
                       date=value("date"), author=value("author"), site=value("sitename"))
    text = getattr(document, "text", None) or ""
    lead = _lead(tree, text) if text.strip() else None
    return Extracted(_lines(f"{lead}\n{text}" if lead else text, title), meta)
