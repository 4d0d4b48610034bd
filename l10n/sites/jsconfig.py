"""A small, documented subset of JavaScript config files, read without Node: literal values by their key.

``docusaurus.config.js`` (and ``.ts``, ``.mjs``) is a program, not data; l10n
reads only what it needs from it, where it is written as a literal: an
object, array, string (quoted, or a template without ``${}``), number,
``true``/``false``/``null``, found by its key anywhere in the file (``i18n:
{defaultLocale: 'en', locales: ['en', 'es']}``), or through a ``const``
that holds such a literal (``i18n: i18n`` or ``i18n,``). Anything else
(``process.env.LOCALES``, a function call, a spread) is :class:`Unreadable`,
which the caller turns into an error naming the l10n.toml setting to use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError

__all__ = ["Unreadable", "find_value", "read_config", "text_of"]


@dataclass(frozen=True)
class Unreadable:
    """A value that is not a literal: where it is, and how it starts."""

    line: int
    text: str


_MISSING = object()
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_NUMBER = re.compile(r"-?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)")
_WORDS = {"true": True, "false": False, "null": None, "undefined": None}


def read_config(path: Path) -> tuple[str, str]:
    """A JavaScript config's text, and its code (``text_of``); a ConfigError when it cannot be read."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from None
    return source, text_of(source)


def text_of(source: str) -> str:
    """The file with comments and string contents blanked (same length, lines
    kept), so keys are searched only where code is."""
    out = list(source)
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            out[i:end] = " " * (end - i)
            i = end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out[i:end] = [ch if ch == "\n" else " " for ch in source[i:end]]
            i = end
        elif c in "'\"`":
            end = _string_end(source, i)
            out[i + 1 : end - 1] = [ch if ch == "\n" else " " for ch in source[i + 1 : end - 1]]
            i = end
        else:
            i += 1
    return "".join(out)


def _string_end(source: str, start: int) -> int:
    quote = source[start]
    i = start + 1
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == quote or (quote != "`" and source[i] == "\n"):
            return i + 1
        i += 1
    return len(source)


def find_value(source: str, key: str, code: str | None = None, kind: type | None = None) -> Any:
    """The literal value of the first property ``key`` (``key: value``; with ``kind``,
    the first whose value is of that type or unreadable), the value of the ``const``
    it names, an :class:`Unreadable`, or None when the file has no such property.
    ``code``: ``text_of(source)``, when known."""
    code = code if code is not None else text_of(source)
    pattern = re.compile(r"""(?<![\w$.])(?:%s|'%s'|"%s")\s*(:|,|\})""" % ((re.escape(key),) * 3))
    for m in pattern.finditer(code):
        if kind is not None:
            value = find_value(source[m.start():], key, code[m.start():])
            if isinstance(value, (kind, Unreadable)):
                return _shifted(value, source.count("\n", 0, m.start()))
            continue
        if m.group(1) == ":":
            value = _Reader(source, code, m.end()).value()
        else:  # shorthand: {i18n, ...}
            value = Unreadable(source.count("\n", 0, m.start()) + 1, key)
        if isinstance(value, Unreadable) and _IDENT.fullmatch(value.text):
            # a name: the const that holds the literal
            held = re.search(r"(?<![\w$.])(?:const|let|var)\s+%s\s*(?::[^=]*)?=" % re.escape(value.text), code)
            if held:
                found = _Reader(source, code, held.end()).value()
                if not isinstance(found, Unreadable):
                    return found
        return value
    return None


def _shifted(value: Any, lines: int) -> Any:
    """A value read from a slice of the file, its unreadable parts' lines counted from the file's start."""
    if isinstance(value, Unreadable):
        return Unreadable(value.line + lines, value.text)
    if isinstance(value, dict):
        return {k: _shifted(v, lines) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, lines) for v in value]
    return value


