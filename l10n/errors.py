"""The exception hierarchy: every error a user can cause, with its location."""

from __future__ import annotations

from pathlib import Path


class L10nError(Exception):
    """Base class of every error l10n reports to a user."""

    exit_code = 1

    def format(self) -> str:
        return str(self)


class ContentError(L10nError):
    """A content file cannot be read, parsed or written."""

    def __init__(self, path: str | Path | None, message: str, line: int | None = None):
        message = message.replace("\r", "\\r").replace("\n", "\\n")  # one line, always
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message

    def format(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self.format()


class EngineError(L10nError):
    """A translation engine is unknown, failed, or broke its contract."""


class ConfigError(L10nError):
    """The configuration (l10n.toml, Hugo config or options) is invalid."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None, hint: str = ""):
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        #: Lines that show how to fix it (printed under the error).
        self.hint = hint

    def format(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self.format()
