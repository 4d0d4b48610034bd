"""HTML blocks: the prose in raw HTML as segments, every tag and attribute as written.

The standard library's :class:`html.parser.HTMLParser` reads the block; each
event's source is the text from its start to the next event's, so the pieces
join to the block exactly. Text is cut into segments at block-level elements
(``p``, ``li``, ``td``, ``div``...); inline elements inside (``b``, ``a``,
``span``...) are paired markup around their words, as inline HTML is in
Markdown; entities are markup kept as written. The attributes people read
(``alt``, ``title``, ``aria-label``, ``placeholder``) are segments of their own.
``script``, ``style``, ``pre``, ``code``, comments and elements marked
``translate="no"`` or ``class="notranslate"`` are never translated.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Callable, Sequence

from ..document import CLOSE, OPEN, TEXT, VOID, Part, Piece, Segment
from .elements import ATTRIBUTE, CODE, EMPTY, INLINE, NEVER, kept
from .escapes import kept_as_written, value_pieces
from .inline import MASK, InlineText, Protect, trimmed

#: Attributes whose values people read, translated by default.
DEFAULT_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
_SPACE = re.compile(r"[ \t\r\n\f]+")
_HAS_WORD = re.compile(r"[^\W\d_]")


class _Events(HTMLParser):
    """The block's events, each with the offset where it starts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._starts = starts
        self.events: list[list] = []  # [start, kind, name, attrs]
        self.feed(text)
        self.close()

    def _at(self) -> int:
        line, col = self.getpos()
        return self._starts[line - 1] + col

    def _add(self, kind: str, name: str = "", attrs: Sequence = ()) -> None:
        self.events.append([self._at(), kind, name, dict((k, v or "") for k, v in attrs)])

    def handle_starttag(self, tag, attrs):
        self._add("start", tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._add("empty", tag, attrs)

    def handle_endtag(self, tag):
        self._add("end", tag)

    def handle_data(self, data):
        self._add("data")

    def handle_entityref(self, name):
        self._add("entity")

    def handle_charref(self, name):
        self._add("entity")

    def handle_comment(self, data):
        self._add("other")

    def handle_decl(self, decl):
        self._add("other")

    def handle_pi(self, data):
        self._add("other")

    def unknown_decl(self, data):
        self._add("other")


class _Event:
    __slots__ = ("start", "end", "kind", "name", "attrs", "match")

    def __init__(self, start, end, kind, name, attrs):
        self.start, self.end, self.kind, self.name, self.attrs = start, end, kind, name, attrs
        self.match: int | None = None  # a start tag's end tag, by event index


def events_of(content: str) -> list[_Event]:
    """The parser's events over ``content``, each with its exact span."""
    found = _Events(content).events
    out: list[_Event] = []
    for i, (start, kind, name, attrs) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(content)
        if end <= start:
            continue
        if kind == "data" and out and out[-1].kind == "data" and out[-1].end == start:
            out[-1].end = end  # the parser hands text over in chunks
            continue
        out.append(_Event(start, end, kind, name, attrs))
    if out and out[-1].end < len(content):
        out.append(_Event(out[-1].end, len(content), "data", "", {}))
    elif not out and content:
        out.append(_Event(0, len(content), "data", "", {}))
    out = _unfinished(out, content)
    stack: list[int] = []
    for i, ev in enumerate(out):
        if ev.kind == "start" and ev.name not in EMPTY:
            stack.append(i)
        elif ev.kind == "end":
            for k in range(len(stack) - 1, -1, -1):
                if out[stack[k]].name == ev.name:
                    out[stack[k]].match = i
                    del stack[k:]
                    break
    return out


_UNFINISHED = re.compile(r"<[A-Za-z/!?]")


def _unfinished(events: list[_Event], content: str) -> list[_Event]:
    """A tag, comment or declaration the block never finishes (``<div id="foo"`` at its
    end: a block of the spec's kinds 6 and 7) runs to the block's end, as the parser
    would have read on: it is markup, not text. The parser gives it as text."""
    cdata = ""
    for i, ev in enumerate(events):
        if ev.kind == "start" and ev.name in ("script", "style"):
            cdata = ev.name  # their content is the parser's raw text: a "<" there is no tag
        elif ev.kind == "end" and ev.name == cdata:
            cdata = ""
        elif ev.kind == "data" and not cdata:
            m = _UNFINISHED.search(content, ev.start, ev.end)
            if m is not None:
                kept = events[:i] + ([_Event(ev.start, m.start(), "data", "", {})] if m.start() > ev.start else [])
                return kept + [_Event(m.start(), len(content), "other", "", {})]
    return events


class _Builder:
    """Turns a block's events into parts: source text, and segments of its prose."""

    def __init__(self, src: InlineText, protect: Protect, attributes: Sequence[str], line_of: Callable[[int], int],
                 plain: Callable[[str], list[Piece]]) -> None:
        self.src = src
        self.protect = protect
        self.attributes = set(attributes)
        self.line_of = line_of
        self.plain = plain
        self.parts: list[Part] = []
        self.run: list[Piece] = []
        #: where each piece of the run starts, by id
        self.starts: dict[int, int] = {}
        self.counter = 0

    # -- parts ---------------------------------------------------------------

    def literal(self, start: int, end: int) -> None:
        self.flush()
        text = self.src.slice(start, end)
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += text
        elif text:
            self.parts.append(text)

    def tag(self, ev: _Event, inline: bool) -> None:
        """A tag, with its readable attributes as segments: a literal, or a piece of the run."""
        raw = self.src.slice(ev.start, ev.end)
        parts = self._attributes(ev, raw)
        if not inline:
            self.flush()
            for part in parts:
                if isinstance(part, str) and self.parts and isinstance(self.parts[-1], str):
                    self.parts[-1] += part
                else:
                    self.parts.append(part)
            return
        piece = Piece(VOID, raw, markup="html_inline", parts=parts if any(isinstance(p, Segment) for p in parts) else None)
        self._add(piece, ev.start)

    def _attributes(self, ev: _Event, raw: str) -> list[Part]:
        if ev.kind not in ("start", "empty") or not self.attributes & set(ev.attrs):
            return [raw]
        return attribute_parts(raw, self.attributes, self.line_of(ev.start), self.plain)

    # -- the run of inline content -------------------------------------------

    def _add(self, piece: Piece, start: int) -> None:
        self.starts[id(piece)] = start
        self.run.append(piece)

    def text(self, start: int, end: int) -> None:
        content = self.src.content
        pos = start
        for m in self.protect.pattern.finditer(content, start, end):
            if m.group(0).startswith("[") or m.group(0).startswith("{"):
                continue  # Markdown's task markers and attribute lists mean nothing in HTML
            if m.start() > pos:
                self._prose(pos, m.start())
            raw = self.src.slice(m.start(), m.end())
            if content[m.start()] == MASK and self.protect.masked is not None:
                self._add(self.protect.masked(self.src.at(m.start()), self.src.at(m.end()), raw), m.start())
            else:
                self._add(Piece(VOID, raw, markup="protected"), m.start())
            pos = m.end()
        if pos < end:
            self._prose(pos, end)

    def _prose(self, start: int, end: int) -> None:
        """TEXT pieces: edge whitespace in pieces of its own; a whitespace run holding
        a line break reads as a space and is put back as written (its joint)."""
        content = self.src.content
        a, b = trimmed(content, start, end, " \t\r\n\f")
        for s, e in ((start, a), (a, b), (b, end)):
            if s >= e:
                continue
            text: list[str] = []
            joints: list[str] = []
            breaks: list[int] = []
            pos = s
            size = 0
            for m in _SPACE.finditer(content, s, e):
                text.append(content[pos : m.start()])
                size += m.start() - pos
                if "\n" in m.group(0):
                    joints.append(self.src.slice(m.start(), m.end()))
                    breaks.append(size)
                text.append(" ")
                size += 1
                pos = m.end()
            text.append(content[pos:e])
            self._add(Piece(TEXT, self.src.slice(s, e), text="".join(text), joints=tuple(joints),
                            breaks=tuple(breaks)), s)

    def entity(self, ev: _Event) -> None:
        raw = self.src.slice(ev.start, ev.end)
        char = html.unescape(raw)
        if kept_as_written(self.src.content, ev.start, ev.end, char):
            self._add(Piece(VOID, raw, markup="entity", text=char), ev.start)
        elif self.run and self.run[-1].kind == TEXT and self.run[-1].text[-1:].isalnum():
            last = self.run[-1]  # a letter (caf&eacute;) is part of its word
            last.src += raw
            last.text += char
        else:  # the word's first letter (&Eacute;cole): the text after it joins it
            self._add(Piece(TEXT, raw, text=char), ev.start)

    def untouched(self, first: _Event, last: _Event, inner: str) -> None:
        """An element kept whole inside the text (``<code>name</code>``): shown to the
        engine by its text when that reads as a name."""
        raw = self.src.slice(first.start, last.end)
        self._add(Piece(VOID, raw, markup="html_code", text=html.unescape(inner)), first.start)

    def flush(self) -> None:
        run, self.run = self.run, []
        if not run:
            return
        lead, trail = [], []
        while run and run[0].kind == TEXT and not run[0].text.strip():
            lead.append(run.pop(0).src)
        while run and run[-1].kind == TEXT and not run[-1].text.strip():
            trail.insert(0, run.pop().src)
        if lead:
            self._literal_text("".join(lead))
        if any(p.kind == TEXT and _HAS_WORD.search(p.text) for p in run):
            _pair(run, self)
            _inner_space(run)
            for kind, group in _siblings(run):
                if kind == "space":
                    self._literal_text(group[0].src)
                else:
                    self.parts.append(Segment("html", self.line_of(self.starts[id(group[0])]), group, codec="html"))
        else:
            for piece in run:
                for part in piece.parts if piece.parts else [piece.src]:
                    if isinstance(part, str):
                        self._literal_text(part)
                    else:
                        self.parts.append(part)
        if trail:
            self._literal_text("".join(trail))

    def _literal_text(self, text: str) -> None:
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += text
        else:
            self.parts.append(text)


def _siblings(run: list[Piece]) -> list[tuple[str, list[Piece]]]:
    """A run that is only elements side by side (buttons, a menu's links) is one
    segment per element; any other run is one segment."""
    groups: list[tuple[str, list[Piece]]] = []
    depth = 0
    current: list[Piece] = []
    for piece in run:
        if depth == 0 and _blank(piece) and current:
            groups.append(("text", current))
            groups.append(("space", [piece]))
            current = []
            continue
        if depth == 0 and piece.kind != OPEN and not (piece.kind == VOID and not piece.text.strip()):
            return [("text", run)]  # words (or an entity) between elements: one text
        current.append(piece)
        depth += 1 if piece.kind == OPEN else -1 if piece.kind == CLOSE else 0
    if current:
        groups.append(("text", current))
    texts = [g for kind, g in groups if kind == "text"]
    if len(texts) < 2 or not all(any(p.kind == TEXT and _HAS_WORD.search(p.text) for p in g) for g in texts):
        return [("text", run)]
    return groups


def _blank(piece: Piece) -> bool:
    return piece.kind == TEXT and not piece.text.strip()


def _inner_space(run: list[Piece]) -> None:
    """Space just inside an element (``<a>\n  Learn more\n</a>``) goes with its tag, so
    the element's layout is kept; where the tag touches a word outside, the space
    is the only one between words and stays text."""
    i = 0
    while i < len(run):
        piece = run[i]
        if piece.kind == OPEN and i + 1 < len(run) and _blank(run[i + 1]) and (i == 0 or _blank(run[i - 1])):
            _extend(piece, run.pop(i + 1).src, after=True)
        elif piece.kind == CLOSE and i > 0 and _blank(run[i - 1]) and (i == len(run) - 1 or _blank(run[i + 1])):
            _extend(piece, run.pop(i - 1).src, after=False)
            i -= 1
        i += 1


def _extend(piece: Piece, space: str, after: bool) -> None:
    piece.src = piece.src + space if after else space + piece.src
    if piece.parts is not None:
        piece.parts = piece.parts + [space] if after else [space] + piece.parts


def _pair(run: list[Piece], builder: _Builder) -> None:
    """Inline elements' start and end tags within one run as paired markup."""
    stack: list[tuple[int, str]] = []
    for i, piece in enumerate(run):
        if piece.kind != VOID or piece.markup != "html_inline":
            continue
        m = re.match(r"<(/?)([A-Za-z][\w:-]*)", piece.src)
        if not m:
            continue
        name = m.group(2).lower()
        if not m.group(1):
            if name not in EMPTY and not piece.src.rstrip().endswith("/>"):
                stack.append((i, name))
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][1] == name:
                j = stack[k][0]
                del stack[k:]
                builder.counter += 1
                run[j].kind, run[j].markup, run[j].pair = OPEN, "html", builder.counter
                piece.kind, piece.markup, piece.pair = CLOSE, "html", builder.counter
                break


