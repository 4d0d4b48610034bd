"""Inline Markdown: split a block's text into pieces, and put translations back.

markdown-it-py finds the inline structure; its tokens carry no source
positions, so the parser made here records the span of every token its rules
push. The spans cut the block's source into pieces: prose (TEXT), markup that
never reaches an engine (VOID), and paired markup (OPEN/CLOSE).

An engine sees the prose of a segment with paired markup as ``<g1>…</g1>`` and
void markup as ``<x2/>``. Its output is trusted for nothing: the tags are
checked (each once, properly nested), text is escaped where Markdown would read
it as syntax, and what cannot be aligned falls back to translating the prose
fragments one by one, which keeps every piece of markup exactly where it was.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll

from ..document import CLOSE, OPEN, TEXT, VOID, Piece, Segment

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
    for rule in md.inline.ruler.__rules__:
        if rule.name not in ("text", "entity", "linkify"):
            rule.fn = _spanned(rule.name, rule.fn)
    md.inline.ruler.__cache__ = None  # rules were replaced: rebuild the chains
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
class Source:
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


_URL = r"(?<![\\\w])(?:(?:https?|ftp)://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"*_]"
_ATTRS = r"(?<!\\)\{[#.:][^{}\n]*\}"
_MATH = r"\$\$[^$]+?\$\$|(?<![\w$\\])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\w$])"
_ALERT = r"(?<!\\)\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][+-]?"
_TASK = r"^\[[ xX]\](?= )"


def protect_pattern(terms: Sequence[str] = (), math: bool = True) -> re.Pattern[str]:
    parts = ["<" + MASK + "+>", MASK + "+(?:\n[ \t>]*" + MASK + "+)*", _URL, _ATTRS, _ALERT, _TASK]
    if math:
        parts.append(_MATH)
    if terms:
        words = sorted({t for t in terms if t}, key=len, reverse=True)
        parts.append(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    return re.compile("|".join(f"(?:{p})" for p in parts))


def split_inline(md: MarkdownIt, env: dict, src: Source, protect: Protect) -> list[Piece]:
    """Cut inline content into pieces whose sources join to the block's source."""
    tokens: list = []
    md.inline.parse(src.content, md, env, tokens)
    marks: list[tuple[int, int, str, str]] = []  # (start, end, kind, markup)
    _collect(tokens, marks)
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
    return pieces


def _collect(tokens: list, marks: list) -> None:
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
        if meta.get("void"):
            marks.append((start, end, VOID, "autolink"))
        elif kind_type in _PAIRED:
            marks.append((start, end, OPEN, kind_type[:-5]))
        elif kind_type in _CLOSING:
            marks.append((start, end, CLOSE, kind_type[:-6]))
        elif kind_type == "image":
            label = meta["label"]
            marks.append((start, label[0], OPEN, "image"))
            _collect(token.children or [], marks)
            marks.append((label[1], end, CLOSE, "image"))
        else:
            marks.append((start, end, VOID, kind_type))


_SPACE = re.compile(r"[ \t\n]+")
_NEWLINE = re.compile("\n")


_ALERT_START = re.compile(_ALERT)


def _text_pieces(src: Source, start: int, end: int, protect: Protect, out: list[Piece]) -> None:
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
            _prose(src, pos, a, out)
        text = src.slice(a, b)
        if content[a] == MASK and protect.masked is not None:
            out.append(protect.masked(src.at(a), src.at(b), text))
        else:
            out.append(Piece(VOID, text, markup="protected"))
        pos = b
    if pos < end:
        _prose(src, pos, end, out)


def _prose(src: Source, start: int, end: int, out: list[Piece]) -> None:
    """TEXT pieces for content[start:end], edge whitespace in pieces of its own."""
    content = src.content
    a, b = start, end
    while a < b and content[a] in " \t\n":
        a += 1
    while b > a and content[b - 1] in " \t\n":
        b -= 1
    for s, e in ((start, a), (a, b), (b, end)):
        if s >= e:
            continue
        raw = content[s:e]
        joints: tuple[str, ...] = ()
        if "\n" in raw:
            joints = tuple(src.slice(s + m.start(), s + m.start() + 1) for m in _NEWLINE.finditer(raw))
        if s != a or e != b:
            text = " "
        else:
            text = unescapeAll(raw) if "\\" in raw or "&" in raw else raw
            if "\n" in text or "  " in text or "\t" in text:
                text = _SPACE.sub(" ", text)
        out.append(Piece(TEXT, src.slice(s, e), text=text, joints=joints))


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


