"""A segment as plain text for an engine, and its markup put back onto the translated words.

The engine sees a segment's prose without any markup: emphasis, links and
inline HTML pairs are left out; code spans, URLs and math are names to it, each
shown as a stand-in (``X1``, ``X2``...) that engines copy as they are, so a
rule-based engine never translates or takes apart ``strings.Title`` and its
translation is found exactly; protected terms and entities are shown by their
text; footnote references, tags, shortcodes, emoji codes and line breaks by
nothing. Each piece of markup becomes an :class:`~l10n.align.Span` over that
text; once the words are translated and the spans projected onto them
(``align.project``), the markup is written around the words it landed on, its
bytes exactly as in the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..align import Span
from ..document import CLOSE, OPEN, TEXT, VOID, Piece, Segment
from .inline import EMOJI, URL
from .render import Verify, finish, markup_src
from .tags import core_range

#: Markup that is a name to the engine, shown as a name stand-in: code spans, code
#: in HTML (``<code>``, ``<kbd>``, ``translate="no"``) and URLs. Shown by its own
#: text, a rule-based engine translated and took apart what it could read
#: (``strings.Title function`` became ``series.Función de título``) and the words
#: around it were lost when the code was put back.
_NAMED = {"code_inline", "html_code", "autolink"}
#: Markup that is shown to the engine by its text.
_READ = {"protected", "entity", "escape"}
#: Markup kept exactly as written in the file (its text is what it stands for).
AS_WRITTEN = {"entity", "escape"}
_HAS_WORD = re.compile(r"[^\W\d_]")
#: The capitals a segment's name stand-ins may begin with: the first one none of its
#: text writes before a digit, in either case, so a stand-in is found where nothing
#: else is (also where the code was glued to a word: ``is`%AppData%``` reads ``isX1``).
_CAPITALS = "XZQJVK"


@dataclass
class Plain:
    """What an engine sees of a segment, and where its markup was in that text."""

    text: str
    spans: list[Span] = field(default_factory=list)
    #: The core of the segment's pieces (edge markup and spaces stay where they are).
    lo: int = 0
    hi: int = 0
    #: The name stand-ins in ``text`` (``X1``), each with the code or URL it stands for.
    names: dict[str, str] = field(default_factory=dict)
    #: Ranges of the translation to leave out: a stand-in the engine gave back twice,
    #: or that no markup took.
    drop: list[tuple[int, int]] = field(default_factory=list)

    def found(self, name: str, target: str):
        """Where a name stand-in is in a translation, as the engine may have returned it:
        ``X1``, ``x1``, ``X 1``; never inside a longer one (``X12``) or a word (``max1``)."""
        return re.finditer(rf"(?<![^\W\d_]){name[0]}\s?{name[1:]}(?!\d)", target, re.IGNORECASE)

    def named_in(self, text: str) -> list[str]:
        """Every stand-in of this form's kind (its capital, a number) in a text, sorted
        as written: what a person's translation must hold to name the same code."""
        capital = next(iter(self.names), "X")[0]
        return sorted(m.group(0) for m in re.finditer(rf"(?<![^\W\d_]){capital}\s?\d+", text, re.IGNORECASE))

    def prose(self, start: int = 0, end: int | None = None) -> bool:
        """Whether ``text[start:end]`` holds a word that is not a name stand-in."""
        text = self.text[start:end]
        for name in self.names:
            text = re.sub(rf"{name}(?!\d)", " ", text)
        return _HAS_WORD.search(text) is not None


def standin(piece: Piece) -> str | None:
    """The text an engine sees for a void piece: "" for none, None for a name stand-in."""
    # bare URLs and math (``$E = mc^2$``) are protected text, and names too
    if piece.markup in _NAMED or piece.markup == "protected" and (URL.fullmatch(piece.src) or piece.src.startswith("$")):
        return None if _name_of(piece).strip() else ""
    if piece.markup not in _READ:
        return ""
    src = piece.src
    if piece.markup == "escape":
        return piece.text
    if piece.markup == "entity":
        return " " if piece.text.isspace() else piece.text  # a no-break space reads as a space
    if ("\ue000" in src or src.startswith(("{#", "{.", "{:", "[!")) or src in ("[ ]", "[x]", "[X]")
            or EMOJI.fullmatch(src)):
        return ""  # shortcodes, attribute lists, alert and task markers, emoji
    return src


