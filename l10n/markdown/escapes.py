"""Backslash escapes and character references as CommonMark reads them: which are real, which stand alone.

A backslash before ASCII punctuation is an escape, any other backslash is a
backslash; ``&name;`` is a reference only for a name HTML5 defines, ``&#…;``
only for seven digits or six hexadecimal digits at most. A reference for a
letter that touches the letters of its word (``caf&eacute;``) is part of that
word; one that stands alone (``&AElig;``), or stands for no letter
(``&mdash;``), is markup kept as written, as every escape is. Quoted values
(link titles, HTML attributes) are cut into pieces the same way.
"""

from __future__ import annotations

import html
import re
from typing import Callable, Iterator

from markdown_it.common.entities import entities as _NAMES

from ..document import VOID, Piece

#: A backslash escape.
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_REFERENCE = r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});"
REFERENCE = re.compile(_REFERENCE)
_ENDING = re.compile(_REFERENCE + r"\Z")
#: What a link title holds as written: escapes first (``\&copy;`` is no reference).
_TITLE_ATOMS = re.compile(ESCAPE.pattern + "|" + _REFERENCE)


def real(ref: str) -> bool:
    """Whether ``&…;`` is a reference (a number, or a name HTML5 defines)."""
    return ref[1] == "#" or ref[1:-1] in _NAMES


def references(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The references in ``text[start:end]``."""
    for m in REFERENCE.finditer(text, start, len(text) if end is None else end):
        if real(m.group(0)):
            yield m


def stands_alone(text: str, start: int, end: int) -> bool:
    """Whether the reference ``text[start:end]`` is a word of its own: no letter or
    digit touches it, directly or through the references beside it."""
    pos = start
    while pos > 0 and text[pos - 1] == ";":
        m = _ENDING.search(text, max(0, pos - 40), pos)
        if m is None or not real(m.group(0)):
            break
        pos = m.start()
    if pos > 0 and text[pos - 1].isalnum():
        return False
    pos = end
    while (m := REFERENCE.match(text, pos)) is not None and real(m.group(0)):
        pos = m.end()
    return not (pos < len(text) and text[pos].isalnum())


def kept_as_written(text: str, start: int, end: int, char: str) -> bool:
    """Whether a reference is markup kept as written rather than a letter of its word."""
    return not char.isalnum() or stands_alone(text, start, end)


def escape_references(text: str) -> str:
    """``&`` escaped (``\\&``) where Markdown would read a reference: nowhere else."""
    if "&" not in text:
        return text
    return REFERENCE.sub(lambda m: "\\" + m.group(0) if real(m.group(0)) else m.group(0), text)


def decode_references(text: str) -> str:
    """The references of Markdown text as the characters they stand for."""
    if "&" not in text:
        return text
    return REFERENCE.sub(lambda m: html.unescape(m.group(0)) if real(m.group(0)) else m.group(0), text)


def value_pieces(raw: str, plain: Callable[[str], list[Piece]], title: bool) -> list[Piece]:
    """A quoted value as written (a link title, ``title``; else an HTML attribute) as
    pieces: its text decoded for an engine, and each reference kept as written (a
    VOID piece read by its character), and in a title each backslash escape."""
    decode = decode_references if title else html.unescape
    out: list[Piece] = []
    pos = 0
    for m in (_TITLE_ATOMS if title else REFERENCE).finditer(raw):
        token = m.group(0)
        if token[0] == "\\":
            markup, char = "escape", token[1]
        else:
            char = html.unescape(token)
            if not real(token) or not kept_as_written(raw, m.start(), m.end(), char):
                continue
            markup = "entity"
        if m.start() > pos:
            out.extend(plain(decode(raw[pos : m.start()])))
        out.append(Piece(VOID, token, text=char, markup=markup))
        pos = m.end()
    if pos < len(raw) or not out:
        out.extend(plain(decode(raw[pos:])))
    return out
