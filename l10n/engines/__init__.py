"""Translation engines: the protocol, and finding engines by name.

An engine is any object with ``translate_batch(texts, source, target)``: plain
text in, plain text out, one output per input. Engines are registered under
the entry-point group ``l10n.engines`` (name -> class taking no required
arguments), so other packages can add their own.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points
from typing import Protocol, Sequence, runtime_checkable

from ..errors import ConfigError, EngineError

GROUP = "l10n.engines"

#: Engines that ship with l10n, found even when the package is not installed
#: (running from a source checkout).
BUILTIN = {
    "argos": "l10n.engines.argos:ArgosEngine",
    "copy": "l10n.engines.basic:CopyEngine",
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
    for ep in entry_points(group=GROUP):
        found[ep.name] = ep.value
    return dict(sorted(found.items()))


def load(name: str, **options) -> Engine:
    """The engine registered as ``name``, constructed."""
    target = available().get(name)
    if target is None:
        known = ", ".join(available())
        raise ConfigError(f"unknown engine {name!r} (available: {known})")
    module, _, attr = target.partition(":")
    try:
        cls = getattr(import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise EngineError(f"engine {name!r} cannot be loaded from {target}: {exc}") from None
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
