"""Putting translations back into Markdown: escaping, line layout, emphasis that still means the same.

Text from an engine is escaped wherever Markdown would read it as markup, a
paragraph is wrapped onto as many lines as its source had (each keeping its
quote markers or indentation), and where moved markup could change what
emphasis means the result is parsed again and refused if it differs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Callable, Sequence

from ..document import CLOSE, OPEN, Piece, Segment
from . import htmlblocks
from .escapes import escape_references
from .blocks import parser

#: Checks that a rendered segment has exactly its source's inline markup.
Verify = Callable[[Segment, str], bool]


def finish(
    segment: Segment, lo: int, hi: int, items, joints, verify: Verify | None, outcome: str,
    moved: bool = False, spaced_by_engine: bool = False,
) -> bool:
    pieces = segment.pieces
    lead = "".join(markup_src(p) for p in pieces[:lo])
    trail = "".join(markup_src(p) for p in pieces[hi:])
    at_line_start = segment.line_start if not lead else "\n" in lead and not lead.rsplit("\n", 1)[1].strip(" >\t")
    placed: list[tuple[int, str]] = []
    core = _layout(items, joints, segment, at_line_start, spaced_by_engine, placed)
    # markup at the edges (a URL) meets the engine's first or last word as in the core
    if lead and core and _fuses((False, lead), (True, core), False):
        core = " " + core
    if trail and core and _fuses((True, core), (False, trail), False):
        core += " "
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


def _layout(
    items: list[tuple[str, str]], joints: list[str], segment: Segment, at_line_start: bool, moved: bool,
    delimiters: list[tuple[int, str]],
) -> str:
    """Escape the text, wrap it onto as many lines as the source had, and join.

    Emphasis delimiters placed are listed in ``delimiters`` as (offset, text).
    """
    chunks: list[tuple[bool | None, str]] = []  # (is text, value); None: a line break placed by alignment
    n = len(items)
    for i, (kind, value) in enumerate(items):
        if kind == "text":
            left = items[i - 1][1][-1:] if i > 0 else ""
            right = items[i + 1][1][:1] if i + 1 < n else ""
            if i > 0 and items[i - 1][0] == "break":
                value = value.lstrip()
            if i + 1 < n and items[i + 1][0] == "break":
                value = value.rstrip()
            if value:
                if segment.codec == "html":
                    escaped = _shortcode_safe(htmlblocks.escape(value))
                    if segment.style == "mdx":  # text in JSX: a brace would open an expression
                        escaped = escaped.replace("{", "&#123;").replace("}", "&#125;")
                    chunks.append((True, escaped))
                else:
                    chunks.append((True, escape_text(value, segment.in_table, left, right, segment.style == "mdx")))
        else:
            chunks.append((None if kind == "break" else False, value))
    fused = [i for i in range(1, len(chunks)) if _fuses(chunks[i - 1], chunks[i], moved)]
    for i in reversed(fused):
        chunks.insert(i, (True, " "))
    if segment.kind == "heading" and chunks and chunks[-1][0] and chunks[-1][1].endswith("#"):
        chunks[-1] = (True, chunks[-1][1][:-1] + "\\#")
    breaks = _choose_breaks([(bool(t), v) for t, v in chunks], len(joints))
    out: list[str] = []
    size = 0  # characters in out
    line_start = at_line_start
    joint_iter = iter(joints)
    offset = 0
    pending = 0  # the next of the chosen breaks (in order)

    def put(text: str) -> None:
        nonlocal size
        out.append(text)
        size += len(text)

    for is_text, value in chunks:
        if segment.codec == "html":
            line_start = False  # HTML text reads nothing at a line's start
        if is_text is None:  # a line break where the source had one, between the same words
            put(value)
            line_start = True
            offset += len(value)
            continue
        if not is_text:
            if _DELIMITER.match(value):
                delimiters.append((size, value))
            put(value)
            line_start = _ENDS_LINE.search(value) is not None
            offset += len(value)
            continue
        start = 0
        while pending < len(breaks) and breaks[pending] < offset:
            pending += 1
        while pending < len(breaks) and breaks[pending] < offset + len(value):
            b = breaks[pending] - offset
            pending += 1
            put(_line_start(value[start:b]) if line_start else value[start:b])
            put(next(joint_iter))
            line_start = True
            start = b + 1
        piece = value[start:]
        if piece:
            put(_line_start(piece) if line_start else piece)
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


def _fuses(left: tuple[bool | None, str], right: tuple[bool | None, str], moved: bool) -> bool:
    """Whether two chunks would read as one where they meet: they need a space."""
    a, b = left[1][-1:], right[1][:1]
    if not a or not b or left[0] is None or right[0] is None:
        return False
    if not left[0] and not right[0]:
        # markup that met because an engine moved it or dropped the space
        # between (as it does for Chinese): `a``b` is one code span; nested
        # emphasis delimiters are one run and mean what they did (***a***)
        if _DELIMITER.match(left[1]) and _DELIMITER.match(right[1]):
            return False
        if _URL_START.match(right[1]) and (a.isalnum() or a in "/=?&#%-_."):
            return True  # a URL straight after another runs into it
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
_SHORTCODE_OPEN = re.compile(r"\{(?=\{[<%])")
_BRACE = re.compile(r"\{(?=[#.:])")
#: An escape (kept), or a brace or ``<`` left bare (escaped for MDX).
_MDX_BARE = re.compile(r"\\.|[{}<]", re.DOTALL)
_LINE_START = re.compile(r"^(?:(#)|(>)|([-+=])|(\d{1,9})([.)])|(:)(?=\s))")


def escape_text(text: str, in_table: bool = False, left: str = "", right: str = "", mdx: bool = False) -> str:
    """Escape engine output so that Markdown reads it as text, never as markup
    (in MDX, every brace and ``<`` too: they open expressions and JSX there)."""
    if not text:
        return text
    if mdx:
        return _MDX_BARE.sub(lambda m: m.group(0) if len(m.group(0)) == 2 else "\\" + m.group(0),
                             escape_text(text, in_table, left, right))
    text = _BACKSLASH.sub(r"\\\\", text)
    text = _ALWAYS.sub(r"\\\g<0>", text)
    if "_" in text:
        text = _escape_underscores(text, left, right)
    if "<" in text:
        text = _LT.sub(r"\\<", text)
    if "&" in text:  # only where it would read as an entity (&x; and &#87654321; are none)
        text = escape_references(text)
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


_DELIMITERS = re.compile(r"\{\{[<%]|[>%]\}\}")


def _shortcode_safe(text: str) -> str:
    """Shortcode delimiters an engine wrote, broken by a space: Hugo reads them anywhere."""
    return _DELIMITERS.sub(lambda m: m.group(0)[0] + " " + m.group(0)[1:], text) if "{{" in text or "}}" in text else text


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


_MARKUP = {"em_open", "strong_open", "s_open", "link_open", "image", "code_inline", "html_inline", "footnote_ref", "hardbreak"}


def make_verifier(env: dict, dropped: Counter | None = None) -> Verify:
    """A check that a rendered segment has exactly the inline markup of its source
    (less ``dropped``: markup left out on purpose, by token type)."""
    md = parser()

    def signature(text: str) -> Counter:
        tokens: list = []
        md.inline.parse(text, md, env, tokens)
        counts: Counter = Counter()
        stack = [(tok, "") for tok in tokens]
        while stack:
            tok, where = stack.pop()
            if tok.type in _MARKUP:
                counts[where + tok.type] += 1
            if tok.children:  # markup inside an image's alt text is only text
                stack.extend((child, "alt:") for child in tok.children)
        return counts

    def verify(seg: Segment, rendered: str) -> bool:
        expected = signature(_flatten(seg.original))
        if dropped:
            expected = expected - dropped
        return signature(_flatten(rendered)) == expected

    return verify


_JOINT = re.compile(r"\r?\n[ \t>]*")


def _flatten(text: str) -> str:
    return _JOINT.sub("\n", text)