def _name_of(piece: Piece) -> str:
    """What a code span, HTML code or URL holds: the text a stand-in stands for."""
    if piece.markup == "code_inline":
        inner = piece.src.strip("`")
        return inner[1:-1] if inner.startswith(" ") and inner.endswith(" ") and inner.strip() else inner
    if piece.markup == "html_code":
        return " ".join(piece.text.split())
    return piece.src.strip("<>")  # a URL, or math


class _Names:
    """Name stand-ins for one segment: ``X1``, ``X2``... in order; or, given the
    plain form of its source (``like``), the source's stand-in for the same code,
    so a person's translation names its code as its source does, in any order."""

    def __init__(self, pieces: list[Piece], like: Plain | None):
        self.names: dict[str, str] = {}
        self.reuse: dict[str, list[str]] = {}
        self.capital = ""
        self.count = 0
        if like is not None and like.names:
            self.capital = next(iter(like.names))[0]
            self.count = len(like.names)
            for name, held in like.names.items():
                self.reuse.setdefault(held, []).append(name)
        else:
            prose = " ".join(p.text if p.kind == TEXT else p.src for p in pieces)
            self.capital = next((c for c in _CAPITALS if not re.search(rf"{c}\s?\d", prose, re.IGNORECASE)), "X")

    def name(self, held: str) -> str:
        if self.reuse.get(held):
            name = self.reuse[held].pop(0)
        else:
            self.count += 1
            name = f"{self.capital}{self.count}"
        self.names[name] = held
        return name


def plain(segment: Segment, like: Plain | None = None) -> Plain:
    """The segment's prose as one plain text, with a span for every piece of markup in
    it. ``like``: the plain form of the segment's source, when this is a translation."""
    pieces = segment.pieces
    lo, hi = core_range(pieces)
    out = Plain("", [], lo, hi)
    names = _Names(pieces, like)
    chars: list[str] = []
    size = 0
    opened: dict[int, tuple[int, int]] = {}

    def add(text: str) -> None:
        nonlocal size
        if text.startswith(" ") and (not chars or chars[-1].endswith(" ")):
            text = text[1:]
        if text:
            chars.append(text)
            size += len(text)

    def last() -> str:
        return chars[-1][-1:] if chars else ""

    for i in range(lo, hi):
        p = pieces[i]
        if p.kind == TEXT:
            start = size - (1 if p.text.startswith(" ") and last() == " " else 0)
            for k, at in enumerate(p.breaks):
                hug = ""
                if not p.text.strip():  # a line of markup alone: its breaks stay beside it
                    if k == 0 and i > lo and pieces[i - 1].kind in (VOID, CLOSE):
                        hug = "prev"
                    elif k == len(p.breaks) - 1 and i + 1 < hi and pieces[i + 1].kind in (VOID, OPEN):
                        hug = "next"
                out.spans.append(Span("anchor", start + at, start + at, ref=("break", i, k), order=i, hug=hug))
            add(p.text)
        elif p.kind == OPEN:
            opened[p.pair] = (i, size)
        elif p.kind == CLOSE and p.pair in opened:
            j, start = opened.pop(p.pair)
            between = range(j + 1, i)
            if any(_HAS_WORD.search(pieces[k].text) if pieces[k].kind == TEXT or pieces[k].markup in AS_WRITTEN
                   else pieces[k].kind == VOID for k in between):
                out.spans.append(Span("pair", start, size, ref=("pair", j, i), order=j))
            else:  # markup around no words (**|**, _1.0_, *\**): one unit, as it is
                out.spans = [s for s in out.spans if not (j < s.order < i)]  # the group holds them
                out.spans.append(Span("atom" if size > start else "anchor", start, size, ref=("group", j, i), order=j))
        else:
            stand = standin(p) if p.kind == VOID else ""
            if stand is None:
                stand = names.name(_name_of(p))
            if stand == " ":  # a no-break space between words: it takes the place of a space
                start = size - (1 if last() == " " else 0)
                if last() != " ":
                    add(" ")
                out.spans.append(Span("atom", start, start + 1, ref=("void", i, "space"), order=i))
            elif stand in names.names:  # a name: spaced in the source, spaced if it must be put in
                before = i == lo or pieces[i - 1].kind == TEXT and pieces[i - 1].text.endswith(" ")
                following = pieces[i + 1].text[:1] if i + 1 < hi and pieces[i + 1].kind == TEXT else ""
                spaced = before and (following == " " or i + 1 == hi)
                start = size
                add(stand)
                out.spans.append(Span("atom", start, size, ref=("void", i, spaced), order=i))
                if following.isdigit():  # `int`32: X1 32, or X132 would be no name
                    add(" ")
            elif stand:
                start = size
                add(stand)
                out.spans.append(Span("atom", start, size, ref=("void", i), order=i))
            else:
                glue = "left" if last() and not last().isspace() else ""
                following = pieces[i + 1].text[:1] if i + 1 < hi and pieces[i + 1].kind == TEXT else ""
                if not glue and following.strip():
                    glue = "right"
                # spaced on both sides in the source: spaced in the translation too
                spaced = last() == " " and following == " "
                out.spans.append(Span("anchor", size, size, glue=glue, ref=("void", i, spaced), order=i))
                if p.markup == "hardbreak" and glue == "left" and following.strip():
                    add(" ")  # a hard break parts the words it stands between ("body.\\n(See" is two sentences)
    for j, start in opened.values():  # an opener never closed in the segment: markup in place
        out.spans.append(Span("anchor", start, start, ref=("void", j)))
    out.text = "".join(chars).rstrip()
    out.names = names.names
    return out