# --------------------------------------------------------------------------
# What an engine sees


_HAS_WORD = re.compile(r"[^\W\d_]")


def core_range(pieces: Sequence[Piece]) -> tuple[int, int]:
    """The pieces that need an engine: edge markup and spaces are placed trivially."""
    lo, hi = 0, len(pieces)
    changed = True
    while changed and lo < hi:
        changed = False
        while lo < hi and (pieces[lo].kind == VOID or (pieces[lo].kind == TEXT and not pieces[lo].text.strip())):
            lo += 1
            changed = True
        while hi > lo and (pieces[hi - 1].kind == VOID or (pieces[hi - 1].kind == TEXT and not pieces[hi - 1].text.strip())):
            hi -= 1
            changed = True
        if hi - lo >= 2 and pieces[lo].kind == OPEN and pieces[hi - 1].kind == CLOSE and pieces[lo].pair == pieces[hi - 1].pair:
            lo += 1
            hi -= 1
            changed = True
    return lo, hi


def needs_engine(segment: Segment) -> bool:
    return any(_wordy(p) for p in segment.pieces)


_TAG = re.compile(r"<\s*(/?)\s*([gx])\s*(\d+)\s*(/?)\s*>", re.IGNORECASE)


def _numbering(pieces: Sequence[Piece], lo: int, hi: int) -> tuple[dict[int, str], dict[int, Piece], dict[int, list[Piece]]]:
    """Tag names for the core's markup, numbered from 1 in order of appearance."""
    names: dict[int, str] = {}
    voids: dict[int, Piece] = {}
    pairs: dict[int, list[Piece]] = {}
    numbers: dict[int, int] = {}
    for i in range(lo, hi):
        p = pieces[i]
        if p.kind == VOID:
            voids[len(voids) + 1] = p
            names[i] = f"<x{len(voids)}/>"
        elif p.kind == OPEN:
            numbers[p.pair] = n = len(numbers) + 1
            pairs[n] = [p]
            names[i] = f"<g{n}>"
        elif p.kind == CLOSE and p.pair in numbers:
            n = numbers[p.pair]
            pairs[n].append(p)
            names[i] = f"</g{n}>"
    return names, voids, pairs


def engine_text(segment: Segment) -> str:
    """The segment's prose with its inner markup as ``<gN>``/``</gN>``/``<xN/>`` tags."""
    pieces = segment.pieces
    lo, hi = core_range(pieces)
    names = _numbering(pieces, lo, hi)[0]
    out = [pieces[i].text if pieces[i].kind == TEXT else names.get(i, "") for i in range(lo, hi)]
    return _SPACES.sub(" ", "".join(out)).strip()


_SPACES = re.compile(r"  +")


def fragments(segment: Segment) -> list[str]:
    """The prose fragments of a segment, each translated alone as a fallback."""
    lo, hi = core_range(segment.pieces)
    return [p.text for p in segment.pieces[lo:hi] if _wordy(p)]


def _wordy(piece: Piece) -> bool:
    return piece.kind == TEXT and _HAS_WORD.search(piece.text) is not None


def can_use_tags(segment: Segment) -> bool:
    """Whether the prose itself holds text that reads as a tag (then use fragments)."""
    return not any(p.kind == TEXT and _TAG.search(p.text) for p in segment.pieces)


# --------------------------------------------------------------------------
# Putting a translation back


class Misaligned(Exception):
    """The engine's output cannot be mapped back onto the segment's markup."""


Verify = Callable[[Segment, str], bool]


