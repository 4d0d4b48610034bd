"""Word alignment, and markup spans projected from a source sentence onto its translation.

An alignment is a list of links ``(s_start, s_end, t_start, t_end)``: the
characters ``source[s_start:s_end]`` became ``target[t_start:t_end]``. Engines
that know it give it (CTranslate2's attention, an engine's own
``translate_aligned``); for engines that return only text, :func:`locate`
finds where a span's own translation landed in the sentence's, by character
n-gram similarity, and links it.

:func:`project` maps spans of the source (a link's text, an emphasised
phrase, a code span's stand-in, a zero-width anchor such as a footnote
reference or a line break) onto target ranges. A span covers the smallest
range of whole target words its source words were linked to; a span nothing
links is placed by its neighbours; spans that would cross are made to nest
again as they did in the source, and none is ever dropped. Nothing here
knows Markdown.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

Link = tuple[int, int, int, int]

#: A word for alignment: a run of letters and digits, a single CJK or kana
#: character (scripts without spaces align character by character), or any
#: other visible character alone.
_CJK_RANGES = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK = re.compile(f"[{_CJK_RANGES}]")
_WORD = re.compile(f"[{_CJK_RANGES}]|[^\\W_]+(?:['’][^\\W_]+)*|[^\\s]")


def words(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word of ``text``, in order."""
    return [m.span() for m in _WORD.finditer(text)]


def _is_word(text: str, span: tuple[int, int]) -> bool:
    return any(ch.isalnum() for ch in text[span[0] : span[1]])


# --------------------------------------------------------------------------
# Links from word pairs


def links_from_pairs(source: str, target: str, pairs: Sequence[tuple[int, int]]) -> list[Link]:
    """Links from (source word, target word) index pairs over whitespace-separated
    words, as engines report them (``translate_aligned``); each word is linked by
    its letters and digits, so ``world,`` and ``mundo,`` link ``world`` and ``mundo``."""
    src = [_core(source, span) for span in _spans_of_split(source)]
    tgt = [_core(target, span) for span in _spans_of_split(target)]
    out = []
    for i, j in pairs:
        if 0 <= i < len(src) and 0 <= j < len(tgt):
            out.append((*src[i], *tgt[j]))
    return out


