"""Site settings: ``l10n.toml`` at the site root, with defaults read from Hugo's config.

Without any file the defaults serve a Hugo site: sources in English under
``content/``, sibling files ``post.<lang>.md``.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import langs
from .errors import ConfigError
from .markdown import DEFAULT_KEYS, DEFAULT_PARAMS, DEFAULT_VERBATIM, Options

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAME = "l10n.toml"
HUGO_NAMES = tuple(f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json"))
LAYOUTS = ("suffix", "dir")


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know about the site."""

    root: Path
    content: str = "content"
    source: str | None = None
    targets: tuple[str, ...] = ()
    layout: str = "suffix"
    engine: str = ""
    #: Settings for engines ([argos] in l10n.toml: beam_size, device, ...).
    engine_options: tuple[tuple[str, Any], ...] = ()
    keys: tuple[str, ...] = DEFAULT_KEYS
    lang_field: str = "lang"
    translations_field: str = "translations"
    maintain: bool = True
    shortcode_params: tuple[str, ...] = DEFAULT_PARAMS
    verbatim_shortcodes: tuple[str, ...] = DEFAULT_VERBATIM
    terms: tuple[str, ...] = ()
    #: Forced translations: (language, ((term, translation), ...)), ...
    glossary: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    math: bool = True
    #: Where the settings came from, for messages.
    files: tuple[str, ...] = field(default_factory=tuple)

    @property
    def state_dir(self) -> Path:
        return self.root / ".l10n"

    @property
    def engine_name(self) -> str:
        """--engine, else l10n.toml, else $L10N_ENGINE, else argos."""
        from .engines import DEFAULT

        return self.engine or os.environ.get("L10N_ENGINE") or DEFAULT

    def markdown_options(self) -> Options:
        fields = (self.lang_field, self.translations_field) if self.maintain else (self.lang_field,)
        return Options(
            keys=self.keys,
            fields=fields,
            shortcode_params=self.shortcode_params,
            verbatim_shortcodes=self.verbatim_shortcodes,
            terms=self.terms + tuple(sorted({term for _lang, entries in self.glossary for term, _t in entries})),
            math=self.math,
        )

    def with_options(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def find_root(start: Path) -> Path:
    """The site root: the nearest folder at or above ``start`` holding l10n.toml,
    a Hugo config or a .l10n folder; without any, the parent of a ``content``
    folder, else the top of the git repository, else ``start`` itself. Never the
    working folder: the same content always finds the same provenance."""
    start = Path(os.path.abspath(start))
    here = start if start.is_dir() else start.parent
    folders = (here, *here.parents)
    for folder in folders:
        if (folder / CONFIG_NAME).is_file() or any((folder / n).is_file() for n in HUGO_NAMES) or (folder / ".l10n").is_dir():
            return folder
    # no settings anywhere: the folder holding content/, else the repository, else here
    for folder in folders:
        if folder.name == "content":
            return folder.parent
    for folder in folders:
        if (folder / ".git").exists():
            return folder
    return here


def load(root: Path) -> Config:
    """The settings of the site at ``root``: Hugo's config, then l10n.toml over it."""
    values: dict[str, Any] = {}
    files: list[str] = []
    hugo = next((root / n for n in HUGO_NAMES if (root / n).is_file()), None)
    if hugo is not None:
        values.update(_from_hugo(hugo))
        files.append(hugo.name)
    own = root / CONFIG_NAME
    if own.is_file():
        values.update(_from_l10n(own))
        files.append(own.name)
    return Config(root=root, files=tuple(files), **values)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from None
    try:
        if path.suffix == ".toml":
            return tomllib.loads(text)
        if path.suffix == ".json":
            return json.loads(text)
        import yaml

        data = yaml.safe_load(text)
        return data if isinstance(data, dict) else {}
    except Exception as exc:  # every parser's own error type: one message
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise ConfigError(f"invalid configuration: {str(exc).splitlines()[0]}", path, line + 1 if line is not None else None) from None


def _from_hugo(path: Path) -> dict[str, Any]:
    data = {k.lower(): v for k, v in _read(path).items()}
    out: dict[str, Any] = {}
    default = data.get("defaultcontentlanguage")
    if isinstance(default, str) and langs.is_code(langs.normalize(default)):
        out["source"] = langs.normalize(default)
    languages = data.get("languages")
    if isinstance(languages, dict):
        codes = [langs.normalize(k) for k in languages if langs.is_code(langs.normalize(str(k)))]
        source = out.get("source") or (codes[0] if codes else None)
        if source:
            out["source"] = source
            out["targets"] = tuple(c for c in codes if c != source)
    content_dir = data.get("contentdir")
    if isinstance(content_dir, str) and content_dir:
        out["content"] = content_dir
    return out


_KEYS = {
    "source": str,
    "targets": list,
    "layout": str,
    "engine": str,
    "content": str,
}
_SECTIONS = {
    "front_matter": {"keys": list, "lang_field": str, "translations_field": str, "maintain": bool},
    "markdown": {"shortcode_params": list, "verbatim_shortcodes": list, "do_not_translate": list, "math": bool},
    "argos": {"beam_size": int, "device": str, "compute_type": str, "inter_threads": int, "intra_threads": int,
              "max_batch_tokens": int, "models_dir": str},
}


def _from_l10n(path: Path) -> dict[str, Any]:
    data = _read(path)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "glossary":
            out["glossary"] = _glossary(value, path)
            continue
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"[{key}] must be a table", path)
            for sub, subvalue in value.items():
                kind = _SECTIONS[key].get(sub)
                if kind is None:
                    raise ConfigError(f"unknown setting {key}.{sub}", path)
                _check_type(f"{key}.{sub}", subvalue, kind, path)
                if key == "argos":
                    if sub == "models_dir":
                        subvalue = str((path.parent / subvalue).resolve())
                    out["engine_options"] = out.get("engine_options", ()) + ((sub, subvalue),)
                    continue
                name = "terms" if sub == "do_not_translate" else sub
                out[name] = tuple(str(v) for v in subvalue) if kind is list else subvalue
            continue
        kind = _KEYS.get(key)
        if kind is None:
            raise ConfigError(f"unknown setting {key!r}", path)
        _check_type(key, value, kind, path)
        out[key] = value
    if "source" in out:
        out["source"] = _lang(out["source"], path)
    if "targets" in out:
        out["targets"] = tuple(_lang(v, path) for v in out["targets"])
    if "layout" in out and out["layout"] not in LAYOUTS:
        raise ConfigError(f"layout must be one of {', '.join(LAYOUTS)}, not {out['layout']!r}", path)
    return out


def _glossary(value: Any, path: Path) -> tuple:
    """[glossary.es] "pull request" = "solicitud de cambios" -> (("es", (("pull request", ...),)),)"""
    if not isinstance(value, dict):
        raise ConfigError("[glossary] must hold one table per language: [glossary.es]", path)
    out = []
    for lang, entries in sorted(value.items()):
        code = _lang(lang, path)
        if not isinstance(entries, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in entries.items()):
            raise ConfigError(f"[glossary.{lang}] must map terms to their translations (strings)", path)
        out.append((code, tuple(sorted(entries.items()))))
    return tuple(out)


def _check_type(key: str, value: Any, kind: type, path: Path) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)) or (kind is list and not all(isinstance(v, str) for v in value)):
        expected = {list: "a list of strings", str: "a string", bool: "true or false", int: "a whole number"}[kind]
        raise ConfigError(f"{key} must be {expected}", path)


def _lang(value: Any, path: Path) -> str:
    try:
        return langs.check(str(value))
    except ConfigError as exc:
        raise ConfigError(exc.message, path) from None