class _Reader:
    """A literal at a position: objects, arrays, strings, numbers, words."""

    def __init__(self, source: str, code: str, pos: int):
        self.source, self.code, self.pos = source, code, pos

    def skip(self) -> None:
        while self.pos < len(self.code) and self.code[self.pos].isspace():
            self.pos += 1

    def unreadable(self) -> Unreadable:
        line = self.source.count("\n", 0, self.pos) + 1
        end = self.source.find("\n", self.pos)
        return Unreadable(line, self.source[self.pos : end if end >= 0 else None].strip().rstrip(",")[:60])

    def value(self) -> Any:
        self.skip()
        if self.pos >= len(self.code):
            return self.unreadable()
        c = self.code[self.pos]
        start = self.pos
        if c == "(":  # ({ ... }) as the presets write it, or a call's result
            self.pos += 1
            inner = self.value()
            self.skip()
            if isinstance(inner, Unreadable) or not self.code.startswith(")", self.pos):
                self.pos = start
                return self.unreadable()
            self.pos += 1
            return self.ended(inner, start)
        if c == "{":
            return self.ended(self.object(), start)
        if c == "[":
            return self.ended(self.array(), start)
        if c in "'\"`":
            end = _string_end(self.source, self.pos)
            raw = self.source[self.pos + 1 : end - 1]
            if c == "`" and "${" in raw:
                return self.unreadable()
            self.pos = end
            return self.ended(_unescape(raw), start)
        m = _NUMBER.match(self.code, self.pos)
        if m:
            self.pos = m.end()
            text = m.group(0)
            return self.ended(int(text, 0) if re.fullmatch(r"-?\d+|-?0[xX][0-9a-fA-F]+", text) else float(text), start)
        m = _IDENT.match(self.code, self.pos)
        if m and m.group(0) in _WORDS:
            self.pos = m.end()
            return self.ended(_WORDS[m.group(0)], start)
        if m:
            self.pos = m.end()
            if self.ends():
                return Unreadable(self.source.count("\n", 0, start) + 1, m.group(0))
        self.pos = start
        return self.unreadable()

    def skip_expression(self) -> None:
        """Past an expression that is not a literal, to the `,` or bracket that ends it."""
        depth = 0
        while self.pos < len(self.code):
            c = self.code[self.pos]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                if depth == 0:
                    return
                depth -= 1
            elif c == "," and depth == 0:
                return
            elif c in "'\"`":
                self.pos = _string_end(self.code, self.pos)
                continue
            self.pos += 1

    def ends(self) -> bool:
        """Whether the value read so far is the whole value (a `,`, `}`, `]`, `)` or `;` follows)."""
        save = self.pos
        self.skip()
        done = self.pos >= len(self.code) or self.code[self.pos] in ",}]);" or self.code.startswith("as ", self.pos)
        self.pos = save
        return done

    def ended(self, value: Any, start: int) -> Any:
        if isinstance(value, Unreadable) or self.ends():
            return value
        self.pos = start  # `'a' + b`, `[...].map(f)`: an expression, not a literal
        return self.unreadable()

    def object(self) -> Any:
        self.pos += 1
        out: dict[str, Any] = {}
        while True:
            self.skip()
            if self.code.startswith("}", self.pos):
                self.pos += 1
                return out
            c = self.code[self.pos : self.pos + 1]
            if c in ("'", '"'):
                end = _string_end(self.source, self.pos)
                key = _unescape(self.source[self.pos + 1 : end - 1])
                self.pos = end
            else:
                m = _IDENT.match(self.code, self.pos) or _NUMBER.match(self.code, self.pos)
                if not m:
                    return self.unreadable()
                key = m.group(0)
                self.pos = m.end()
            self.skip()
            if not self.code.startswith(":", self.pos):
                return self.unreadable()  # shorthand, a method, a spread: not data
            self.pos += 1
            out[key] = self.value()
            if isinstance(out[key], Unreadable):
                self.skip_expression()
            self.skip()
            if self.code.startswith(",", self.pos):
                self.pos += 1
            elif not self.code.startswith("}", self.pos):
                return self.unreadable()

    def array(self) -> Any:
        self.pos += 1
        out: list[Any] = []
        while True:
            self.skip()
            if self.code.startswith("]", self.pos):
                self.pos += 1
                return out
            item = self.value()
            out.append(item)
            if isinstance(item, Unreadable):
                self.skip_expression()
            self.skip()
            if self.code.startswith(",", self.pos):
                self.pos += 1
            elif not self.code.startswith("]", self.pos):
                return self.unreadable()


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(raw: str) -> str:
    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)",
                  lambda m: _escape(m.group(1)), raw)


def _escape(seq: str) -> str:
    if seq.startswith("u{"):
        return chr(int(seq[2:-1], 16))
    if seq[0] in "ux" and len(seq) > 1:
        return chr(int(seq[1:], 16))
    if seq == "\n":
        return ""
    return _ESCAPES.get(seq, seq)
