"""Sentence splitting for machine translation: rule-based, offline, no models.

An engine translates sentence by sentence; the spacing between sentences is
kept and put back. A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any
closing quotes or brackets) followed by a space and something that can start a
sentence, at ``।`` in Bengali and Hindi likewise, or at ``。！？`` in Chinese and
Japanese. Abbreviations (``e.g.``,
``Dr.``, ``z.B.``), initials (``J. R. R.``), numbers (``3.14``, ``No. 5``) and
lower-case continuations do not end a sentence.
"""

from __future__ import annotations

import re

#: Abbreviations that do not end a sentence, in the corpus languages (lower case).
ABBREVIATIONS = frozenset(
    """
    e.g i.e etc vs cf al approx ca dept est fig figs no nos vol vols p pp ed eds jr sr st mr mrs ms dr prof
    inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun u.s u.k a.m p.m
    sra srta dra ej pág núm aprox etc ud uds
    m mme mlle mm cf env p.ex c.-à-d
    z.b bzw usw ca nr evtl ggf inkl
    gen
    """.split()
)

_END = re.compile(
    r"""(?:[.!?…।]+|[。！？]+)["'”’»)\]]*"""
)
_CJK_END = set("。！？")

def split(text: str) -> list[tuple[str, str]]:
    """(sentence, the whitespace after it) pairs; joining them gives ``text`` back."""
    out: list[tuple[str, str]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group(0)[0] in _CJK_END:
            spaces = re.match(r"\s*", text[end:]).group(0)
            if end + len(spaces) < len(text):
                out.append((text[start:end], spaces))
                start = end + len(spaces)
            continue
        space = re.match(r"\s+", text[end:])
        if not space:
            continue  # "3.14", "e.g.x", end of text
        nxt = end + space.end()
        if nxt >= len(text) or not _starts_sentence(text, nxt):
            continue
        if m.group(0).startswith(".") and _abbreviation(text, start, m.start()):
            continue
        out.append((text[start:end], space.group(0)))
        start = nxt
    if start < len(text) or not out:
        rest = text[start:]
        stripped = rest.rstrip()
        out.append((stripped, rest[len(stripped):]))
    return out


def _starts_sentence(text: str, pos: int) -> bool:
    ch = text[pos]
    if ch in "\"'“‘«([¿¡<" or ch.isdigit():
        return True
    return ch.isupper() or (ch.isalpha() and not ch.islower())  # scripts without case start anywhere


def _abbreviation(text: str, start: int, dot: int) -> bool:
    """Whether the word before the period at ``dot`` is an abbreviation or an initial."""
    word_start = dot
    while word_start > start and not text[word_start - 1].isspace() and text[word_start - 1] not in "([\"'“«":
        word_start -= 1
    word = text[word_start:dot].lower()
    if not word:
        return False
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. R. R. Tolkien"
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))  # "u.s", "p.ex"


def join(pieces: list[tuple[str, str]]) -> str:
    return "".join(sentence + space for sentence, space in pieces)