def apply_translation(segment: Segment, output: str, verify: Verify | None = None, sent: str | None = None) -> bool:
    """Render ``output``, an engine's translation of ``sent`` (engine_text(),
    computed here when not given), into the segment.

    Returns False and leaves the segment alone when the tags do not align.
    """
    if sent is None:
        sent = engine_text(segment)
    forced = any(p.kind == VOID and p.parts is not None and p.markup == "protected" for p in segment.pieces)
    if output == sent and not forced:
        segment.outcome = "unchanged"  # keep the source's exact spelling
        return True
    if not output.strip():
        return False
    pieces = segment.pieces
    lo, hi = core_range(pieces)
    _names, voids, pairs = _numbering(pieces, lo, hi)
    try:
        items = _parse_output(output, voids, pairs)
    except Misaligned:
        return False
    words = [i for i, (kind, value) in enumerate(items) if kind != "text" or value.strip()]
    if words and any("\n" in items[i][1] and items[i][0] == "src" for i in (words[0], words[-1])):
        return False  # a line break moved to an edge of the paragraph breaks nothing: it vanishes
    joints = [j for p in pieces[lo:hi] if p.kind == TEXT for j in p.joints]
    # moved markup can meet other markup it never touched: then the result is checked
    moved = _tag_order(output) != _tag_order(sent)
    return _finish(segment, lo, hi, _tidy_spaces(items), joints, verify, "aligned", moved, spaced_by_engine=True)


def _tag_order(text: str) -> list[str]:
    return [m.group(0) for m in _TAG.finditer(text)]


def plain_translation(segment: Segment, output: str) -> str | None:
    """The plain text of a translated plain-text segment, or None if misaligned."""
    lo, hi = core_range(segment.pieces)
    _names, voids, _pairs = _numbering(segment.pieces, lo, hi)
    try:
        items = _parse_output(output, voids, {})
    except Misaligned:
        return None
    body = "".join(_WS.sub(" ", v) if k == "text" else v for k, v in items).strip()
    lead = "".join(p.render() for p in segment.pieces[:lo])
    trail = "".join(p.render() for p in segment.pieces[hi:])
    return lead + body + trail


def apply_fragments(segment: Segment, outputs: Sequence[str], verify: Verify | None = None) -> bool:
    """Render translations of fragments(segment), one per fragment, into the segment."""
    if list(outputs) == fragments(segment):
        segment.outcome = "unchanged"
        return True
    pieces = segment.pieces
    lo, hi = core_range(pieces)
    items: list[tuple[str, str]] = []
    joints: list[str] = []
    queue = iter(outputs)
    for p in pieces[lo:hi]:
        if _wordy(p):
            out = " ".join(next(queue).split())
            items.append(("text", out or p.text))
            joints.extend(p.joints)
        else:
            items.append(("src", markup_src(p)))
    return _finish(segment, lo, hi, items, joints, verify, "fragments")


def _finish(
    segment: Segment, lo: int, hi: int, items, joints, verify: Verify | None, outcome: str,
    moved: bool = False, spaced_by_engine: bool = False,
) -> bool:
    pieces = segment.pieces
    lead = "".join(markup_src(p) for p in pieces[:lo])
    trail = "".join(markup_src(p) for p in pieces[hi:])
    at_line_start = segment.line_start if not lead else "\n" in lead and not lead.rsplit("\n", 1)[1].strip(" >\t")
    placed: list[tuple[int, str]] = []
    core = _layout(items, joints, segment, at_line_start, spaced_by_engine, placed)
    rendered = lead + core + trail
    if verify is not None and (moved or placed or _delimiters_in(pieces[:lo]) or _delimiters_in(pieces[hi:])):
        # emphasis means the same as long as each delimiter can open and close as
        # it could in the source; only a change there needs reading it again
        before = _flanking(segment.original, _piece_delimiters(pieces, original=True))
        spans = _piece_delimiters(pieces[:lo]) + [(len(lead) + o, v) for o, v in placed]
        spans += [(len(lead) + len(core) + o, v) for o, v in _piece_delimiters(pieces[hi:])]
        if (moved or _flanking(rendered, spans) != before) and not verify(segment, rendered):
            return False
    segment.rendered = rendered
    segment.outcome = outcome
    return True