def apply(segment: Segment, form: Plain, target: str, verify: Verify | None, moved: bool = True) -> bool:
    """Write the markup of ``form``'s projected spans around the translated plain
    text ``target`` into the segment; False when the result would not read as the
    source's markup (``verify``)."""
    _apart(segment, form, target)
    _lines(form, target)
    items, joints = items_of(segment, form, target)
    return finish(segment, form.lo, form.hi, items, joints, verify, "aligned", moved=moved, spaced_by_engine=True)


def _lines(form: Plain, target: str) -> None:
    """Each line break on a space of its own, inside the text: two at one place would
    end the paragraph, one at an edge would vanish. One with no space left is spread
    with the others by render (``ref`` set to None). A break beside markup that had
    a line of its own stays beside it, where the markup landed next to a space."""
    breaks = sorted((s for s in form.spans if s.ref and s.ref[0] == "break"), key=lambda s: (s.target, s.start))
    atoms = [s.target for s in form.spans if s.kind == "atom" and s.target]
    cuts = [i for i, ch in enumerate(target) if ch == " " and 0 < i < len(target) - 1
            and not any(a < i < b for a, b in atoms)]
    hugged: list[tuple[int, Span]] = []
    for span in [s for s in breaks if s.hug]:
        at, markup = _beside(form.spans, span, target)
        # two breaks with only spaces between would be a blank line (the paragraph's
        # end), unless they are the two sides of one piece of markup's line
        if at is not None and not any(not target[min(at, h) : max(at, h)].strip() and other is not markup
                                      for h, other in hugged):
            hugged.append((at, markup))
            span.target = (at, at)
            cuts = [c for c in cuts if c not in (at - 1, at)]
            breaks.remove(span)
    used = -1
    for span in breaks:
        want = span.target[0]  # type: ignore[index]
        free = [c for c in cuts if c > used]
        if not free:
            span.ref = ("unplaced",) + tuple(span.ref[1:])
            continue
        cut = min(free, key=lambda c: (abs(c - want), c))
        span.target = (cut, cut)
        used = cut


def _beside(spans: list[Span], brk: Span, target: str) -> tuple[int | None, Span | None]:
    """Where a hugging line break goes, and the markup it stays with: at the edge of
    that markup, if a space is there to take it."""
    i = brk.ref[1]  # type: ignore[index]
    for span in spans:
        if span.target is None or span is brk or not span.ref or span.ref[0] == "break":
            continue
        first = span.ref[1]
        last = span.ref[2] if span.ref[0] in ("pair", "group") else first
        if brk.hug == "next" and first == i + 1:
            at = span.target[0]
        elif brk.hug == "prev" and last == i - 1:
            at = span.target[1]
        else:
            continue
        if 0 < at < len(target) and (target[at - 1] == " " or target[at] == " "):
            return at, span
        return None, None
    return None, None