_TAG_NAME = re.compile(r"</?[A-Za-z][^\s/>]*")


def attribute_parts(raw: str, attributes: Sequence[str] | set[str], line: int,
                    plain: Callable[[str], list[Piece]]) -> list[Part]:
    """A start tag as parts: its text, and a segment for each readable attribute
    with words in its quoted value (the value decoded for the engine)."""
    name = _TAG_NAME.match(raw)
    if name is None:
        return [raw]
    parts: list[Part] = []
    pos = 0
    for m in ATTRIBUTE.finditer(raw, name.end()):
        group = 2 if m.group(2) is not None else 3 if m.group(3) is not None else 0
        if not group or m.group(1).lower() not in attributes:
            continue
        value = m.group(group)
        if not _HAS_WORD.search(value) or "{{" in value or MASK in value or "\n" in value:
            continue
        a, b = m.start(group), m.end(group)
        parts.append(raw[pos:a])
        parts.append(Segment("attr", line, value_pieces(value, plain, title=False), codec="attr", key=m.group(1).lower(),
                             style='"' if group == 2 else "'", src=value))
        pos = b
    parts.append(raw[pos:])
    return [p for p in parts if p != ""]


def html_parts(src: InlineText, protect: Protect, attributes: Sequence[str], line_of: Callable[[int], int],
               plain: Callable[[str], list[Piece]]) -> list[Part]:
    """An HTML block as parts whose renders join to its source: text and tags as
    they are, segments for its prose and readable attributes."""
    events = events_of(src.content)
    out = _Builder(src, protect, attributes, line_of, plain)
    i = 0
    while i < len(events):
        ev = events[i]
        if ev.kind in ("start", "empty") and kept(ev.name, ev.attrs):
            if ev.kind == "start" and ev.name not in EMPTY and ev.match is None:
                out.literal(ev.start, len(src.content))  # never closed: the rest of the block is its
                break
            last = events[ev.match] if ev.match is not None else ev
            if ev.name in INLINE | CODE and ev.name not in NEVER:
                inner = src.content[ev.end : last.start] if last is not ev else ""
                out.untouched(ev, last, inner)
            else:
                out.literal(ev.start, last.end)
            i = (ev.match + 1) if last is not ev else i + 1
        elif ev.kind in ("start", "empty", "end"):
            out.tag(ev, ev.name in INLINE)
            i += 1
        elif ev.kind == "data":
            out.text(ev.start, ev.end)
            i += 1
        elif ev.kind == "entity":
            out.entity(ev)
            i += 1
        else:  # comments, declarations: left as they are, and the text around them apart
            out.literal(ev.start, ev.end)
            i += 1
    out.flush()
    return out.parts


def escape(text: str) -> str:
    """Engine output as HTML text: what would read as markup is escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str, quote: str) -> str:
    return escape(text).replace(quote, "&quot;" if quote == '"' else "&#39;")
