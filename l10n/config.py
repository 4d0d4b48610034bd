"""Site settings: ``l10n.toml`` at the site root, over what the site generator's own config says (``sites/``).

Without any file the defaults serve a Hugo site: sources in English under
``content/``, sibling files ``post.<lang>.md``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

from . import langs, sites
from .engines import DEFAULT
from .errors import ConfigError
from .write import write_atomic
from .markdown import (
    DEFAULT_ATTRIBUTES,
    DEFAULT_KEYS,
    DEFAULT_PARAMS,
    DEFAULT_VERBATIM,
    Options,
)

CONFIG_NAME = "l10n.toml"
HUGO_NAMES = sites.hugo.NAMES
LAYOUTS = ("suffix", "dir")
Language = sites.Language
Tree = sites.Tree
read = sites.read_settings


@dataclass(frozen=True)
class LanguageSettings:
    """What one language does its own way (``[languages.fr]`` in l10n.toml)."""

    #: Its engine, over the site's (``engine``).
    engine: str = ""
    #: Settings for its engines, over the site's ([languages.fr.openai] url = ...).
    engine_options: tuple[tuple[str, Any], ...] = ()
    #: Its own do-not-translate terms, beside the site's.
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know about the site."""

    root: Path
    content: str = "content"
    #: The source language's key.
    source: str | None = None
    #: Target languages' keys.
    targets: tuple[str, ...] = ()
    #: The languages the site's config defines (none: any language code is one).
    languages: tuple[Language, ...] = ()
    #: The site generator (``hugo``, ``docusaurus``, ``mkdocs``; "" without one), and its config file's name.
    generator: str = ""
    site_config: str | None = None
    layout: str = "suffix"
    #: Sources whose translations mirror their folder elsewhere (Docusaurus's
    #: i18n/<locale>/..., Hugo's contentDir per language): then no layout applies.
    trees: tuple[Tree, ...] = ()
    #: The Markdown of the site's pages: "hugo" (shortcodes), "mdx", "mdx-detect"
    #: (.mdx files MDX, .md CommonMark), "commonmark", "python-markdown".
    dialect: str = "hugo"
    #: The file names of pages.
    extensions: tuple[str, ...] = (".md", ".markdown")
    #: Python-Markdown's enabled extensions (MkDocs's markdown_extensions).
    markdown_extensions: tuple[str, ...] = ()
    #: Where the site's UI strings live: "hugo" (i18n/<lang>.yaml), "docusaurus", "mkdocs".
    ui: str = "hugo"
    engine: str = ""
    #: An engine that scores translations its engine gave no confidence for ("argos"), or "".
    scorer: str = ""
    #: Settings for engines ([argos] in l10n.toml: beam_size, device, ...).
    engine_options: tuple[tuple[str, Any], ...] = ()
    keys: tuple[str, ...] = DEFAULT_KEYS
    lang_field: str = "lang"
    translations_field: str = "translations"
    maintain: bool = True
    shortcode_params: tuple[str, ...] = DEFAULT_PARAMS
    #: [shortcodes.NAME] translate = [...]: ((name, (param, ...)), ...)
    shortcode_translate: tuple[tuple[str, tuple[str, ...]], ...] = ()
    verbatim_shortcodes: tuple[str, ...] = DEFAULT_VERBATIM
    html_attributes: tuple[str, ...] = DEFAULT_ATTRIBUTES
    terms: tuple[str, ...] = ()
    #: Forced translations: (language, ((term, translation), ...)), ...
    glossary: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    math: bool = True
    #: "keep": translated headings keep their source's ids (the default with a
    #: Hugo config); "translate": ids follow the translated text.
    anchors: str = ""
    #: How the site makes heading ids (Hugo's markup.goldmark.parser.autoHeadingIDType,
    #: "github-slugger", "python-markdown"; "" when it makes none or l10n cannot tell),
    #: and how a page states one: "attr" ({#id}), "mdx-comment" ({/* #id */}), "" (it cannot).
    heading_ids: str = "github"
    id_syntax: str = "attr"
    #: Content outside the site root may be read and written (never by default).
    write_outside_site: bool = False
    #: Pages still in the source language (copy's stubs) may be published: status --check
    #: and build do not fail on them.
    allow_untranslated: bool = False
    #: Where the settings came from, for messages.
    files: tuple[str, ...] = field(default_factory=tuple)
    #: [languages.fr]: what each language does its own way, by key.
    per_language: tuple[tuple[str, LanguageSettings], ...] = ()
    #: --engine: one engine for every language, for this run only.
    cli_engine: str = ""

    @property
    def state_dir(self) -> Path:
        return self.root / ".l10n"

    @property
    def engine_name(self) -> str:
        """The site's engine: --engine, else $L10N_ENGINE, else l10n.toml, else argos."""
        return self.engine_for(None)

    def settings_of(self, lang: str | None) -> LanguageSettings:
        return dict(self.per_language).get(lang, LanguageSettings()) if lang else LanguageSettings()

    def engine_for(self, lang: str | None) -> str:
        """A language's engine: --engine, else $L10N_ENGINE, else its own in l10n.toml
        ([languages.fr] engine), else the site's, else argos."""
        return (self.cli_engine or os.environ.get("L10N_ENGINE") or self.settings_of(lang).engine or self.engine
                or DEFAULT)

    def configured_engine(self, lang: str | None) -> str:
        """A language's engine as the site configures it (no one-off --engine)."""
        return os.environ.get("L10N_ENGINE") or self.settings_of(lang).engine or self.engine or DEFAULT

    def engine_options_for(self, lang: str | None) -> tuple[tuple[str, Any], ...]:
        """The engines' settings for a language: the site's, then its own over them."""
        return self.engine_options + self.settings_of(lang).engine_options

    def terms_for(self, lang: str | None) -> tuple[str, ...]:
        """The do-not-translate terms in a language: the site's and its own."""
        return self.terms + tuple(t for t in self.settings_of(lang).terms if t not in self.terms)

    def glossary_for(self, lang: str | None) -> dict[str, str]:
        return dict(dict(self.glossary).get(lang, ())) if lang else {}

    def markdown_options(self, lang: str | None = None) -> Options:
        """How pages are read; for a target language, its own terms and glossary terms are
        protected too (another language's glossary changes nothing here)."""
        fields = (self.lang_field, self.translations_field) if self.maintain else (self.lang_field,)
        terms = self.terms_for(lang)
        return Options(
            keys=self.keys,
            fields=fields,
            shortcode_params=self.shortcode_params,
            shortcode_translate=self.shortcode_translate,
            verbatim_shortcodes=self.verbatim_shortcodes,
            html_attributes=self.html_attributes,
            terms=terms + tuple(sorted(t for t in self.glossary_for(lang) if t not in terms)),
            math=self.math,
            heading_ids=self.heading_ids,
            keep_ids=self.keeps_ids,
            dialect=self.dialect,
            id_syntax=self.id_syntax,
            extensions=self.markdown_extensions,
        )

    @property
    def keeps_ids(self) -> bool:
        """Whether translated headings keep their source's ids: ``anchors``, else yes
        on a generator's site that makes ids and reads a stated one (``{#id}``)."""
        mode = self.anchors or ("keep" if self.site_config else "translate")
        return mode == "keep" and bool(self.heading_ids) and bool(self.id_syntax)

    def content_roots(self) -> list[str]:
        """The folders sources are in, relative to the root: the content folder,
        or each tree's that exists (Docusaurus's docs, blog, src/pages)."""
        if not self.trees:
            return [self.content]
        found = [tree.source for tree in self.trees if (self.root / tree.source).is_dir()]
        return found or [self.trees[0].source]

    def check_layout(self) -> None:
        """The folder layout on a Hugo site needs each language's contentDir: a
        ConfigError printing the lines to add when the config lacks them."""
        if self.layout == "dir" and self.generator == "hugo" and not self.trees and self.site_config:
            sites.hugo.require_content_dirs(self.root / self.site_config, self.root, self.content, self.languages,
                                            self.source_key, self.targets)

    def with_options(self, **changes: Any) -> Config:
        """The settings with a run's options over them (``engine``: --engine, for every language)."""
        if changes.get("engine") is not None:
            changes["cli_engine"] = changes.pop("engine")
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    # -- languages -------------------------------------------------------------

    @property
    def source_key(self) -> str:
        return self.source or "en"

    def keys_known(self) -> set[str]:
        """The language keys file names and folders are read with (empty: any code)."""
        return {lang.key for lang in self.languages}

    def language(self, name: str, what: str = "language") -> Language:
        """The site's language that ``name`` (a key or a code) names; a site
        with a Hugo config defines its languages, and naming another is an error
        that says what to add."""
        text = str(name).strip()
        if self.site_config is not None:
            defined = self.languages or (Language(self.source_key, self.source_key),)
            for lang in defined:
                if text.lower() == lang.key.lower():
                    return lang
            for lang in defined:
                if langs.normalize(text) == lang.code:
                    return lang
            code = langs.validate(text, what)  # an unknown code: say so first, with suggestions
            keys = ", ".join(lang.key for lang in defined)
            # es-es on a site of es: perhaps the site's own
            near = [lang.key for lang in defined if langs.same_language(lang.code, code)]
            meant = f"did you mean {' or '.join(near)}? Else add " if near else "add "
            where = "the Hugo config" if self.generator == "hugo" else self.site_config
            raise ConfigError(
                f"{code} is not a language of this site (it has {keys}); {meant}it to {where}",
                self.root / self.site_config,
                hint=sites.by_name(self.generator).declare(self.root / self.site_config, code, self.languages,
                                                           self.source_key),
            )
        code = langs.validate(text, what)
        return Language(code, code)

    def code(self, key: str) -> str:
        """The language code of a site key (a key that is no site language is a code)."""
        for lang in self.languages:
            if lang.key == key:
                return lang.code
        return langs.normalize(key)

    def key(self, name: str) -> str:
        """The site key for a language as a file declares it (``lang: pt-BR``) or
        detection names it (``pt``): a key, else the language whose code it is,
        else the one language of its kind; else the code itself."""
        text = str(name).strip()
        norm = langs.normalize(text)
        for lang in self.languages:
            if text.lower() == lang.key.lower() or norm == lang.code:
                return lang.key
        same = [lang.key for lang in self.languages if langs.same_language(lang.code, norm)]
        return same[0] if len(same) == 1 else norm

    def resolve_targets(self, to: str | Sequence[str] | None = None) -> list[str]:
        """The target languages' keys: ``to`` (keys or codes), else the site's.
        None, an unknown one, or the source language is a ConfigError."""
        names = [t for t in (to.split(",") if isinstance(to, str) else list(to or ())) if str(t).strip()]
        if not names:
            names = list(self.targets)
        if not names:
            raise ConfigError("no target language: give --to LANG, set targets in l10n.toml or languages in the site's config")
        keys: list[str] = []
        for name in names:
            key = self.language(name).key
            if key == self.source:  # a source the site states (articles may still say otherwise)
                raise ConfigError(f"{name} is the source language of this site; give another with --to")
            if key not in keys:
                keys.append(key)
        return keys


