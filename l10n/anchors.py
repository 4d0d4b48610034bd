"""Heading ids as site generators make them: Hugo's ``anchorize``, Docusaurus's github-slugger, Python-Markdown's toc; de-duplication; how a page states one.

Hugo gives every heading an id made from the raw Markdown of its last line
(``## The `foo` option`` is ``the-foo-option``), by the rules of the site's
``markup.goldmark.parser.autoHeadingIDType`` (github, github-ascii or
blackfriday); links to a heading use it (``[see](#the-foo-option)``). A
translated heading gets another id, so l10n writes the source's one as an
attribute (``## La opción `foo` {#the-foo-option}``). Ported from Hugo 0.111
(markup/goldmark/autoid.go) and Goldmark v1.5 (parser/atx_heading.go,
parser/attribute.go), and tested against the real ``hugo``; other versions
may differ (0.111 trims the text and drops tabs, later ones map a tab to ``-``).

Docusaurus slugs a heading's text with github-slugger (its characters kept
by Unicode category, as its generated regex does; ``-1``, ``-2`` for repeats)
and reads an id stated as ``{#id}`` or, in MDX, ``{/* #id */}``; MkDocs uses
Python-Markdown's toc ``slugify`` (ASCII only; ``_1``, ``_2`` for repeats) and
attr_list's ``{ #id }``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence
from urllib.parse import unquote

__all__ = [
    "KINDS",
    "Heading",
    "HeadingIds",
    "add_id",
    "anchorize",
    "href_fragment",
    "page_ids",
    "parse_atx_heading",
    "parse_attributes",
    "parse_setext_heading",
    "split_attributes",
]

#: Values of markup.goldmark.parser.autoHeadingIDType.
KINDS = ("github", "github-ascii", "blackfriday")
#: Every way of making ids l10n knows: Hugo's, Docusaurus's, MkDocs's.
ALL_KINDS = (*KINDS, "github-slugger", "python-markdown")

# Go's unicode.IsSpace (used by bytes.TrimSpace); Python's str.strip() also strips \x1c-\x1f.
_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# goldmark's util.IsSpace: ASCII whitespace only.
_MD_SPACE = frozenset(" \t\n\v\f\r")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ID_PUNCT_OK = frozenset("_-:.")
_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]*)?")


def _go_lower(ch: str) -> str:
    # Go's unicode.ToLower is the simple 1:1 mapping; Python's only 1:n lowercase is U+0130.
    low = ch.lower()
    return low if len(low) == 1 else ("i" if ch == "\u0130" else ch)


def _go_trim_space(s: str) -> str:
    start, end = 0, len(s)
    while start < end and s[start] in _GO_SPACE:
        start += 1
    while end > start and s[end - 1] in _GO_SPACE:
        end -= 1
    return s[start:end]


def _remove_accents(s: str) -> str:
    # Hugo's text.RemoveAccents: NFD, drop nonspacing marks (Mn), NFC.
    decomposed = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def anchorize(text: str, kind: str = "github") -> str:
    """Hugo's sanitizeAnchorName (markup/goldmark/autoid.go), i.e. the `anchorize` template function.

    No "heading" fallback and no de-duplication: see HeadingIds for heading ids.
    ``github-slugger`` and ``python-markdown`` read the heading's text, its
    Markdown left out, as Docusaurus and Python-Markdown see it.
    """
    if kind == "github-slugger":
        return "".join(c for c in plain_text(text).lower() if _slugger_keeps(c)).replace(" ", "-")
    if kind == "python-markdown":
        value = unicodedata.normalize("NFKD", plain_text(text)).encode("ascii", "ignore").decode("ascii")
        value = re.sub(r"[^\w\s-]", "", value).strip().lower()
        return re.sub(r"[-\s]+", "-", value)
    if kind == "blackfriday":
        # markup/blackfriday/anchors.go: runs of anything but letters/numbers become one '-'.
        out: list[str] = []
        dash = False
        for ch in text:
            if unicodedata.category(ch)[0] in "LN":
                if dash and out:
                    out.append("-")
                dash = False
                out.append(_go_lower(ch))
            else:
                dash = True
        return "".join(out)
    if kind not in ("github", "github-ascii"):
        raise ValueError(f"unknown autoHeadingIDType {kind!r}, expected one of {KINDS}")
    ascii_only = kind == "github-ascii"
    if ascii_only:
        text = _remove_accents(text)  # "Résumé" -> "resume" rather than "rsum"
    out = []
    for ch in _go_trim_space(text):
        if ascii_only and ord(ch) > 0x7F:
            continue
        if ch in "- ":  # only U+0020 counts: a tab or NBSP inside a heading is dropped
            out.append("-")
        elif ch == "_" or unicodedata.category(ch)[0] == "L" or unicodedata.category(ch) == "Nd":
            out.append(_go_lower(ch))
    return "".join(out)


def _slugger_keeps(c: str) -> bool:
    """github-slugger's regex, by the Unicode categories it was generated from:
    letters, marks, decimal and letter numbers, connector punctuation, ``-``, space
    (and the circled letters, which are symbols that read as letters)."""
    cat = unicodedata.category(c)
    return cat[0] in "LM" or cat in ("Nd", "Nl", "Pc") or c in "- " or "\u24b6" <= c <= "\u24e9"


_EXPRESSION = re.compile(r"\{/\*.*?\*/\}|\{[^{}]*\}")  # MDX comments and expressions
_inline = None


def plain_text(text: str) -> str:
    """A heading's raw Markdown as the text its generator slugs: the words of its
    text, code and image alt text; markup, tags and MDX expressions left out."""
    global _inline
    if _inline is None:
        from markdown_it import MarkdownIt

        _inline = MarkdownIt("commonmark")
    out: list[str] = []

    def walk(tokens) -> None:
        for token in tokens:
            if token.type in ("text", "text_special", "code_inline"):
                out.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif token.children:
                walk(token.children)

    walk(_inline.parseInline(_EXPRESSION.sub("", text))[0].children or [])
    return "".join(out).strip()


#: An id a heading states at its end: ``{/* #id */}`` (MDX), ``<a id="id"></a>`` (an empty anchor).
_STATED = re.compile(r"\s*(?:\{/\*\s*#(\S+?)\s*\*/\}|<a id=\"([^\"<>]*)\"></a>)\s*$")


def mdx_heading(heading: Heading) -> Heading | None:
    """A heading whose last line ends with ``{/* #id */}`` or an empty ``<a id>``: its id,
    the comment or anchor left out of its text."""
    if not heading.lines:
        return heading
    m = _STATED.search(heading.lines[-1])
    if m is None:
        return heading
    import html as _html

    anchor = m.group(1) if m.group(1) is not None else _html.unescape(m.group(2))
    return Heading(heading.level, heading.lines[:-1] + (heading.lines[-1][: m.start()],), (("id", anchor),))


class HeadingIds:
    """One page's ids, as Hugo's idFactory hands them out while Goldmark parses the page.

    Call in document order. An explicit id is taken verbatim (even if it duplicates an earlier id)
    and reserved; an automatic id gets "-1", "-2", ... appended until unused, "heading" if empty.
    """

    def __init__(self, kind: str = "github") -> None:
        if kind not in ALL_KINDS:
            raise ValueError(f"unknown autoHeadingIDType {kind!r}, expected one of {KINDS}")
        self.kind = kind
        self.used: set[str] = set()

    def next_id(self, text: str) -> str:
        """The id a heading of this text would get next (nothing is taken)."""
        base = anchorize(text, self.kind) or ("heading" if self.kind in KINDS else "")
        separator = "_" if self.kind == "python-markdown" else "-"
        candidate, n = base, 0
        while candidate in self.used or (not candidate and self.kind == "python-markdown"):
            n += 1
            candidate = f"{base}{separator}{n}"
        return candidate

    def auto(self, text: str) -> str:
        candidate = self.next_id(text)
        self.used.add(candidate)
        return candidate

    def explicit(self, anchor: str) -> str:
        self.used.add(anchor)
        return anchor

    def add(self, heading: Heading) -> str:
        return self.explicit(heading.id) if heading.id is not None else self.auto(heading.id_text)


def page_ids(headings: Iterable[Heading], kind: str = "github") -> list[str]:
    """The id Hugo gives each heading of a page (headings in document order)."""
    ids = HeadingIds(kind)
    return [ids.add(h) for h in headings]


@dataclass(frozen=True)
class Heading:
    """A heading as Goldmark sees it: raw Markdown lines (attribute block removed) and attributes."""

    level: int
    lines: tuple[str, ...]
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def id_text(self) -> str:
        # Goldmark anchorizes the raw source of the LAST line only (setext headings can have several).
        return self.lines[-1] if self.lines else ""

    @property
    def id(self) -> str | None:
        """The explicit id, if an attribute block gives one (the last one wins)."""
        found = None
        for name, value in self.attributes:
            if name == "id":
                found = value
        return found


# ---- Goldmark v1 attribute syntax (parser/attribute.go) ----


class _Reader:
    __slots__ = ("s", "i")

    def __init__(self, s: str, i: int = 0) -> None:
        self.s, self.i = s, i

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def skip_spaces(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in _MD_SPACE:
            self.i += 1


def _name_char(c: str, first: bool) -> bool:
    return c.isascii() and (c.isalpha() or c in "_:" or (not first and (c.isdigit() or c in ".-")))


def _parse_attrs(r: _Reader) -> list[tuple[str, str]] | None:
    saved = r.i
    r.skip_spaces()
    if r.peek() != "{":
        r.i = saved
        return None
    r.i += 1
    attrs: list[tuple[str, str]] = []
    while True:
        if r.peek() == "}":
            r.i += 1
            return attrs
        attr = _parse_attr(r)
        if attr is None:
            r.i = saved
            return None
        if attr[0] == "class":
            for k, (name, value) in enumerate(attrs):
                if name == "class":  # repeated classes are merged
                    attrs[k] = ("class", f"{value} {attr[1]}")
                    break
            else:
                attrs.append(attr)
        else:
            attrs.append(attr)
        r.skip_spaces()
        if r.peek() == ",":
            r.i += 1
            r.skip_spaces()


def _parse_attr(r: _Reader) -> tuple[str, str] | None:
    r.skip_spaces()
    c = r.peek()
    if c in ("#", "."):
        # "#id"/".class": stops at whitespace or ASCII punctuation other than _ - : .
        r.i += 1
        start = r.i
        while r.i < len(r.s) and r.s[r.i] not in _MD_SPACE and (r.s[r.i] not in _PUNCT or r.s[r.i] in _ID_PUNCT_OK):
            r.i += 1
        return ("id" if c == "#" else "class", r.s[start : r.i])
    if not c or not _name_char(c, True):
        return None
    start = r.i
    while r.i < len(r.s) and _name_char(r.s[r.i], False):
        r.i += 1
    name = r.s[start : r.i]
    r.skip_spaces()
    if r.peek() != "=":
        return None
    r.i += 1
    value = _parse_value(r)
    if value is None or (name == "class" and not isinstance(value, str)):
        return None
    return (name, value if isinstance(value, str) else _value_str(value))


def _value_str(value: object) -> str:
    # How Goldmark's HTML renderer prints non-string values (arrays render as "").
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    return ""


def _parse_value(r: _Reader) -> object | None:
    r.skip_spaces()
    c = r.peek()
    if not c:
        return None
    if c == "{":
        return () if _parse_attrs(r) is not None else None
    if c == "[":
        r.i += 1
        first = True
        while True:
            c = r.peek()
            comma = False
            if not first and c == ",":
                r.i += 1
                comma = True
            if c == "]":
                if comma:
                    return None
                r.i += 1
                return []
            r.skip_spaces()
            if _parse_value(r) is None:
                return None
            r.skip_spaces()
            first = False
    if c == '"':
        out: list[str] = []
        i, s = r.i + 1, r.s
        escapes = {'"': '"', "/": "/", "\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
        while i < len(s):
            ch = s[i]
            if ch == "\\" and i != len(s) - 1:
                if s[i + 1] in escapes:
                    out.append(escapes[s[i + 1]])
                    i += 2
                else:
                    out.append("\\")
                    i += 1
                continue
            if ch == '"':
                r.i = i + 1
                return "".join(out)
            out.append(ch)
            i += 1
        return None
    if c in "-+" or c.isascii() and c.isdigit():
        m = _NUMBER.match(r.s, r.i)
        if m is None:
            return None  # a sign without digits
        r.i = m.end()
        try:
            return float(m.group(0))
        except ValueError:  # "1e" is scanned but Go's ParseFloat rejects it too
            return None
    if not _name_char(c, True):
        return None
    start = r.i
    while r.i < len(r.s) and _name_char(r.s[r.i], False):
        r.i += 1
    word = r.s[start : r.i]
    return {"true": True, "false": False, "null": ""}.get(word, word)


def parse_attributes(text: str) -> list[tuple[str, str]] | None:
    """Parse a whole `{#id .class key="v"}` block (Goldmark's ParseAttributes); None if invalid."""
    r = _Reader(text)
    attrs = _parse_attrs(r)
    return attrs if attrs is not None and all(c in _MD_SPACE for c in text[r.i :]) else None


def split_attributes(line: str) -> tuple[str, list[tuple[str, str]] | None]:
    """Goldmark's parseLastLineAttributes: (line without its trailing attribute block, attributes).

    Only the LAST "{" of the line is tried, and the block must end the line; "\\{" is escaped.
    """
    attrs: list[tuple[str, str]] | None = None
    start = end = 0
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            i += 2 if line[i + 1 : i + 2] == "{" else 1
            continue
        if c == "{":
            r = _Reader(line, i)
            attrs = _parse_attrs(r)
            start, end = i, r.i
        i += 1
    if attrs is not None and all(c in _MD_SPACE for c in line[end:]):
        return line[:start], attrs
    return line, None


# ---- Goldmark v1 headings (parser/atx_heading.go, parser/setext_headings.go) ----


def parse_atx_heading(line: str) -> Heading | None:
    """Parse one ATX heading line (container markers such as "> " or "- " already removed).

    Returns None if the line is not an ATX heading. Mirrors goldmark v1.5 with attributes on.
    """
    line = line.rstrip("\r\n") + "\n"  # Goldmark's lines keep their newline
    col = pos = 0
    while pos < len(line) and line[pos] in " \t":
        col = col + 4 - col % 4 if line[pos] == "\t" else col + 1
        pos += 1
    if col > 3:
        return None  # indented code
    i = pos
    while i < len(line) and line[i] == "#":
        i += 1
    level = i - pos
    if level == 0 or level > 6:
        return None
    n = 0
    while i + n < len(line) and line[i + n] in _MD_SPACE:
        n += 1
    if n == 0:
        return None  # "#foo"
    start = min(i + n, len(line) - 1)
    stop = len(line)
    while stop > 0 and line[stop - 1] in _MD_SPACE:
        stop -= 1

    # Special case "## Heading ## {#id}": the first unescaped " #" run, then an attribute block.
    j = start - 1
    while j < stop:
        if line[j] == "\\" and j + 1 < len(line) and line[j + 1] in _PUNCT:
            j += 2
        elif line[j] in _MD_SPACE and j < stop - 1 and line[j + 1] == "#":
            close = j + 1
            while close < stop and line[close] == "#":
                close += 1
            r = _Reader(line, close)
            attrs = _parse_attrs(r)
            if attrs is not None and all(c in _MD_SPACE for c in line[r.i :]):
                return Heading(level, (line[start : j + 1],), tuple(attrs))
            break
        else:
            j += 1

    # Normal case: drop a closing "#" run preceded by a space, then a trailing attribute block.
    if stop <= start:
        stop = start
    else:
        k = stop - 1
        while line[k] == "#" and k >= start:
            k -= 1
        if k != stop - 1 and line[k] not in _MD_SPACE:
            k = stop - 1
        stop = k + 1
    text = line[start:stop]
    if not text.rstrip("#"):
        return Heading(level, ())  # empty heading such as "## ###"
    text, attrs = split_attributes(text)
    return Heading(level, (text,), tuple(attrs or ()))


def parse_setext_heading(lines: Sequence[str], level: int = 1) -> Heading:
    """A setext heading from its text lines (without the ===/--- underline and container markers)."""
    body = [ln.rstrip("\r\n") for ln in lines]
    if not body:
        return Heading(level, ())
    last, attrs = split_attributes(body[-1])
    return Heading(level, tuple(body[:-1]) + (last,), tuple(attrs or ()))


# ---- writing and checking anchors ----


def add_id(content: str, anchor: str, syntax: str = "attr") -> str:
    """Give heading content (the part after "## ", no closing "#"s) the explicit id `anchor`.

    Merges into a trailing attribute block that has no id (`Foo {.c}` -> `Foo {#x .c}`); content
    whose block already has an id is returned unchanged. ``syntax`` "mdx-comment":
    Docusaurus's ``{/* #x */}``, which MDX compiles (a ``{#x}`` is an expression there).
    """
    if syntax == "mdx-comment":
        return content.rstrip(" \t") + " {/* #" + anchor + " */}"
    if syntax == "html-anchor":  # no syntax states an id (Starlight): an empty anchor holds it
        return content.rstrip(" \t") + ' <a id="' + anchor.replace("&", "&amp;").replace('"', "&quot;") + '"></a>'

    ok_hash = anchor != "" and all(c not in _MD_SPACE and (c not in _PUNCT or c in _ID_PUNCT_OK) for c in anchor)
    if ok_hash:
        attr = "#" + anchor
    else:  # the "#id" shorthand cannot hold it: use a quoted value
        attr = 'id="' + anchor.replace("\\", "\\\\").replace('"', '\\"') + '"'
    stripped = content.rstrip(" \t")
    body, attrs = split_attributes(stripped)
    if attrs is None:
        return f"{stripped} {{{attr}}}"
    if any(name == "id" for name, _ in attrs):
        return content
    rest = stripped[len(body) + 1 :].lstrip(" \t")  # what followed the "{"
    return f"{body}{{{attr} {rest}"


def href_fragment(href: str) -> str | None:
    """The fragment of a rendered href, percent-decoded (Goldmark escapes "#Café" to "#Caf%C3%A9")."""
    if "#" not in href:
        return None
    return unquote(href.split("#", 1)[1])
