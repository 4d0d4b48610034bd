"""Which engine each target language is translated with, and what a translation is made under.

A language's engine is ``--engine`` (for every language, this run only), else
``$L10N_ENGINE``, else its own in l10n.toml (``[languages.fr] engine``), else
the site's ``engine``, else argos; its settings are the site's engine tables
with the language's own over them. Each engine is opened once, and each
language's pairs are checked before any work: a language no engine can serve
is left out of the run with its reason, and the others go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from . import engines
from .config import Config
from .errors import ConfigError, EngineError
from .write import digest


@dataclass
class Chosen:
    """The engines of a run, by target language (site keys)."""

    #: language -> (engine, what provenance calls it: ``name:model``)
    by_lang: dict[str, tuple[engines.Engine, str]] = field(default_factory=dict)
    #: languages left out, and why (no engine can serve them here)
    unusable: dict[str, ConfigError] = field(default_factory=dict)
    #: --engine: one engine chosen for this run only, over the site's
    one_off: bool = False

    @property
    def engines(self) -> list[engines.Engine]:
        """Each engine once (languages may share one)."""
        return list({id(e): e for e, _id in self.by_lang.values()}.values())

    def describe(self) -> str:
        """The engines as a run's summary names them: ``pseudo``, or ``apertium (es), copy (fr)``."""
        names = {lang: ident for lang, (_e, ident) in self.by_lang.items()}
        if len(set(names.values())) <= 1:
            return next(iter(names.values()), "")
        return ", ".join(f"{ident} ({lang})" for lang, ident in names.items())


def choose_engines(cfg: Config, targets: Sequence[str], source: str | None = None,
                   engine_options: dict | None = None, check: bool = True) -> Chosen:
    """Open every target language's engine (each once) and check its pairs (``check``:
    a dry run translates nothing, so it needs no model)."""
    chosen = Chosen(one_off=bool(cfg.cli_engine))
    opened: dict[tuple, engines.Engine] = {}
    src = cfg.code(source or cfg.source_key)
    for lang in targets:
        name = cfg.engine_for(lang)
        settings = engines.options_for(name, cfg.engine_options_for(lang))
        settings.update({k: v for k, v in (engine_options or {}).items() if v is not None})
        # what an engine that reads instructions (an LLM) is told; the others take no such setting
        settings.setdefault("terms", tuple(cfg.terms_for(lang)))
        settings.setdefault("glossary", {cfg.code(lang): cfg.glossary_for(lang)})
        key = (name, repr(sorted(settings.items(), key=lambda kv: kv[0])))
        try:
            engine = opened.get(key)
            if engine is None:
                engine = opened[key] = engines.load(name, **settings)
            if check and cfg.code(lang) != src:  # the site's source (an article may be in another language)
                engines.check_pairs(engine, [(src, cfg.code(lang))])
        except ConfigError as exc:
            chosen.unusable[lang] = ConfigError(f"{lang}: {exc.message}", exc.path, exc.line, exc.hint)
            continue
        except EngineError as exc:
            chosen.unusable[lang] = ConfigError(f"{lang}: {exc.message}")
            continue
        chosen.by_lang[lang] = (engine, engines.identity(engine, name))
    return chosen


def settings_id(cfg: Config, lang: str, options: Any) -> str:
    """What else decides a translation into ``lang`` (how pages are read, its glossary):
    a change remakes that language's machine translations, no other's."""
    return digest(repr((options, sorted(cfg.glossary_for(lang).items()))))
