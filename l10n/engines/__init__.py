"""Translation engines: the protocol, and finding engines by name.

An engine is any object with ``translate_batch(texts, source, target)``: plain
text in, plain text out, one output per input. Engines are registered under
the entry-point group ``l10n.engines`` (name -> class taking no required
arguments), so other packages can add their own.
"""

from __future__ import annotations

import functools
import sys
from importlib import import_module
from importlib.metadata import entry_points
from typing import Protocol, Sequence, runtime_checkable

from ..errors import ConfigError, EngineError

GROUP = "l10n.engines"

#: Engines that ship with l10n, found even when the package is not installed
#: (running from a source checkout).
BUILTIN = {
    "apertium": "l10n.engines.apertium:ApertiumEngine",
    "argos": "l10n.engines.argos:ArgosEngine",
    "copy": "l10n.engines.basic:CopyEngine",
    "libretranslate": "l10n.engines.libretranslate:LibreTranslateEngine",
    "openai": "l10n.engines.openai:OpenAIEngine",
    "pseudo": "l10n.engines.basic:PseudoEngine",
}
#: The engine used when neither --engine, l10n.toml nor L10N_ENGINE names one.
DEFAULT = "argos"


@runtime_checkable
class Engine(Protocol):
    """What l10n needs of a translation engine."""

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate every text from ``source`` into ``target``, in order."""
        ...


def available() -> dict[str, str]:
    """Engine names and where they come from (``module:Class``)."""
    found = dict(BUILTIN)
    found.update(_registered(tuple(sys.path)))
    return dict(sorted(found.items()))


@functools.lru_cache(maxsize=4)
def _registered(path: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The installed packages' engines, read once a process and search path (reading
    every package's entry points takes milliseconds: once a file, it was most of a
    no-op build's time on a large site)."""
    return tuple((ep.name, ep.value) for ep in entry_points(group=GROUP))


def engine_class(name: str) -> type:
    """The class registered as ``name``, not constructed (nothing is loaded)."""
    target = available().get(name)
    if target is None:
        known = ", ".join(available())
        raise ConfigError(f"unknown engine {name!r} (available: {known}; l10n engines describes them)")
    module, _, attr = target.partition(":")
    try:
        return getattr(import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise EngineError(f"engine {name!r} cannot be loaded from {target}: {exc}") from None


def describe(name: str) -> str:
    """An engine's one-line description: the first line of its class's docstring."""
    try:
        doc = engine_class(name).__doc__ or ""
    except (ConfigError, EngineError) as exc:
        return f"(cannot be loaded: {exc})"
    return doc.strip().split("\n", 1)[0].strip()


def speaks(name: str) -> bool:
    """Whether an engine's output is text in its target language, for language
    detection to judge (pseudo-localisation is in no language: ``detectable = False``)."""
    try:
        return bool(getattr(engine_class(name.split(":", 1)[0]), "detectable", True))
    except (ConfigError, EngineError):
        return True


def check_pairs(engine: Engine, pairs: Sequence[tuple[str, str]]) -> None:
    """Before any work: every language pair the run needs can be translated.

    An engine that knows (``check_pair(source, target)`` raising EngineError)
    says so here, and the run stops with a usage error that names the ways out."""
    check = getattr(engine, "check_pair", None)
    if check is None:
        return
    for source, target in pairs:
        try:
            check(source, target)
        except EngineError as exc:
            raise ConfigError(f"{exc}; or try the run with --engine pseudo (pseudo-localisation) "
                              "or --engine copy (stubs for people to translate)") from None


def options_for(name: str, options: Sequence[tuple[str, object]] | dict) -> dict:
    """The settings that go to engine ``name``: those of its own section
    (``openai.url`` for openai), and the unscoped ones ([argos], [apertium])."""
    items = options.items() if isinstance(options, dict) else options
    out = {}
    for key, value in items:
        section, dot, sub = key.partition(".")
        if not dot:
            out.setdefault(key, value)
        elif section == name:
            out[sub] = value
    return out


def load(name: str, **options) -> Engine:
    """The engine registered as ``name``, constructed."""
    cls = engine_class(name)
    accepted = _accepted(cls, options)
    try:
        engine = cls(**accepted)
    except TypeError as exc:
        raise EngineError(f"engine {name!r} cannot be created: {exc}") from None
    if not callable(getattr(engine, "translate_batch", None)):
        raise EngineError(f"engine {name!r} has no translate_batch() method")
    return engine


def _accepted(cls, options: dict) -> dict:
    """The settings an engine's constructor takes (others are for other engines)."""
    import inspect

    try:
        params = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return {}
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return {k: v for k, v in options.items() if v is not None}
    return {k: v for k, v in options.items() if k in params and v is not None}


def identity(engine: Engine, name: str) -> str:
    """What produced a translation, for provenance and the translation memory."""
    model = getattr(engine, "model", None)
    return f"{name}:{model}" if model else name