def find_root(start: Path) -> Path:
    """The site root: the nearest folder at or above ``start`` holding l10n.toml,
    a site generator's config or a .l10n folder; without any, the parent of a ``content``
    folder, else the top of the git repository, else ``start`` itself. Never the
    working folder: the same content always finds the same provenance."""
    start = Path(os.path.abspath(start))
    here = start if start.is_dir() else start.parent
    folders = (here, *here.parents)
    names = (CONFIG_NAME, *sites.config_names())
    for folder in folders:
        if any((folder / n).is_file() for n in names) or (folder / ".l10n").is_dir():
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
    """The settings of the site at ``root``: its generator's config, then l10n.toml over it."""
    values: dict[str, Any] = {}
    files: list[str] = []
    found = sites.recognise(root)
    if found is not None:
        generator, path = found
        values.update(generator.read(path))
        files.append(path.name)
    own = root / CONFIG_NAME
    mine: dict[str, Any] = {}
    if own.is_file():
        mine = _from_l10n(own)
        files.append(own.name)
    for setting, message in values.pop("unreadable", ()):
        if not all(name in mine for name in setting.split("/")):
            raise ConfigError(message)
        if setting == "source/targets":  # l10n.toml names the languages the config could not tell
            values["languages"] = tuple(Language(str(x), langs.normalize(str(x))) for x in (mine["source"], *mine["targets"]))
    if values.get("trees") and ("content" in mine and mine["content"] != values.get("content") or mine.get("layout") == "suffix"):
        values.pop("trees")  # l10n.toml says where sources and translations are instead
    values.update(mine)
    cfg = Config(root=root, files=tuple(files), **values)
    # l10n.toml may name the site's languages by key or by code: keys from here on
    return replace(cfg, source=cfg.key(cfg.source) if cfg.source else None,
                   glossary=tuple((cfg.key(lang), entries) for lang, entries in cfg.glossary),
                   per_language=tuple((cfg.key(lang), settings) for lang, settings in cfg.per_language))


