"""Inline Markdown: a block's text cut into pieces of prose and markup, by their exact spans.

markdown-it-py finds the inline structure; its tokens carry no source
positions, so the parser made here records the span of every token its rules
push. The spans cut the block's source into pieces: prose (TEXT), markup that
never reaches an engine (VOID), and paired markup (OPEN/CLOSE).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll

from ..document import CLOSE, OPEN, TEXT, VOID, Piece, Segment
from .elements import EMPTY, kept_tag
from .escapes import ESCAPE, kept_as_written

#: Private-use character that stands in for masked regions (shortcodes).
MASK = "\ue000"

_PAIRED = {"em_open", "strong_open", "s_open", "link_open"}
_CLOSING = {"em_close", "strong_close", "s_close", "link_close"}


# --------------------------------------------------------------------------
# The parser


def make_parser() -> MarkdownIt:
    """A CommonMark parser with GFM tables, strikethrough, footnotes and
    definition lists, whose inline rules record source spans."""
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin, move_to_end=False)
    md.use(deflist_plugin)
    # Inline content is parsed per segment, with positions, by split_inline().
    md.core.ruler.disable(["inline", "text_join"])
    md.inline.ruler2.disable("fragments_join")
    ruler = md.inline.ruler
    for name, rule in list(zip(ruler.get_active_rules(), ruler.getRules(""))):
        if name not in ("text", "linkify"):
            ruler.at(name, _spanned(name, rule))
    return md


def _spanned(name: str, rule: Callable) -> Callable:
    def wrapped(state, silent: bool) -> bool:
        if silent:
            return rule(state, silent)
        first = len(state.tokens)
        start = state.pos
        if not rule(state, silent):
            return False
        _record(name, state, state.tokens[first:], start, state.pos)
        return True

    return wrapped


def _record(name: str, state, new: list, start: int, end: int) -> None:
    """Give the tokens a rule pushed the source spans they came from."""
    if name in ("newline", "escape"):
        # only hard breaks are markup; a soft break is a space in the prose,
        # and an escaped character is text
        for token in new:
            if token.type == "hardbreak":
                begin = start
                if state.src[start] == "\n":  # "  \n": the spaces are part of it
                    while begin > 0 and state.src[begin - 1] == " ":
                        begin -= 1
                token.meta = {"span": (begin, end)}
        return
    # A rule's first push flushes pending text as a token of its own: skip it.
    tokens = [t for t in new if not (t.type == "text" and "span" not in t.meta and not t.meta.get("own"))]
    if name in ("emphasis", "strikethrough"):
        pos = start
        for token in new:
            if token.type == "text" and "span" not in token.meta and token.content and token.content[0] in "*_~":
                if pos >= end:
                    break
                token.meta = {"span": (pos, pos + len(token.content)), "delim": True}
                pos += len(token.content)
        return
    if not tokens:
        return
    if name == "link":
        opener = next((t for t in tokens if t.type == "link_open" and "span" not in t.meta), None)
        if opener is None:
            return
        saved = state.pos
        label_end = state.md.helpers.parseLinkLabel(state, start, True)
        state.pos = saved
        opener.meta = {"span": (start, start + 1)}
        tokens[-1].meta = {"span": (label_end, end)}
        return
    if name == "image":
        image = tokens[-1]
        label_start = start + 2
        _shift_children(image.children or [], label_start)
        image.meta = {"span": (start, end), "label": (label_start, label_start + len(image.content))}
        return
    if name == "autolink":
        tokens[0].meta = {"span": (start, end), "void": True}
        for token in tokens[1:]:
            token.meta = {"skip": True}
        return
    # code spans, inline HTML, footnote references and the like: one void span.
    tokens[0].meta = {"span": (start, end)}
    for token in tokens[1:]:
        token.meta = {"skip": True}


def _shift_children(tokens: list, offset: int) -> None:
    for token in tokens:
        span = token.meta.get("span") if token.meta else None
        if span:
            token.meta["span"] = (span[0] + offset, span[1] + offset)
        label = token.meta.get("label") if token.meta else None
        if label:
            token.meta["label"] = (label[0] + offset, label[1] + offset)
        if token.children:
            _shift_children(token.children, offset)


# --------------------------------------------------------------------------
# Splitting a block's inline content into pieces


@dataclass
class InlineText:
    """A block's inline content and where each of its characters is in the file."""

    content: str
    #: The file text the spans index into.
    text: str
    #: Start of each content line, in content coordinates and in file coordinates.
    content_starts: list[int]
    file_starts: list[int]

    def at(self, pos: int) -> int:
        """The file offset of content offset ``pos``."""
        i = bisect.bisect_right(self.content_starts, pos) - 1
        line_start = self.content_starts[i]
        line_end = self.content_starts[i + 1] - 1 if i + 1 < len(self.content_starts) else len(self.content)
        if pos > line_end:  # the newline itself: the end of that line in the file
            pos = line_end
        return self.file_starts[i] + (pos - line_start)

    def slice(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        last = end - 1
        # A span that ends on a newline includes the whole line break in the file.
        if self.content[last] == "\n":
            return self.text[self.at(start) : self.at(end)] if end < len(self.content) else self.text[self.at(start) :]
        return self.text[self.at(start) : self.at(last) + 1]


@dataclass
class Protect:
    """What text must never reach an engine, beyond Markdown's own markup."""

    pattern: re.Pattern[str]
    #: Builds the VOID piece for a masked region (shortcodes), by file span.
    masked: Callable[[int, int, str], Piece] | None = None


#: A bare URL as GitHub's autolinks read one: parentheses inside it (``wiki/Foo_(bar)``),
#: never an unbalanced one or punctuation at its end (``(see www.x.org).``); and an
#: e-mail address, whose last character is no ``-`` or ``_``.
_URL = (r"(?<![\\\w])(?:(?:https?|ftp)://|www\.)(?:[^\s<>()\[\]]|\([^\s<>()\[\]]{0,200}\))*"
        r"(?:[^\s<>()\[\].,;:!?'\"*_~]|\([^\s<>()\[\]]{0,200}\))"
        r"|(?<![\\\w.+-])[A-Za-z0-9._+-]+@(?:[A-Za-z0-9_-]+\.)+[A-Za-z0-9_-]*[A-Za-z0-9](?![\w@-])")
_ATTRS = r"(?<!\\)\{[#.:][^{}\n]*\}"
_MATH = r"\$\$[^$]+?\$\$|(?<![\w$\\])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\w$])"
_ALERT = r"(?<!\\)\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][+-]?"
_TASK = r"^\[[ xX]\](?= )"
#: An emoji code (``:tada:``, ``:heavy_check_mark:``): Hugo (``enableEmoji``) and
#: GitHub show it as the emoji; translated, it is shown as the words.
_EMOJI = r"(?<![\\\w:]):[a-z0-9_+-]*[a-z][a-z0-9_+-]*:(?![\w:])"
#: A bare URL, protected text that is a name to an engine.
URL = re.compile(_URL)
EMOJI = re.compile(_EMOJI)


#: Python-Markdown's attribute lists, spaced as attr_list allows: ``{ .md-button }``, ``{ target="_blank" }``.
_ATTR_LIST = (r"""(?<!\\)\{:?[ \t]*(?:[#.][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}]+))"""
              r"""(?:[ \t]+(?:[#.][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}]+)))*[ \t]*\}""")


def protect_pattern(terms: Sequence[str] = (), math: bool = True, attr_lists: bool = False) -> re.Pattern[str]:
    parts = ["<" + MASK + "+>", MASK + "+(?:\n[ \t>]*" + MASK + "+)*", _URL, _ATTRS, _ALERT, _TASK, _EMOJI]
    if attr_lists:
        parts.append(_ATTR_LIST)
    if math:
        parts.append(_MATH)
    if terms:
        words = sorted({t for t in terms if t}, key=len, reverse=True)
        parts.append(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    return re.compile("|".join(f"(?:{p})" for p in parts))


def split_inline(md: MarkdownIt, env: dict, src: InlineText, protect: Protect) -> list[Piece]:
    """Cut inline content into pieces whose sources join to the block's source."""
    tokens: list = []
    md.inline.parse(src.content, md, env, tokens)
    marks: list[tuple[int, int, str, str]] = []  # (start, end, kind, markup)
    _collect(tokens, marks, src.content)
    marks.sort(key=lambda m: (m[0], m[1]))
    pieces: list[Piece] = []
    pos = 0
    stack: list[int] = []
    counter = 0
    opener_end: dict[int, int] = {}
    for start, end, kind, markup in marks:
        if start < pos:  # overlapping spans never happen in valid output; keep it safe
            continue
        if start > pos:
            _text_pieces(src, pos, start, protect, pieces)
        piece = Piece(kind, src.slice(start, end), markup=markup)
        if markup == "entity":
            piece.text = html.unescape(piece.src)
        if kind == OPEN:
            counter += 1
            piece.pair = counter
            stack.append(counter)
        elif kind == CLOSE:
            piece.pair = stack.pop() if stack else 0
        if kind == CLOSE and piece.src in ("]", "][]") and markup in ("link", "image"):
            # [text] and [text][]: the text is the reference label, which a
            # translation must keep: remembered here, written out as [new][label]
            piece.text = " ".join(src.content[opener_end[piece.pair] : start].split())
        if kind == OPEN:
            opener_end[counter] = end
        pieces.append(piece)
        pos = end
    if pos < len(src.content):
        _text_pieces(src, pos, len(src.content), protect, pieces)
    _pair_html(pieces, counter)
    return pieces


_HTML_OPEN = re.compile(r"<([A-Za-z][\w-]*)(?:\s[^<>]*)?>\Z", re.DOTALL)
_HTML_CLOSE = re.compile(r"</([A-Za-z][\w-]*)\s*>\Z")


def _pair_html(pieces: list[Piece], counter: int) -> None:
    """An inline HTML element's opening and closing tags (``<b>…</b>``) as paired
    markup around its words, where Markdown's own pairs between them balance; an
    element whose content stays as written (``<kbd>Ctrl</kbd>``, ``translate="no"``)
    as one piece of markup, shown to an engine as a name, like inline code."""
    stack: list[tuple[int, str, int]] = []  # (piece index, tag name, depth of Markdown pairs)
    kept: list[tuple[int, int]] = []
    depth = 0
    for i, piece in enumerate(pieces):
        if piece.kind == OPEN:
            depth += 1
        elif piece.kind == CLOSE:
            depth -= 1
        elif piece.kind == VOID and piece.markup == "html_inline":
            opening, closing = _HTML_OPEN.match(piece.src), _HTML_CLOSE.match(piece.src)
            if opening and opening.group(1).lower() not in EMPTY and not piece.src.endswith("/>"):
                stack.append((i, opening.group(1).lower(), depth))
            elif closing:
                name = closing.group(1).lower()
                while stack and stack[-1][1] != name:
                    stack.pop()  # an element left open: its tag stays where it is
                if stack and stack[-1][2] == depth:
                    j, _name, _depth = stack.pop()
                    counter += 1
                    pieces[j].kind, pieces[j].markup, pieces[j].pair = OPEN, "html", counter
                    piece.kind, piece.markup, piece.pair = CLOSE, "html", counter
                    if kept_tag(pieces[j].src) and not any(a <= j and i <= b for a, b in kept):
                        kept = [(a, b) for a, b in kept if not (j <= a and b <= i)] + [(j, i)]
                elif stack:
                    stack.pop()
    for j, i in sorted(kept, reverse=True):
        inner = "".join(p.src for p in pieces[j + 1 : i])
        pieces[j : i + 1] = [Piece(VOID, "".join(p.src for p in pieces[j : i + 1]), markup="html_code",
                                   text=html.unescape(inner))]


def _collect(tokens: list, marks: list, content: str) -> None:
    glue: tuple[int, int] | None = None
    for token in tokens:
        meta = token.meta
        if not meta or meta.get("skip"):
            continue
        span = meta.get("span")
        if span is None:
            continue
        kind_type = token.type
        if kind_type == "text":
            if meta.get("delim") and not token.content:
                # the second character of a '**' pair: glued to its neighbour
                if marks and marks[-1][2] == CLOSE and marks[-1][1] == span[0]:
                    s, _e, k, m = marks[-1]
                    marks[-1] = (s, span[1], k, m)
                else:
                    glue = span
            continue
        start, end = span
        if glue is not None and glue[1] == start:
            start = glue[0]
        glue = None
        if kind_type == "text_special" and token.info == "entity":
            # an entity for a letter of its word (caf&eacute;) is part of it; the others
            # (&nbsp; &mdash; &copy; &amp;, &AElig; alone...) are markup, kept as written
            if kept_as_written(content, start, end, token.content):
                marks.append((start, end, VOID, "entity"))
            continue
        if meta.get("void"):
            marks.append((start, end, VOID, "autolink"))
        elif kind_type in _PAIRED:
            marks.append((start, end, OPEN, kind_type[:-5]))
        elif kind_type in _CLOSING:
            marks.append((start, end, CLOSE, kind_type[:-6]))
        elif kind_type == "image":
            label = meta["label"]
            marks.append((start, label[0], OPEN, "image"))
            _collect(token.children or [], marks, content)
            marks.append((label[1], end, CLOSE, "image"))
        else:
            marks.append((start, end, VOID, kind_type))


_SPACE = re.compile(r"[ \t\n]+")
_NEWLINE = re.compile("\n")


_ALERT_START = re.compile(_ALERT)


def _text_pieces(src: InlineText, start: int, end: int, protect: Protect, out: list[Piece]) -> None:
    content = src.content
    pos = start
    spans = [(m.start(), m.end()) for m in protect.pattern.finditer(content, start, end)]
    if start == 0 and _ALERT_START.match(content):
        # "> [!NOTE] Title": the first line of an alert is its title; keep that line break
        newline = content.find("\n")
        if 0 < newline < end:
            spans = sorted([s for s in spans if not s[0] <= newline < s[1]] + [(newline, newline + 1)])
    for a, b in spans:
        if content[a] == "[" and content[a + 1 : a + 2] in (" ", "x", "X") and a != 0:
            continue  # a task marker only counts at the start of an item
        if a > pos:
            _escaped(src, pos, a, out)
        text = src.slice(a, b)
        if content[a] == MASK and protect.masked is not None:
            out.append(protect.masked(src.at(a), src.at(b), text))
        else:
            out.append(Piece(VOID, text, markup="protected"))
        pos = b
    if pos < end:
        _escaped(src, pos, end, out)


def _escaped(src: InlineText, start: int, end: int, out: list[Piece]) -> None:
    """Prose with its backslash escapes as markup of their own, kept as written: an
    escaped character stays literal in a translation, whatever comes after it there
    (``\\<br/>`` stays no tag, ``\\#`` no heading, ``\\&ouml;`` no entity)."""
    pos = start
    for m in ESCAPE.finditer(src.content, start, end):
        if m.start() > pos:
            _prose(src, pos, m.start(), out)
        out.append(Piece(VOID, src.slice(m.start(), m.end()), text=m.group(0)[1], markup="escape"))
        pos = m.end()
    if pos < end:
        _prose(src, pos, end, out)


def trimmed(content: str, start: int, end: int, blank: str = " \t\n") -> tuple[int, int]:
    """content[start:end] without the ``blank`` characters at its edges, as a range."""
    a, b = start, end
    while a < b and content[a] in blank:
        a += 1
    while b > a and content[b - 1] in blank:
        b -= 1
    return a, b


def _prose(src: InlineText, start: int, end: int, out: list[Piece]) -> None:
    """TEXT pieces for content[start:end], edge whitespace in pieces of its own."""
    content = src.content
    a, b = trimmed(content, start, end)
    for s, e in ((start, a), (a, b), (b, end)):
        if s >= e:
            continue
        raw = content[s:e]
        joints: tuple[str, ...] = ()
        if "\n" in raw:
            joints = tuple(src.slice(s + m.start(), s + m.start() + 1) for m in _NEWLINE.finditer(raw))
        if s != a or e != b:
            text, breaks = " ", (0,) if joints else ()
        else:
            text, breaks = _collapse(unescapeAll(raw) if "\\" in raw or "&" in raw else raw)
        out.append(Piece(TEXT, src.slice(s, e), text=text, joints=joints, breaks=breaks))


def _collapse(text: str) -> tuple[str, tuple[int, ...]]:
    """Whitespace runs as one space, and where the runs that held a line break went."""
    if "\n" not in text and "  " not in text and "\t" not in text:
        return text, ()
    out: list[str] = []
    breaks: list[int] = []
    size = pos = 0
    for m in _SPACE.finditer(text):
        out.append(text[pos : m.start()])
        size += m.start() - pos
        if "\n" in m.group(0):
            breaks.append(size)
        out.append(" ")
        size += 1
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), tuple(breaks)


def plain_pieces(value: str, pattern: re.Pattern[str]) -> list[Piece]:
    """TEXT and VOID pieces of a plain-text value (front matter, parameters)."""
    out: list[Piece] = []
    pos = 0
    for m in pattern.finditer(value):
        if m.start() > pos:
            _plain_text(value[pos : m.start()], out)
        out.append(Piece(VOID, m.group(0), markup="protected"))
        pos = m.end()
    if pos < len(value) or not out:
        _plain_text(value[pos:], out)
    return out


def _plain_text(text: str, out: list[Piece]) -> None:
    """TEXT pieces with the edge whitespace in pieces of its own, as in _prose()."""
    core = text.strip()
    if not core:
        out.append(Piece(TEXT, text, text=text))
        return
    start = text.index(core)
    for part in (text[:start], core, text[start + len(core) :]):
        if part:
            out.append(Piece(TEXT, part, text=part))


_HAS_WORD = re.compile(r"[^\W\d_]")


def has_word(text: str) -> bool:
    """Whether a text holds a word (a letter of any script): what an engine is for."""
    return _HAS_WORD.search(text) is not None


def wordy(piece: Piece) -> bool:
    """Whether a piece is prose with a word in it."""
    return piece.kind == TEXT and has_word(piece.text)


def needs_engine(segment: Segment) -> bool:
    return any(wordy(p) for p in segment.pieces)