_DELIMITER = re.compile(r"[*_~]+\Z")


def _delimiters_in(pieces: Sequence[Piece]) -> bool:
    return any(p.kind in (OPEN, CLOSE) and _DELIMITER.match(p.src) for p in pieces)


def _piece_delimiters(pieces: Sequence[Piece], original: bool = False) -> list[tuple[int, str]]:
    """(offset, run) of the emphasis delimiters among ``pieces``, as written in the
    source (``original``) or around a translation."""
    found = []
    offset = 0
    for p in pieces:
        src = p.src if original else (markup_src(p) if p.kind == CLOSE else p.render())
        if p.kind in (OPEN, CLOSE) and _DELIMITER.match(src):
            found.append((offset, src))
        offset += len(src)
    return found


def _flanking(text: str, spans: list[tuple[int, str]]) -> list[tuple[str, bool, bool, tuple[int, int]]]:
    """Whether each delimiter run can open and can close, by CommonMark's rules."""
    out = []
    for start, run in spans:
        end = start + len(run)
        before, after = text[start - 1 : start] if start else "", text[end : end + 1]
        ws_before = not before or before.isspace()
        ws_after = not after or after.isspace()
        p_before, p_after = _punct(before), _punct(after)
        left = not ws_after and (not p_after or ws_before or p_before)
        right = not ws_before and (not p_before or ws_after or p_after)
        # touching delimiters form one run, whose length matters too
        joined = (_run_length(text, start, -1, run[0]), _run_length(text, end, 1, run[0]))
        if run[0] == "_":
            out.append((run, left and (not right or p_before), right and (not left or p_after), joined))
        else:
            out.append((run, left, right, joined))
    return out


def _run_length(text: str, pos: int, step: int, ch: str) -> int:
    """How many unescaped ``ch`` touch ``pos`` going left (-1) or right (1)."""
    n = 0
    i = pos - 1 if step < 0 else pos
    while 0 <= i < len(text) and text[i] == ch and not (i > 0 and text[i - 1] == "\\"):
        n += 1
        i += step
    return n


def _punct(ch: str) -> bool:
    return bool(ch) and (ch in _ASCII_PUNCT or unicodedata.category(ch)[0] in "PS")


_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def markup_src(piece: Piece) -> str:
    """A markup piece as it is written around translated text."""
    if piece.kind == CLOSE and piece.text:
        return "][" + piece.text + "]"
    return piece.render()


def _parse_output(output: str, voids: dict[int, Piece], pairs: dict[int, list[Piece]]) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    seen: set[tuple[str, int]] = set()
    stack: list[int] = []
    pos = 0
    for m in _TAG.finditer(output):
        if m.start() > pos:
            items.append(("text", output[pos : m.start()]))
        pos = m.end()
        closing, letter, number, void = m.group(1), m.group(2).lower(), int(m.group(3)), m.group(4)
        if letter == "x":
            if number not in voids or closing or ("x", number) in seen:
                raise Misaligned
            seen.add(("x", number))
            items.append(("src", voids[number].render()))
            continue
        pair = pairs.get(number)
        role = "/g" if closing else "g"
        if pair is None or len(pair) != 2 or void or (role, number) in seen:
            raise Misaligned
        seen.add((role, number))
        if closing:
            if not stack or stack[-1] != number:
                raise Misaligned
            stack.pop()
            items.append(("close", markup_src(pair[1])))
        else:
            stack.append(number)
            items.append(("open", pair[0].render()))
    if pos < len(output):
        items.append(("text", output[pos:]))
    if stack or len(seen) != len(voids) + 2 * len(pairs):
        raise Misaligned
    return items