_KEYS = {
    "source": str,
    "targets": list,
    "layout": str,
    "engine": str,
    "scorer": str,
    "content": str,
    "anchors": str,
    "write_outside_site": bool,
    "allow_untranslated": bool,
}
_SECTIONS = {
    "front_matter": {"keys": list, "lang_field": str, "translations_field": str, "maintain": bool},
    "markdown": {"shortcode_params": list, "verbatim_shortcodes": list, "html_attributes": list, "do_not_translate": list,
                 "math": bool},
    "argos": {"beam_size": int, "device": str, "compute_type": str, "inter_threads": int, "intra_threads": int,
              "max_batch_tokens": int, "models_dir": str},
    "apertium": {"modes_dir": str},
    "libretranslate": {"url": str, "key_env": str, "concurrency": int, "timeout": int, "retries": int},
    "openai": {"url": str, "model": str, "key_env": str, "concurrency": int, "timeout": int, "retries": int,
               "seed": int, "batch": int, "max_tokens": int, "logprobs": bool},
}
#: Sections whose settings go to the engines (each takes the ones its constructor names).
_ENGINE_SECTIONS = {"argos", "apertium", "libretranslate", "openai"}
#: Engine sections whose settings are the engine's alone (both have a url).
_SCOPED = {"libretranslate", "openai"}
#: Settings that name a folder, relative to the site root when not absolute.
_FOLDERS = {"models_dir", "modes_dir"}
#: The variables l10n.toml may name for a server's key (key_env): those whose name says
#: they hold an API key. A committed file naming any other (MY_CI_SECRET, GITHUB_TOKEN)
#: could send a secret to a server; the user names those in the environment instead.
_KEY_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*_API_KEY")