def _apart(segment: Segment, form: Plain, target: str) -> None:
    """Emphasis delimiters the source kept apart stay apart: ``*a *b c**`` must not
    become ``**b c**`` (strong) when both spans land on the same first word."""
    pieces = segment.pieces
    pairs = sorted((s for s in form.spans if s.ref and s.ref[0] == "pair" and s.target),
                   key=lambda s: (s.start, -s.end))
    for i, outer in enumerate(pairs):
        for inner in pairs[i + 1 :]:  # the spans nested in it come next, in order of start
            if inner.start > outer.end:
                break
            if inner.end > outer.end:
                continue
            o_open, i_open = pieces[outer.ref[1]], pieces[inner.ref[1]]
            if not (o_open.src[:1] == i_open.src[:1] and o_open.src[:1] in "*_~"):
                continue
            a, b = inner.target
            oa, ob = outer.target
            boundaries = [m.start() for m in re.finditer(r"(?<=\s)\S", target[:ob])] + [ob]
            if a == oa and inner.ref[1] != outer.ref[1] + 1:
                a = next((x for x in boundaries if x > a), a)
            ends = [m.end() for m in re.finditer(r"\S(?=\s)", target[:b])]
            if b == ob and inner.ref[2] + 1 != outer.ref[2]:
                b = next((x for x in reversed(ends) if x < b and x > a), b)
            if a < b:
                inner.target = (a, b)


def items_of(segment: Segment, form: Plain, target: str) -> tuple[list[tuple[str, str]], list[str]]:
    """What render.finish() lays out: text, markup and line breaks in target order;
    and the line breaks no span carried (to be spread over the text)."""
    pieces = segment.pieces
    events: list[tuple[int, int, tuple, str, str]] = []  # (position, order, tiebreak, kind, value)
    skips: list[tuple[int, int]] = []
    placed_breaks = set()
    for n, span in enumerate(form.spans):
        assert span.target is not None
        a, b = span.target
        kind, *ref = span.ref
        if kind == "unplaced":
            continue
        if kind == "pair":
            opener, closer = pieces[ref[0]], pieces[ref[1]]
            # over the same words, the pair opened first in the source is outside;
            # a pair left with no words opens and closes where it stands
            if b > a:
                events.append((a, 2, (-(b - a), ref[0]), "open", opener.render()))
                events.append((b, 0, (b - a, ref[1]), "close", markup_src(closer)))
            else:
                events.append((a, 2, (1, ref[0], 0), "open", opener.render()))
                events.append((a, 2, (1, ref[0], 1), "close", markup_src(closer)))
        elif kind == "break":
            i, k = ref
            events.append((a, 1, (0, n), "break", pieces[i].joints[k]))
            placed_breaks.add((i, k))
        elif span.kind == "atom" and (b > a or span.erase):
            events.append((a, 3, (0, n), "src", _render_ref(pieces, span.ref)))
            skips.append(span.erase or (a, b))
        else:
            marks = ref[1] if kind == "void" and len(ref) > 1 else None
            events.append((a, 1, (0, n), "nbsp" if marks == "space" else "spaced" if marks else "src",
                           _render_ref(pieces, span.ref)))
    skips.extend(form.drop)
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    items: list[tuple[str, str]] = []
    pos = 0
    for at, _order, _tie, kind, value in events:
        if at > pos:
            items.append(("text", _without(target, pos, at, skips)))
            pos = at
        items.append((kind, value))
        for a, b in skips:
            if a == at and kind == "src":
                pos = max(pos, b)
    if pos < len(target):
        items.append(("text", _without(target, pos, len(target), skips)))
    items = _unspaced(_spaced(items))
    leftover = [j for i in range(form.lo, form.hi) for k, j in enumerate(pieces[i].joints)
                if pieces[i].kind == TEXT and (i, k) not in placed_breaks]
    return [item for item in items if item != ("text", "")], leftover


def _render_ref(pieces: list[Piece], ref) -> str:
    """The source bytes of a void piece, or of a group of pieces (markup around no words)."""
    if ref[0] == "group":
        return "".join(markup_src(p) if p.kind == CLOSE else p.render() for p in pieces[ref[1] : ref[2] + 1])
    return pieces[ref[1]].render()