def _spans_of_split(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S+", text)]


def _core(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A word's span from its first letter or digit to its last (all of it if it has none)."""
    a, b = span
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and not text[b - 1].isalnum():
        b -= 1
    return (a, b) if b > a else span


def identity_links(source: str, target: str) -> list[Link]:
    """Word i to word i, for engines whose output keeps the source's words in
    order, one for one (copy, pseudo-localisation)."""
    src, tgt = words(source), words(target)
    if len(src) != len(tgt):
        tgt = [w for w in tgt if _is_word(target, w)]
        src = [w for w in src if _is_word(source, w)]
    return [(*s, *t) for s, t in zip(src, tgt)]


def same_words(source: str, target: str) -> list[Link]:
    """Links between words that come through an engine as they are and stand once in
    each text: numbers and names (``1.18``, ``Git``, ``JSON``: a digit or a capital
    after the first letter of the text). Sure anchors, for engines that give no
    alignment, between which markup nothing else placed is put in proportion."""

    def once(text: str) -> dict[str, tuple[int, int]]:
        seen: dict[str, list[tuple[int, int]]] = {}
        for m in re.finditer(r"\S+", text):
            a, b = _core(text, m.span())
            word = text[a:b]
            if a > 0 and any(ch.isdigit() or ch.isupper() for ch in word) and any(ch.isalnum() for ch in word):
                seen.setdefault(word, []).append((a, b))
        return {word: spans[0] for word, spans in seen.items() if len(spans) == 1}

    theirs = once(target)
    return [(*span, *theirs[word]) for word, span in once(source).items() if word in theirs]


# --------------------------------------------------------------------------
# Locating a span's translation in the sentence's (engines that give only text)


def _grams(text: str, n: int) -> dict[str, int]:
    text = " ".join(text.lower().split())
    out: dict[str, int] = {}
    for i in range(len(text) - n + 1):
        gram = text[i : i + n]
        out[gram] = out.get(gram, 0) + 1
    return out


def similarity(a: str, b: str) -> float:
    """A character n-gram F-score (n = 1..3, as chrF), 0 to 1."""
    if not a.strip() or not b.strip():
        return 0.0
    total = 0.0
    orders = 0
    for n in (1, 2, 3):
        ga, gb = _grams(a, n), _grams(b, n)
        if not ga and not gb:
            continue
        if not ga or not gb:  # one is too short to have n-grams of this order: nothing in common
            orders += 1
            continue
        common = sum(min(c, gb.get(g, 0)) for g, c in ga.items())
        precision, recall = common / sum(gb.values()), common / sum(ga.values())
        total += 0 if common == 0 else 2 * precision * recall / (precision + recall)
        orders += 1
    return total / orders if orders else 0.0


#: Below this similarity a span's own translation is not taken as found.
LOCATE_THRESHOLD = 0.35


def locate(target: str, piece: str, expected: float, taken: Sequence[tuple[int, int]] = (),
           width: int | None = None, fuzzy: bool = True) -> tuple[int, int] | None:
    """Where ``piece`` (a span's own translation, or its text) is in ``target``: the
    same words if they are there, else the run of whole words most like it,
    nearest the relative position ``expected`` (0 to 1) on a tie, never overlapping
    ``taken`` ranges; None when nothing is alike enough. ``width``: the span's own
    number of words in the source, which bounds how many target words it may take."""
    spans = [w for w in words(target) if _is_word(target, w)]
    want = [w for w in words(piece) if _is_word(piece, w)]
    if not spans or not want:
        return None

    def free(start: int, end: int) -> bool:
        return not any(start < b and a < end for a, b in taken)

    def distance(start: int, end: int) -> float:
        return abs((start + end) / 2 / max(1, len(target)) - expected)

    needle = " ".join(piece[s:e] for s, e in want).lower()
    exact = []
    for i in range(len(spans) - len(want) + 1):
        start, end = spans[i][0], spans[i + len(want) - 1][1]
        if " ".join(target[s:e] for s, e in spans[i : i + len(want)]).lower() == needle and free(start, end):
            exact.append((distance(start, end), (start, end)))
    if exact:
        return min(exact)[1]
    if not fuzzy:
        return None
    size = min(len(want), 2 * width + 1) if width else len(want)
    best: tuple[float, float, tuple[int, int]] | None = None
    for n in range(max(1, size - 2), size + 3):
        for i in range(0, len(spans) - n + 1):
            start, end = spans[i][0], spans[i + n - 1][1]
            if not free(start, end):
                continue
            score = similarity(needle, " ".join(target[s:e] for s, e in spans[i : i + n]))
            if score < LOCATE_THRESHOLD:
                continue
            key = (round(score, 3), -distance(start, end))
            if best is None or key > best[:2]:
                best = (key[0], key[1], (start, end))
    return best[2] if best else None


def find(target: str, piece: str, expected: float, taken: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """Where ``piece`` (text without words: ``*``, ``—``) stands as it is in ``target``,
    nearest the relative position ``expected``, never overlapping ``taken`` ranges."""
    best: tuple[float, tuple[int, int]] | None = None
    at = target.find(piece)
    while at >= 0:
        end = at + len(piece)
        if not any(at < b and a < end for a, b in taken):
            key = abs((at + end) / 2 / max(1, len(target)) - expected)
            if best is None or key < best[0]:
                best = (key, (at, end))
        at = target.find(piece, at + 1)
    return best[1] if best else None


# --------------------------------------------------------------------------
# Projecting spans


@dataclass
class Span:
    """A piece of markup over the source text: ``kind`` "pair" (covers words, as
    emphasis or a link does), "atom" (replaces its words: a code span's stand-in)
    or "anchor" (zero width: a footnote reference, a tag, a line break)."""

    kind: str
    start: int
    end: int
    #: Anchors: which neighbour the anchor is glued to ("left", "right" or "").
    glue: str = ""
    #: Filled by project(): where it goes in the target, and whether the
    #: placement had to be guessed (no link reached it).
    target: tuple[int, int] | None = None
    guessed: bool = False
    children: list[Span] = field(default_factory=list)
    #: Whatever the caller needs to know which markup this is.
    ref: object = None
    #: Source order: of two spans over the same words, the one opened first is outside.
    order: int = 0
    #: Atoms: the target words their stand-in became (removed), when that is not
    #: where the atom is put (a code span that must stay inside its link).
    erase: tuple[int, int] | None = None
    #: Line breaks beside markup on a line of its own: the neighbour it stays
    #: with ("next": before the markup, "prev": after it), so the line stays one.
    hug: str = ""


class _Index:
    """Links with words on both sides, sorted by source start: the ones over a range
    are found by bisection, so a paragraph of many spans costs n log n, not n²."""

    def __init__(self, links: Sequence[Link]):
        self.links = sorted((link for link in links if link[3] > link[2]), key=lambda link: link[0])
        self.starts = [link[0] for link in self.links]
        self.widest = max((link[1] - link[0] for link in self.links), default=0)

    def over(self, start: int, end: int) -> list[Link]:
        lo = bisect.bisect_left(self.starts, start - self.widest)
        hi = bisect.bisect_left(self.starts, end)
        return [link for link in self.links[lo:hi] if start < link[1]]


def project(spans: Sequence[Span], source: str, target: str, links: Sequence[Link]) -> None:
    """Give every span its ``target`` range (in place)."""
    t_words = words(target)
    index = _Index(links)
    for span in spans:
        if span.kind == "anchor" or span.start == span.end:
            span.target = _inside(span.start, source, target, _anchor(span, source, target, links, t_words))
        else:
            over = index.over(span.start, span.end)
            # a link wider than the span (a whole located phrase around a code span) says
            # little of where the span went: only when nothing narrower does
            narrow = [link for link in over if not (link[0] <= span.start and span.end <= link[1]
                                                    and (link[0], link[1]) != (span.start, span.end))]
            covered = [(a, b) for _s0, _s1, a, b in (narrow or over)]
            inside_word = span.kind == "atom" and any(
                s0 <= span.start and span.end <= s1 and (s0, s1) != (span.start, span.end) for s0, s1, _a, _b in over)
            if covered and inside_word:
                # a piece of a word ("&" of AT&T): the same character in the word it became, else after it
                start, end = min(a for a, _ in covered), max(b for _, b in covered)
                text = source[span.start : span.end]
                found = target.find(text, start, end) if text.strip() else -1
                if found >= 0:
                    span.target = (found, found + len(text))
                elif any(ch.isalnum() for ch in text):  # a name in a compound (`Ctrl`+`C`): its share of it
                    s0, s1 = next((s0, s1) for s0, s1, _a, _b in over if s0 <= span.start and span.end <= s1)
                    a = start + round((span.start - s0) / (s1 - s0) * (end - start))
                    b = start + round((span.end - s0) / (s1 - s0) * (end - start))
                    span.target = (a, max(a, b))
                else:
                    span.target = (end, end)
            elif covered:
                start, end = min(a for a, _ in covered), max(b for _, b in covered)
                start, end = _snap(target, start, end, t_words)
                exact = target.find(source[span.start : span.end], start, end) if span.kind == "atom" else -1
                if exact >= 0:  # a stand-in glued to a word ("esX1"): itself, never the word with it
                    start, end = exact, exact + span.end - span.start
                elif span.kind == "atom":  # the stand-in's own punctuation ("1." or "-v,") goes with it
                    text = source[span.start : span.end]
                    for ch in reversed(text[len(text.rstrip("".join(c for c in text if not c.isalnum()))):]):
                        if end < len(target) and target[end] == ch:
                            end += 1
                    lead = text[: len(text) - len(text.lstrip("".join(c for c in text if not c.isalnum())))]
                    for ch in lead:
                        if start > 0 and target[start - 1] == ch:
                            start -= 1
                span.target = (start, end)
            elif span.kind == "atom" and _glued(span, source, target, links):
                pass  # punctuation glued to a word (“quoted”): found beside the word it became
            elif span.kind == "atom":  # its stand-in is nowhere: put in, taking no word's place
                probe = Span("anchor", span.start, span.start)
                pos = _anchor(probe, source, target, links, t_words)[0]
                span.target = (pos, pos)
                # a no-break space has no words of its own to find; anything else was lost by the engine
                span.guessed = probe.guessed or bool(source[span.start : span.end].strip())
            else:
                span.target = _interpolate(span, source, target, links, t_words)
                span.guessed = True
    _repair(spans, target, t_words)


def _glued(span: Span, source: str, target: str, links: Sequence[Link]) -> bool:
    """An atom of punctuation glued to a word ("“" of “quoted”): the same character
    beside that word's target, else just beside it. False when no link reaches the word."""
    text = source[span.start : span.end]
    word = next((m.span() for m in re.finditer(r"\S+", source) if m.start() <= span.start and span.end <= m.end()), None)
    if word is None or word == (span.start, span.end) or any(ch.isalnum() for ch in text):
        return False
    reached = [(a, b) for s0, s1, a, b in links if s0 < word[1] and word[0] < s1 and b > a]
    if not reached:
        return False
    start, end = min(a for a, _ in reached), max(b for _, b in reached)
    while start > 0 and not target[start - 1].isspace():
        start -= 1
    while end < len(target) and not target[end].isspace():
        end += 1
    before = span.start - word[0] < word[1] - span.end  # nearer the word's start than its end
    found = target.find(text, start, end) if before else target.rfind(text, start, end)
    if found >= 0:
        span.target = (found, found + len(text))
    else:
        core = [i for i in range(start, end) if target[i].isalnum()]
        at = (core[0] if before else core[-1] + 1) if core else (start if before else end)
        span.target = (at, at)
    return True


def _snap(target: str, start: int, end: int, t_words: list[tuple[int, int]]) -> tuple[int, int]:
    """A range widened to whole words (``t_words`` in order)."""
    for pos, edge in ((start, 0), (end, 1)):
        k = bisect.bisect_right(t_words, (pos, len(target) + 1)) - 1  # the word starting at or before pos
        if k >= 0 and t_words[k][0] < pos < t_words[k][1]:
            if edge == 0:
                start = t_words[k][0]
            else:
                end = t_words[k][1]
    return start, end


def _anchor(span: Span, source: str, target: str, links: Sequence[Link], t_words) -> tuple[int, int]:
    """A zero-width span: beside the target of the word it is glued to, else between
    its neighbours' targets, in proportion, at a word boundary."""
    p = span.start
    rest = source[p:].strip()
    if not rest:  # at the very end: the same in the target
        return (len(target), len(target))
    if all(unicodedata.category(ch)[0] in "PZ" for ch in rest):
        # after the last word, before the final punctuation (a footnote before the period)
        end = len(target.rstrip())
        while end > 0 and unicodedata.category(target[end - 1])[0] == "P" and target[end - 1] not in ")]}»”’\"'":
            end -= 1
        return (end, end)
    if not source[:p].strip():
        return (0, 0)
    real = [link for link in links if link[1] > link[0]]
    inside = [link for link in real if link[0] < p < link[1]]
    if inside:  # within a linked word ("(" and ")" around a code span): as far into its target
        s0, s1, t0, t1 = inside[0]
        pos = t0 + round((p - s0) / (s1 - s0) * (t1 - t0))
        return (pos, pos)
    prev = max((link for link in real if link[1] <= p), key=lambda link: link[1], default=None)
    nxt = min((link for link in real if link[0] >= p), key=lambda link: link[0], default=None)
    left_word = re.search(r"\S+\s*\Z", source[:p])
    right_word = re.match(r"\s*\S", source[p:])
    touches_prev = prev is not None and left_word is not None and prev[1] >= left_word.start()
    touches_next = nxt is not None and right_word is not None and nxt[0] <= p + right_word.end()
    if touches_prev and (span.glue != "right" or not touches_next):
        pos = prev[3]  # type: ignore[index]
        if source[p - 1 : p].isspace():  # after a space: after the word's punctuation too ("one. |")
            while pos < len(target) and unicodedata.category(target[pos])[0] == "P" and target[pos] not in "([{¿¡«“‘":
                pos += 1
        return (pos, pos)
    if touches_next:
        return (nxt[2], nxt[2])  # type: ignore[index]
    # between linked words, in proportion (engines that give no alignment)
    s0, t0 = (prev[1], prev[3]) if prev else (0, 0)
    s1, t1 = (nxt[0], nxt[2]) if nxt else (len(source), len(target))
    goal = t0 + (p - s0) / max(1, s1 - s0) * (t1 - t0)
    cuts = [c for c in [t0, t1] + [m.start() for m in re.finditer(r"\s", target)] if min(t0, t1) <= c <= max(t0, t1)]
    span.guessed = True
    pos = min(cuts or [int(goal)], key=lambda c: abs(c - goal))
    return (pos, pos)


def _inside(p: int, source: str, target: str, at: tuple[int, int]) -> tuple[int, int]:
    """An anchor between words in the source stays between words: at either end of
    the text it would change meaning (a hard line break at the end is no break)."""
    pos = at[0]
    words_before, words_after = _HAS_WORD.search(source, 0, p), _HAS_WORD.search(source, p)
    spaces = [m.start() for m in re.finditer(r"\s", target.strip())]
    lead = len(target) - len(target.lstrip())
    if words_after and pos >= len(target.rstrip()) and spaces:
        pos = lead + spaces[-1]
    elif words_before and pos <= lead and spaces:
        pos = lead + spaces[0]
    return (pos, pos)


_HAS_WORD = re.compile(r"[^\W_]")


def _between(p: int, source: str, target: str, links: Sequence[Link]) -> float:
    """Where source position ``p`` falls in the target, in proportion between the
    nearest links on either side (the sentence's edges at worst)."""
    real = [link for link in links]
    before = [(s1, b) for s0, s1, a, b in real if s1 <= p]
    after = [(s0, a) for s0, s1, a, b in real if s0 >= p]
    s0, t0 = max(before) if before else (0, 0)
    s1, t1 = min(after) if after else (len(source), len(target))
    if s1 <= s0:
        return float(t0)
    return t0 + (p - s0) / (s1 - s0) * (t1 - t0)


def _interpolate(span: Span, source: str, target: str, links: Sequence[Link], t_words) -> tuple[int, int]:
    """A covering span nothing links: the target words in the same proportion
    between its neighbours' targets as its words were; at least one word."""
    lo, hi = _between(span.start, source, target, links), _between(span.end, source, target, links)
    candidates = [w for w in _whole(target, t_words) if _is_word(target, w)] or t_words
    if not candidates:
        return (int(lo), int(lo))
    inside = [w for w in candidates if (w[0] + w[1]) / 2 >= lo and (w[0] + w[1]) / 2 <= hi]
    if inside:
        return inside[0][0], inside[-1][1]
    nearest = min(candidates, key=lambda w: abs((w[0] + w[1]) / 2 - (lo + hi) / 2))
    return nearest


def _whole(target: str, t_words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Words as a guess by position may take them: what stands between spaces, from its
    first letter or digit to its last (``1.18`` and ``page-1`` whole, never a piece of
    them); scripts without spaces word by word."""
    out: list[tuple[int, int]] = []
    for a, b in t_words:
        joined = out and out[-1][1] == a and not _CJK.match(target[a]) and not _CJK.match(target[a - 1])
        if joined:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return [_core(target, w) for w in out]



def _only_children(span: Span) -> bool:
    """Whether a span's source text is all its children's (no words of its own)."""
    covered = sorted((c.start, c.end) for c in span.children if c.kind != "anchor")
    pos = span.start
    for a, b in covered:
        if a > pos:
            return False
        pos = max(pos, b)
    return pos >= span.end


def _contains(parent: Span, span: Span) -> bool:
    if parent.kind != "pair" or parent is span:
        return False
    if span.kind == "anchor" or span.start == span.end:  # an anchor at a pair's edge is outside it
        return parent.start < span.start < parent.end
    return parent.start <= span.start and span.end <= parent.end


def _repair(spans: Sequence[Span], target: str, t_words) -> None:
    """Make the targets nest as the sources did: children inside their parent,
    siblings apart; a covering span never left empty."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.kind != "pair", s.order))
    roots: list[Span] = []
    stack: list[Span] = []
    for span in ordered:
        span.children = []
        if span.kind == "anchor" or span.start == span.end:
            # a point: inside the innermost pair around it; the pairs open stay open
            parent = next((p for p in reversed(stack) if _contains(p, span)), None)
            (parent.children if parent else roots).append(span)
            continue
        while stack and not _contains(stack[-1], span):
            stack.pop()
        (stack[-1].children if stack else roots).append(span)
        if span.kind == "pair":
            stack.append(span)
    _fit(roots, (0, len(target)), target, t_words)


def _fit(siblings: list[Span], bounds: tuple[int, int], target: str, t_words) -> None:
    lo, hi = bounds
    for span in siblings:
        assert span.target is not None
        a, b = span.target
        if span.kind == "pair" and span.children and _only_children(span):
            # a pair around nothing but other markup ([`code`](url)): where its children went
            inner = [c.target for c in span.children if c.kind != "anchor" and c.target]
            if inner:
                a, b = min(t[0] for t in inner), max(t[1] for t in inner)
        clamped = (max(lo, min(a, hi)), max(lo, min(b, hi)))
        if span.kind == "atom" and clamped != (a, b):
            # its words went outside its parent: they go, and the atom is put inside
            span.erase = (a, b)
            edge = clamped[0] if clamped[0] > lo else lo
            clamped = (edge, edge)
        span.target = clamped
    # siblings apart: order by where they landed, each starting where the previous ended
    covering = sorted((s for s in siblings if s.kind == "pair" and s.start != s.end
                       or s.kind == "atom" and s.target and s.target[1] > s.target[0]),
                      key=lambda s: (s.target, s.start))
    previous: Span | None = None
    for span in covering:
        a, b = span.target  # type: ignore[misc]
        if previous is not None:
            pa, pb = previous.target  # type: ignore[misc]
            if a < pb:
                a = min(max(a, pb), b)
                while a < b and target[a].isspace():  # cut where a word starts, not on a space
                    a += 1
            if a >= b:
                # squeezed out: the previous span gives up its last word when it has two or more
                inside = [w for w in t_words if w[0] >= pa and w[1] <= pb and _is_word(target, w)]
                if len(inside) >= 2:
                    previous.target = (pa, inside[-2][1])
                    a, b = inside[-1]
                else:
                    words_after = [w for w in t_words if w[0] >= pb and w[1] <= hi and _is_word(target, w)]
                    a, b = words_after[0] if words_after else (pb, pb)
                span.guessed = True
        span.target = (a, b)
        previous = span
    for span in siblings:
        if span.kind == "anchor" or span.start == span.end:
            # an anchor never falls inside a covering sibling's words
            a, _ = span.target  # type: ignore[misc]
            for other in covering:
                oa, ob = other.target  # type: ignore[misc]
                if oa < a < ob:
                    a = ob if span.glue != "right" else oa
            span.target = (a, a)
    for span in siblings:
        if span.children:
            _fit(span.children, span.target, target, t_words)  # type: ignore[arg-type]
