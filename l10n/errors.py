"""Problems at a place: the exception hierarchy, and the one shape reports use.

Every error a user can cause is an :class:`L10nError` with a message and,
where known, the file and line; the command line turns it into one line and
an exit code. Reports that go on after a problem (one bad file among many)
collect :class:`Problem` records of the same fields, formatted the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: Control characters (terminal escapes, line breaks) and bidi overrides, which a
#: file name or a line of content could use to act on the terminal showing it.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match) -> str:
    code = ord(m.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, lines: bool = False) -> str:
    """``text`` with control characters and bidi overrides made visible (``\\x1b``,
    ``\\u202e``); ``lines``: tabs and line breaks stay (text shown as it is laid out)."""
    return (_UNSAFE_IN_LINES if lines else _UNSAFE).sub(_visible, text)


def where(path: str | Path | None, line: int | None = None) -> str:
    """``path:line``, the way every problem names its place."""
    text = safe(str(path)) if path is not None else "<input>"
    return text if line is None else f"{text}:{line}"


@dataclass(frozen=True)
class Problem:
    """Something wrong, or worth a look, at one place: what every report lists."""

    path: str | None
    line: int | None
    message: str
    severity: str = "error"

    def format(self) -> str:
        return f"{where(self.path, self.line)}: {self.severity}: {safe(self.message)}"

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "severity": self.severity, "message": self.message}


#: The longest message an error carries (characters).
MAX_MESSAGE = 400


class L10nError(Exception):
    """Base class of every error l10n reports to a user."""

    exit_code = 1

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None, hint: str = ""):
        message = message.replace("\r", "\\r").replace("\n", "\\n")  # one line, always
        if len(message) > MAX_MESSAGE:  # never more than a line of whatever input it quotes
            message = message[: MAX_MESSAGE - 1] + "…"
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        #: Lines that show how to fix it (printed under the error).
        self.hint = hint

    def format(self) -> str:
        if self.path is None:
            return safe(self.message)
        return f"{where(self.path, self.line)}: {safe(self.message)}"

    def problem(self, path: str | None = None) -> Problem:
        """This error as a report's problem, at ``path`` (as shown) if given."""
        return Problem(path if path is not None else self.path, self.line, self.message)

    def __str__(self) -> str:
        return self.format()


class ContentError(L10nError):
    """A content file cannot be read, parsed or written."""


class EngineError(L10nError):
    """A translation engine is unknown, failed, or broke its contract."""


class RefusedError(EngineError):
    """An engine refuses the run itself (a server answering 401, 403 or 404): no other
    file would fare better, so the run stops at once."""


class ConfigError(L10nError):
    """The configuration (l10n.toml, Hugo config or options) is invalid."""

    exit_code = 2