def remember(root: Path, key: str, value: str) -> bool:
    """Set ``key = "value"`` in the site's l10n.toml (made if need be), every other
    line kept: how a layout chosen on the command line is remembered. Whether it changed."""
    path = root / CONFIG_NAME
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    line = f'{key} = "{value}"'
    pattern = re.compile(rf"^{re.escape(key)}[ \t]*=.*$", re.MULTILINE)
    top = re.search(r"^\[", text, re.MULTILINE)  # before the first table: a top-level key
    if pattern.search(text[: top.start() if top else len(text)]):
        new = pattern.sub(line, text, count=1)
    else:
        new = line + "\n" + text
    return write_atomic(path, new.encode("utf-8"), root)


def _from_l10n(path: Path) -> dict[str, Any]:
    data = read(path)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "glossary":
            out["glossary"] = _glossary(value, path)
            continue
        if key == "shortcodes":
            out["shortcode_translate"] = _shortcode_tables(value, path)
            continue
        if key == "languages":
            out["per_language"] = _languages(value, path)
            continue
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"[{key}] must be a table", path)
            for sub, subvalue in value.items():
                kind = _SECTIONS[key].get(sub)
                if kind is None:
                    raise ConfigError(f"unknown setting {key}.{sub}", path)
                _check_type(f"{key}.{sub}", subvalue, kind, path)
                if key in _ENGINE_SECTIONS:
                    out["engine_options"] = out.get("engine_options", ()) + (_engine_setting(key, sub, subvalue, path),)
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
        out["targets"] = tuple(str(v).strip() for v in out["targets"])  # keys or codes, resolved against the site
    if "anchors" in out and out["anchors"] not in ("keep", "translate"):
        raise ConfigError(f"anchors must be \"keep\" or \"translate\", not {out['anchors']!r}", path)
    if "layout" in out and out["layout"] not in LAYOUTS:
        raise ConfigError(f"layout must be one of {', '.join(LAYOUTS)}, not {out['layout']!r}", path)
    return out


