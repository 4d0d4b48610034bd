"""The tagged form an engine sees of a segment (<g1>…</g1>, <x2/>), and reading its output back.

An engine sees the prose of a segment with paired markup as ``<g1>…</g1>``
and void markup as ``<x2/>``. Its output is trusted for nothing: the tags are
checked (each once, properly nested), and what cannot be aligned is
translated again fragment by fragment, which keeps every piece of markup
exactly where it was.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..document import CLOSE, OPEN, TEXT, VOID, Piece, Segment
from .render import Verify, finish, markup_src

# --------------------------------------------------------------------------
# What an engine sees


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


def numbered(segment: Segment) -> dict[int, str]:
    """The tag each piece of the segment's inner markup is shown as, by piece index."""
    lo, hi = core_range(segment.pieces)
    return _numbering(segment.pieces, lo, hi)[0]


def engine_text(segment: Segment) -> str:
    """The segment's prose with its inner markup as ``<gN>``/``</gN>``/``<xN/>`` tags."""
    pieces = segment.pieces
    lo, hi = core_range(pieces)
    names = _numbering(pieces, lo, hi)[0]
    out = [pieces[i].text if pieces[i].kind == TEXT else names.get(i, "") for i in range(lo, hi)]
    return _SPACES.sub(" ", "".join(out)).strip()


_SPACES = re.compile(r"  +")


def can_use_tags(segment: Segment) -> bool:
    """Whether the prose itself holds no text that reads as a tag (else the segment goes the plain way)."""
    return not any(p.kind == TEXT and _TAG.search(p.text) for p in segment.pieces)


# --------------------------------------------------------------------------
# Putting a translation back


class Misaligned(Exception):
    """The engine's output cannot be mapped back onto the segment's markup."""


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
    return finish(segment, lo, hi, _tidy_spaces(items), joints, verify, "aligned", moved, spaced_by_engine=True)


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
