"""l10n: offline translation and localisation of static-site content."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "parse", "run_translate"]


def __getattr__(name: str):
    # the public API, imported on first use so that `import l10n` stays light
    if name == "parse":
        from .markdown import parse

        return parse
    if name == "run_translate":
        from .commands.translate import run_translate

        return run_translate
    raise AttributeError(name)