def _engine_setting(section: str, sub: str, value: Any, path: Path, where: str = "") -> tuple[str, Any]:
    """One engine setting as the engines take it: ``openai.url`` for a server's, a
    folder relative to the site root, a key's variable only if it says it is one."""
    if sub == "key_env" and not _KEY_VARIABLE.fullmatch(value):
        raise ConfigError(f"[{where}{section}] key_env = {value!r}: l10n.toml may name only a variable ending in "
                          f"_API_KEY (any other could hold a secret not meant for this server); "
                          f"to use it, set L10N_{section.upper()}_KEY_ENV={value} in the environment", path)
    if sub in _FOLDERS:
        value = str((path.parent / value).resolve())
    return (f"{section}.{sub}" if section in _SCOPED else sub), value


def _languages(value: Any, path: Path) -> tuple:
    """[languages.fr] engine = "copy", do_not_translate = [...], and engine tables
    ([languages.fr.openai] url = ...): what each language does its own way."""
    if not isinstance(value, dict):
        raise ConfigError("[languages] must hold one table per language: [languages.fr]", path)
    out = []
    for lang, table in sorted(value.items()):
        code = _lang(lang, path)
        if not isinstance(table, dict):
            raise ConfigError(f"[languages.{lang}] must be a table: engine = \"copy\"", path)
        engine, terms, options = "", (), ()
        for sub, subvalue in table.items():
            if sub == "engine":
                _check_type(f"languages.{lang}.engine", subvalue, str, path)
                engine = subvalue
            elif sub == "do_not_translate":
                _check_type(f"languages.{lang}.do_not_translate", subvalue, list, path)
                terms = tuple(subvalue)
            elif sub in _ENGINE_SECTIONS and isinstance(subvalue, dict):
                for name, setting in subvalue.items():
                    kind = _SECTIONS[sub].get(name)
                    if kind is None:
                        raise ConfigError(f"unknown setting languages.{lang}.{sub}.{name}", path)
                    _check_type(f"languages.{lang}.{sub}.{name}", setting, kind, path)
                    options += (_engine_setting(sub, name, setting, path, f"languages.{lang}."),)
            else:
                raise ConfigError(f"unknown setting languages.{lang}.{sub} (a language takes engine, "
                                  f"do_not_translate and engine tables: {', '.join(sorted(_ENGINE_SECTIONS))})", path)
        out.append((code, LanguageSettings(engine, options, terms)))
    return tuple(out)


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


def _shortcode_tables(value: Any, path: Path) -> tuple:
    """[shortcodes.details] translate = ["summary"] -> (("details", ("summary",)),)"""
    if not isinstance(value, dict):
        raise ConfigError("[shortcodes] must hold one table per shortcode: [shortcodes.details]", path)
    out = []
    for name, table in sorted(value.items()):
        if not isinstance(table, dict):
            raise ConfigError(f"[shortcodes.{name}] must be a table: translate = [\"summary\"]", path)
        for sub in table:
            if sub != "translate":
                raise ConfigError(f"unknown setting shortcodes.{name}.{sub}", path)
        names = table.get("translate", [])
        _check_type(f"shortcodes.{name}.translate", names, list, path)
        out.append((str(name), tuple(names)))
    return tuple(out)


def _check_type(key: str, value: Any, kind: type, path: Path) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)) or (kind is list and not all(isinstance(v, str) for v in value)):
        expected = {list: "a list of strings", str: "a string", bool: "true or false", int: "a whole number"}[kind]
        raise ConfigError(f"{key} must be {expected}", path)


def _lang(value: Any, path: Path) -> str:
    try:
        return langs.validate(str(value))
    except ConfigError as exc:
        raise ConfigError(exc.message, path) from None