def _tidy_spaces(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Whitespace just inside a pair belongs outside it: ``<g1> a </g1>`` is `` **a** ``."""
    out = [[k, v] for k, v in items]
    for i, (kind, _value) in enumerate(out):
        if kind == "open" and i + 1 < len(out) and out[i + 1][0] == "text":
            text = out[i + 1][1]
            stripped = text.lstrip()
            if stripped != text:
                out[i + 1][1] = stripped
                _add_space(out, i, before=True)
        elif kind == "close" and i > 0 and out[i - 1][0] == "text":
            text = out[i - 1][1]
            stripped = text.rstrip()
            if stripped != text:
                out[i - 1][1] = stripped
                _add_space(out, i, before=False)
    for i, (kind, value) in enumerate(out):
        if kind != "src" or "\n" not in value:
            continue
        # a hard line break: the spaces around it mean nothing
        if value.lstrip(" \\\r").startswith("\n") and i > 0 and out[i - 1][0] == "text":
            out[i - 1][1] = out[i - 1][1].rstrip()
        if value.rstrip(" \t>").endswith("\n") and i + 1 < len(out) and out[i + 1][0] == "text":
            out[i + 1][1] = out[i + 1][1].lstrip()
    result = [(k, _WS.sub(" ", v) if k == "text" else v) for k, v in out]
    if result and result[0][0] == "text":
        result[0] = ("text", result[0][1].lstrip())
    if result and result[-1][0] == "text":
        result[-1] = ("text", result[-1][1].rstrip())
    return [item for item in result if item != ("text", "")]


_WS = re.compile(r"[ \t\r\n]+")


def _add_space(out: list, i: int, before: bool) -> None:
    j = i - 1 if before else i + 1
    if 0 <= j < len(out) and out[j][0] == "text":
        if before and not out[j][1].endswith(" "):
            out[j][1] += " "
        elif not before and not out[j][1].startswith(" "):
            out[j][1] = " " + out[j][1]
    else:
        out.insert(i if before else i + 1, ["text", " "])


def _layout(
    items: list[tuple[str, str]], joints: list[str], segment: Segment, at_line_start: bool, moved: bool,
    delimiters: list[tuple[int, str]],
) -> str:
    """Escape the text, wrap it onto as many lines as the source had, and join.

    Emphasis delimiters placed are listed in ``delimiters`` as (offset, text).
    """
    chunks: list[tuple[bool, str]] = []
    n = len(items)
    for i, (kind, value) in enumerate(items):
        if kind == "text":
            left = items[i - 1][1][-1:] if i > 0 else ""
            right = items[i + 1][1][:1] if i + 1 < n else ""
            chunks.append((True, escape_text(value, segment.in_table, left, right)))
        else:
            chunks.append((False, value))
    fused = [i for i in range(1, len(chunks)) if _fuses(chunks[i - 1], chunks[i], moved)]
    for i in reversed(fused):
        chunks.insert(i, (True, " "))
    if segment.kind == "heading" and chunks and chunks[-1][0] and chunks[-1][1].endswith("#"):
        chunks[-1] = (True, chunks[-1][1][:-1] + "\\#")
    breaks = _choose_breaks(chunks, len(joints))
    out: list[str] = []
    line_start = at_line_start
    joint_iter = iter(joints)
    offset = 0
    for is_text, value in chunks:
        if not is_text:
            if _DELIMITER.match(value):
                delimiters.append((sum(map(len, out)), value))
            out.append(value)
            line_start = _ENDS_LINE.search(value) is not None
            offset += len(value)
            continue
        start = 0
        for b in [b - offset for b in breaks if offset <= b < offset + len(value)]:
            out.append(_line_start(value[start:b]) if line_start else value[start:b])
            out.append(next(joint_iter))
            line_start = True
            start = b + 1
        piece = value[start:]
        if piece:
            out.append(_line_start(piece) if line_start else piece)
            line_start = False
        offset += len(value)
    return "".join(out)


def _choose_breaks(chunks: list[tuple[bool, str]], count: int) -> list[int]:
    if count == 0:
        return []
    spaces: list[int] = []
    offset = 0
    for is_text, value in chunks:
        if is_text:
            spaces.extend(offset + i for i, ch in enumerate(value) if ch == " " and 0 < i < len(value) - 1)
        offset += len(value)
    if not spaces:
        return []
    total = offset
    chosen: list[int] = []
    k = 0
    for step in range(1, count + 1):
        goal = total * step / (count + 1)
        while k < len(spaces) and spaces[k] < goal:
            k += 1
        candidates = [i for i in (k - 1, k) if 0 <= i < len(spaces) and (not chosen or spaces[i] > chosen[-1])]
        if not candidates:
            break
        best = min(candidates, key=lambda i: abs(spaces[i] - goal))
        chosen.append(spaces[best])
        k = best + 1
    return chosen


def _fuses(left: tuple[bool, str], right: tuple[bool, str], moved: bool) -> bool:
    """Whether two chunks would read as one where they meet: they need a space."""
    a, b = left[1][-1:], right[1][:1]
    if not a or not b:
        return False
    if not left[0] and not right[0]:
        # markup that met because an engine moved it or dropped the space
        # between (as it does for Chinese): `a``b` is one code span
        return moved and a == b and b in _FUSING
    # a protected word or URL glued to a word is no longer found as one
    if a.isalnum() and b.isalnum():
        return True
    # a URL runs on into whatever follows it but spaces and brackets,
    # and is no URL after a backslash
    if not right[0] and not a.isspace() and a not in "(<[\"'" and _URL_START.match(right[1]):
        return True
    return not left[0] and right[0] and _URL_START.match(left[1]) is not None and not _URL_END.match(right[1])


_URL_START = re.compile(r"(?:https?|ftp)://|www\.", re.IGNORECASE)
_URL_END = re.compile(r"\s|[<>()\[\]]|[.,;:!?'\"]+(?:\s|\Z)")
_ENDS_LINE = re.compile(r"\n[ \t>]*\Z")

#: Markup edge characters that fuse when two pieces meet (`a``b` is one code span).
_FUSING = set("`*_~$<>[]()")
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~\s]|$)")
_ALWAYS = re.compile(r"[`*\[\]~]")
_LT = re.compile(r"<(?=[A-Za-z/!?]|$)")
_AMP = re.compile(r"&(?=#?\w+;)")
_SHORTCODE_OPEN = re.compile(r"\{(?=\{[<%])")
_BRACE = re.compile(r"\{(?=[#.:])")
_LINE_START = re.compile(r"^(?:(#)|(>)|([-+=])|(\d{1,9})([.)])|(:)(?=\s))")


def escape_text(text: str, in_table: bool = False, left: str = "", right: str = "") -> str:
    """Escape engine output so that Markdown reads it as text, never as markup."""
    if not text:
        return text
    text = _BACKSLASH.sub(r"\\\\", text)
    text = _ALWAYS.sub(r"\\\g<0>", text)
    if "_" in text:
        text = _escape_underscores(text, left, right)
    if "<" in text:
        text = _LT.sub(r"\\<", text)
    if "&" in text:
        text = _AMP.sub(r"\\&", text)
    if "{" in text:
        text = _BRACE.sub(r"\\{", _SHORTCODE_OPEN.sub(r"{\\", text))
    if text.count("$") > 1:  # a pair could read as math
        text = text.replace("$", "\\$")
    if "://" in text or "www." in text:  # an engine-made URL would be linkified
        text = text.replace("://", "\\://").replace("www.", "www\\.")
    if text.endswith("!") and right == "[":  # "!" before a link would make it an image
        text = text[:-1] + "\\!"
    if in_table and "|" in text:
        text = text.replace("|", "\\|")
    return text


def _escape_underscores(text: str, left: str, right: str) -> str:
    out = []
    padded = (left or " ") + text + (right or " ")
    for i, ch in enumerate(text, 1):
        if ch == "_" and not (padded[i - 1].isalnum() and padded[i + 1].isalnum()):
            out.append("\\_")
        else:
            out.append(ch)
    return "".join(out)


def _line_start(text: str) -> str:
    """Escape what would start a heading, quote, list or definition at a line start."""
    m = _LINE_START.match(text)
    if not m:
        return text
    if m.group(4):
        return m.group(4) + "\\" + text[len(m.group(4)) :]
    return "\\" + text