def _spaced(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Markup that stood between spaces in the source stands between spaces here."""
    out: list[tuple[str, str]] = []
    for i, (kind, value) in enumerate(items):
        if kind == "nbsp":  # a no-break space takes the place of a space beside it
            if out and out[-1][0] == "text" and out[-1][1].endswith(" "):
                out[-1] = ("text", out[-1][1][:-1])
            elif i + 1 < len(items) and items[i + 1][0] == "text" and items[i + 1][1].startswith(" "):
                items[i + 1] = ("text", items[i + 1][1][1:])
            out.append(("src", value))
            continue
        if kind != "spaced":
            out.append((kind, value))
            continue
        before = out[-1] if out else None
        after = items[i + 1] if i + 1 < len(items) else None
        if before and before[0] == "text" and before[1] and not before[1].endswith(" "):
            out[-1] = ("text", before[1] + " ")
        elif before and before[0] in ("src", "open", "close"):
            out.append(("text", " "))
        out.append(("src", value))
        if after and after[0] in ("text", "src", "open", "close") and after[1] and not after[1].startswith(" "):
            out.append(("text", " "))
    return out


def _unspaced(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Spaces mean nothing next to a hard line break (``\\`` or two spaces, then the
    next line's indentation): none is left around one."""
    out = list(items)
    for i, (kind, value) in enumerate(out):
        if kind == "src" and "\n" in value:
            if value.lstrip(" \\\r").startswith("\n") and i > 0 and out[i - 1][0] == "text":
                out[i - 1] = ("text", out[i - 1][1].rstrip())
            if value.rstrip(" \t>").endswith("\n") or value.endswith((" ", "\t")):
                if i + 1 < len(out) and out[i + 1][0] == "text":
                    out[i + 1] = ("text", out[i + 1][1].lstrip())
    return out


def _without(text: str, start: int, end: int, skips: list[tuple[int, int]]) -> str:
    """``text[start:end]`` without the ranges atoms replace."""
    keep = []
    pos = start
    for a, b in sorted(skips):
        if b <= pos or a >= end:
            continue
        keep.append(text[pos:max(pos, a)])
        pos = max(pos, b)
    keep.append(text[pos:end])
    return "".join(keep)


def plain_value(segment: Segment, form: Plain, target: str) -> list[tuple[str, bool]]:
    """A plain segment's translation (front matter, parameters, titles, UI strings):
    its atoms (protected terms, placeholders) put back, no Markdown escaping. As parts,
    each saying whether it is markup kept as written in the file (an entity in a
    title), which the value's encoding must leave as it is."""
    pieces = segment.pieces
    out: list[tuple[int, int, str, bool]] = []
    skips = []
    for span in form.spans:
        assert span.target is not None
        a, b = span.target
        kind, *ref = span.ref
        if kind == "void":
            lost = span.kind == "atom" and a == b and len(ref) > 1 and ref[1] is True  # a name put back spaced
            piece = pieces[ref[0]]
            out.append((a, 1, f" {piece.render()} " if lost else piece.render(), piece.markup in AS_WRITTEN))
            if span.kind == "atom":
                skips.append((a, b))
    skips.extend(form.drop)
    out.sort(key=lambda item: item[:3])
    parts: list[tuple[str, bool]] = []
    pos = 0
    for at, _o, value, written in out:
        if at > pos:
            parts.append((_without(target, pos, at, skips), False))
            pos = at
        parts.append((value, written))
        for a, b in skips:
            if a == at:
                pos = max(pos, b)
    parts.append((_without(target, pos, len(target), skips), False))
    lead = [(p.render(), p.markup in AS_WRITTEN) for p in pieces[: form.lo]]
    trail = [(p.render(), p.markup in AS_WRITTEN) for p in pieces[form.hi :]]
    return lead + _squeezed(parts) + trail


def _squeezed(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Whitespace runs as one space and none at the ends, in the parts not kept as written."""
    out: list[tuple[str, bool]] = []
    for text, written in parts:
        if out and not written and not out[-1][1]:
            out[-1] = (out[-1][0] + text, False)
        elif text:
            out.append((text, written))
    out = [(t if written else re.sub(r"[ \t\r\n]+", " ", t), written) for t, written in out]
    if out and not out[0][1]:
        out[0] = (out[0][0].lstrip(" "), False)
    if out and not out[-1][1]:
        out[-1] = (out[-1][0].rstrip(" "), False)
    return [part for part in out if part[0]]
