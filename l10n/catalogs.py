"""UI strings in gettext catalogs, made and kept with Babel.

The site's UI strings come from its Hugo table, ``i18n/<source>.{yaml,toml,json}``
(go-i18n: an id, a text, plural forms), and from templates and code through a
Babel mapping file (``babel.cfg``), with an extractor for Hugo templates'
``{{ i18n "id" }}`` and ``{{ T "id" }}``. A message's context is its Hugo id and
its msgid the source text, so translators see words, not ids.

    locales/messages.pot                      extract
    locales/<locale>/LC_MESSAGES/messages.po  update (new, obsolete, fuzzy), translate
    locales/<locale>/LC_MESSAGES/messages.mo  compile
    i18n/<lang>.yaml|toml|json                export, for Hugo

Every file is written atomically and only when its bytes change: a run with
nothing new leaves them all as they were, dates included.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from . import config as configuration
from . import langs
from .errors import ConfigError, ContentError
from .write import write_atomic

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOMAIN = "messages"
TABLE_FORMATS = ("yaml", "yml", "toml", "json")
#: go-i18n's plural categories, in CLDR's order.
CATEGORIES = ("zero", "one", "two", "few", "many", "other")
#: What must come through translation unchanged in a UI string.
PLACEHOLDERS = re.compile(
    r"\{\{.*?\}\}"  # Go templates: {{ .Count }}
    r"|%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXoc%]"  # printf: %s, %(name)s, %d
    r"|\{[A-Za-z_][\w.]*\}"  # {name}
    r"|</?[A-Za-z][^<>]*>"  # HTML tags
    r"|&[#\w]+;"  # entities
    r"|(?:https?|ftp)://[^\s\"'<>]+",
    re.DOTALL,
)


# --------------------------------------------------------------------------
# Hugo tables (go-i18n)


@dataclass
class UIString:
    """One entry of a Hugo UI-string table."""

    id: str
    #: The text, or plural forms by CLDR category.
    text: str | dict[str, str]
    line: int = 0
    description: str = ""


@dataclass
class Table:
    path: Path
    format: str
    #: "list" (- id: ..., translation: ...), "map" (id: text) or "nested" (id: {other: ...})
    style: str
    entries: list[UIString] = field(default_factory=list)

    def get(self, id: str) -> UIString | None:
        return next((e for e in self.entries if e.id == id), None)


def find_table(site: Path, lang: str) -> Path | None:
    for ext in TABLE_FORMATS:
        for name in (lang, lang.lower(), langs.to_gettext(lang)):
            path = site / "i18n" / f"{name}.{ext}"
            if path.is_file():
                return path
    return None


def read_table(path: Path) -> Table:
    """A go-i18n table in any of the shapes Hugo reads."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(f"invalid UTF-8: {exc.reason}", path) from None
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror or exc}", path) from None
    fmt = path.suffix.lstrip(".").replace("yml", "yaml")
    data = _load(path, text, fmt)
    table = Table(path, fmt, "list" if isinstance(data, list) else "map")
    lines = _lines_of_ids(text)
    if isinstance(data, list):
        for i, item in enumerate(data):
            if not isinstance(item, dict) or "id" not in item:
                raise ContentError(f"entry {i + 1} has no id", path)
            table.entries.append(_entry(path, str(item["id"]), item.get("translation", ""), lines, item.get("description", "")))
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict) and "translation" in value:
                value = value["translation"]
            if isinstance(value, dict):
                table.style = "nested"
            table.entries.append(_entry(path, str(key), value, lines))
    elif data is not None:
        raise ContentError("not a go-i18n table: expected a list or a mapping of ids", path)
    return table


def _load(path: Path, text: str, fmt: str) -> Any:
    try:
        if fmt == "toml":
            return tomllib.loads(text)
        if fmt == "json":
            return json.loads(text)
        import yaml

        return yaml.safe_load(text)
    except Exception as exc:  # each parser's own error type, one message
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        line = line + 1 if line is not None else getattr(exc, "lineno", None)
        m = re.search(r"at line (\d+)", str(exc))
        if line is None and m:
            line = int(m.group(1))
        message = str(exc).splitlines()[0]
        raise ContentError(f"invalid {fmt.upper()}: {message}", path, line) from None


_ID_LINE = re.compile(
    r"""^\s*-?\s*["']?id["']?\s*[:=]\s*["']?([^"'\s,]+)"""  # - id: x  /  "id": "x"  /  id = "x"
    r"""|^\s*\[\s*["']?([^"'\]]+?)["']?\s*\]"""  # [x]
    r"""|^\s*["']?([\w.-]+)["']?\s*[:=]"""  # x: text  /  x = "text"
)


def _lines_of_ids(text: str) -> dict[str, int]:
    """The line each id is written on, for locations and errors."""
    out: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        m = _ID_LINE.match(line)
        if m:
            out.setdefault(next(g for g in m.groups() if g), number)
    return out


def _entry(path: Path, id: str, value: Any, lines: dict[str, int], description: Any = "") -> UIString:
    line = lines.get(id, 0)
    if isinstance(value, dict):
        forms = {str(k): str(v) for k, v in value.items() if k in CATEGORIES}
        if not forms:
            raise ContentError(f"{id}: plural forms must be among {', '.join(CATEGORIES)}", path, line or None)
        return UIString(id, forms if len(forms) > 1 else next(iter(forms.values())), line, str(description or ""))
    if value is None:
        value = ""
    return UIString(id, str(value), line, str(description or ""))


def write_table(path: Path, source: Table, texts: list[tuple[str, str | dict[str, str]]]) -> bool:
    """Write ``texts`` (id, text or forms) in the format and shape of ``source``."""
    fmt = source.format
    if fmt == "json":
        if source.style == "list":
            data: Any = [{"id": i, "translation": t} for i, t in texts]
        else:
            data = {i: ({"other": t} if source.style == "nested" and isinstance(t, str) else t) for i, t in texts}
        out = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "toml":
        lines = []
        for i, t in texts:
            if isinstance(t, dict) or source.style == "nested":
                forms = t if isinstance(t, dict) else {"other": t}
                lines.append(f"[{_toml_key(i)}]")
                lines.extend(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in _ordered(forms))
                lines.append("")
            else:
                lines.append(f"{_toml_key(i)} = {json.dumps(t, ensure_ascii=False)}")
        out = "\n".join(lines).rstrip("\n") + "\n"
    else:
        lines = []
        for i, t in texts:
            if source.style == "list":
                lines.append(f"- id: {_yaml_key(i)}")
                if isinstance(t, dict):
                    lines.append("  translation:")
                    lines.extend(f"    {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in _ordered(t))
                else:
                    lines.append(f"  translation: {json.dumps(t, ensure_ascii=False)}")
                lines.append("")
            elif isinstance(t, dict) or source.style == "nested":
                forms = t if isinstance(t, dict) else {"other": t}
                lines.append(f"{_yaml_key(i)}:")
                lines.extend(f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in _ordered(forms))
            else:
                lines.append(f"{_yaml_key(i)}: {json.dumps(t, ensure_ascii=False)}")
        out = "\n".join(lines).rstrip("\n") + "\n"
    return write_atomic(path, out.encode("utf-8"))


def _ordered(forms: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(forms.items(), key=lambda kv: CATEGORIES.index(kv[0]) if kv[0] in CATEGORIES else 99)


def _yaml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][\w.-]*", key) else json.dumps(key)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


# --------------------------------------------------------------------------
# Hugo templates


_HUGO_CALL = re.compile(
    r"""\{\{-?\s*(?:i18n|T|lang\.Translate)\s+(?P<a>"(?:[^"\\]|\\.)*"|`[^`]*`)"""
    r"""|(?P<b>"(?:[^"\\]|\\.)*"|`[^`]*`)\s*\|\s*(?:i18n|T|lang\.Translate)\b"""
)


def extract_hugo(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extractor for Hugo templates: ``{{ i18n "id" }}``, ``{{ T "id" }}``,
    ``{{ "id" | i18n }}``. Register it in a mapping file as ``[hugo: layouts/**.html]``."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    for m in _HUGO_CALL.finditer(text):
        literal = m.group("a") or m.group("b")
        value = json.loads(literal) if literal.startswith('"') else literal[1:-1]
        yield text.count("\n", 0, m.start()) + 1, "i18n", value, []


# --------------------------------------------------------------------------
# Catalogs


@dataclass
class Stats:
    """Where a catalog stands."""

    locale: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    changed: bool = False
    path: str = ""

    @property
    def complete(self) -> bool:
        return self.fuzzy == 0 and self.untranslated == 0


@dataclass
class CatalogReport:
    stats: list[Stats] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: --check: catalogs that are out of date or incomplete
    findings: list[str] = field(default_factory=list)


class Site:
    """Where a site keeps its UI strings."""

    def __init__(self, root: Path | None = None):
        self.root = configuration.find_root(root or Path.cwd())
        self.cfg = configuration.load(self.root)
        self.source = self.cfg.source_key
        self.locales = self.root / "locales"
        self.template = self.locales / f"{DOMAIN}.pot"

    @property
    def project(self) -> str:
        """The catalogs' project name: the Hugo site's title (never the folder's
        name, which differs between clones and would rewrite every catalog)."""
        for name in configuration.HUGO_NAMES:
            path = self.root / name
            if path.is_file():
                title = configuration._read(path).get("title")
                if isinstance(title, str) and title.strip():
                    return title.strip()
        return "PROJECT"

    def locale(self, lang: str) -> str:
        """The gettext locale of a site language (key): ``pt_br`` -> ``pt_BR``."""
        return langs.to_gettext(self.cfg.code(lang))

    def po(self, lang: str) -> Path:
        return self.locales / self.locale(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"

    def catalogs(self) -> list[tuple[str, Path]]:
        """Every catalog under locales/, by the site's language key."""
        if not self.locales.is_dir():
            return []
        return sorted((self.cfg.key(langs.from_babel(p.parent.parent.name)), p)
                      for p in self.locales.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))

    def targets(self, to: Sequence[str] | str | None) -> list[str]:
        """Keys: --to, else the site's targets, else the catalogs that exist."""
        if to or self.cfg.targets:
            return self.cfg.resolve_targets(to)
        codes = [lang for lang, _ in self.catalogs() if lang != self.source]
        if not codes:
            raise ConfigError("no target language: give --to LANG or set targets in l10n.toml")
        return codes


def _rel(site: Site, path: Path) -> str:
    try:
        return str(path.relative_to(site.root))
    except ValueError:
        return str(path)


def build_template(site: Site) -> tuple["Catalog", Table | None]:  # noqa: F821
    """The template catalog: the source table's strings, then the templates' ids."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project=site.project, fuzzy=False, charset="utf-8")
    table_path = find_table(site.root, site.source)
    table = read_table(table_path) if table_path else None
    if table is not None:
        where = _rel(site, table.path)
        for entry in table.entries:
            text = entry.text
            msgid: Any = (text.get("one", text.get("other", "")), text.get("other", "")) if isinstance(text, dict) else text
            comments = [entry.description] if entry.description else []
            catalog.add(msgid, locations=[(where, entry.line)], auto_comments=comments, context=entry.id)
    mapping = site.root / "babel.cfg"
    if mapping.is_file():
        for filename, lineno, message, comments, _context in _extract_mapped(site.root, mapping):
            ids = message if isinstance(message, tuple) else (message,)
            known = table.get(ids[0]) if table is not None else None
            if known is not None:
                existing = catalog.get(_msgid(known), context=known.id)
                if existing is not None:
                    existing.locations.append((filename, lineno))
                continue
            catalog.add(message, locations=[(filename, lineno)], auto_comments=comments,
                        context=ids[0] if table is not None else None)
    if table is None and not mapping.is_file():
        raise ConfigError(f"no UI strings found: no i18n/{site.source}.yaml (or .toml, .json) and no babel.cfg in {site.root}")
    return catalog, table


def _msgid(entry: UIString) -> Any:
    text = entry.text
    return (text.get("one", text.get("other", "")), text.get("other", "")) if isinstance(text, dict) else text


def _extract_mapped(root: Path, mapping: Path):
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    try:
        from babel.messages.frontend import parse_mapping_cfg as parse_mapping
    except ImportError:  # pragma: no cover - older Babel
        from babel.messages.frontend import parse_mapping
    try:
        with mapping.open(encoding="utf-8") as handle:
            method_map, options_map = parse_mapping(handle)
    except Exception as exc:
        raise ConfigError(f"invalid mapping file: {exc}", mapping) from None
    keywords = dict(DEFAULT_KEYWORDS, i18n=None, T=None)
    method_map = [(pattern, "l10n.catalogs:extract_hugo" if method == "hugo" else method) for pattern, method in method_map]
    yield from extract_from_dir(str(root), method_map, options_map, keywords=keywords, comment_tags=("TRANSLATORS:",),
                                strip_comment_tags=True)


def _render(catalog) -> bytes:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, include_previous=True)
    return buffer.getvalue()


def _save(path: Path, catalog, date_field: str) -> bool:
    """Write a catalog if its content changed; its date changes only then."""
    if path.is_file() and not _differs(path, catalog, date_field):
        return False
    setattr(catalog, date_field, datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0))
    return write_atomic(path, _render(catalog))


def read_catalog(path: Path, locale: str | None = None):
    from babel.messages.pofile import PoFileError, read_po

    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=locale, abort_invalid=True)
    except PoFileError as exc:
        raise ContentError(str(exc.message if hasattr(exc, "message") else exc).splitlines()[0], path, exc.lineno) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ContentError(f"invalid catalog: {exc}", path) from None


def stats_of(lang: str, catalog, path: str = "") -> Stats:
    s = Stats(lang, path=path)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not all(strings):
            s.untranslated += 1
        elif message.fuzzy:
            s.fuzzy += 1
        else:
            s.translated += 1
    return s


# --------------------------------------------------------------------------
# The commands


def run_extract(root: Path | None = None, check: bool = False) -> CatalogReport:
    site = Site(root)
    catalog, _table = build_template(site)
    report = CatalogReport()
    if check:
        if not site.template.is_file() or _differs(site.template, catalog, "creation_date"):
            report.findings.append(f"{_rel(site, site.template)}: out of date (run l10n catalog extract)")
        return report
    site.locales.mkdir(parents=True, exist_ok=True)
    if _save(site.template, catalog, "creation_date"):
        report.written.append(_rel(site, site.template))
    report.stats.append(Stats("template", untranslated=sum(1 for m in catalog if m.id), path=_rel(site, site.template)))
    return report


def _differs(path: Path, catalog, date_field: str) -> bool:
    """Whether ``catalog`` written with the file's own date would change more of
    the file than the version of Babel that wrote it: a new Babel alone never
    makes a catalog dirty."""
    old = read_catalog(path)
    setattr(catalog, date_field, getattr(old, date_field))
    return _GENERATED_BY.sub(b"", _render(catalog)) != _GENERATED_BY.sub(b"", path.read_bytes())


_GENERATED_BY = re.compile(rb'^"Generated-By: [^"\n]*\\n"\n', re.MULTILINE)


def run_update(to=None, root: Path | None = None, check: bool = False) -> CatalogReport:
    """Create or update each language's catalog from the template."""
    from babel.messages.catalog import Catalog

    site = Site(root)
    targets = site.targets(to)
    if not site.template.is_file():
        raise ConfigError(f"{_rel(site, site.template)} does not exist: run l10n catalog extract first")
    template = read_catalog(site.template)
    report = CatalogReport()
    for lang in targets:
        path = site.po(lang)
        locale = site.locale(lang)
        if path.is_file():
            catalog = read_catalog(path, locale)
            catalog.update(template, update_creation_date=True)
        else:
            catalog = Catalog(locale=locale, domain=DOMAIN, project=template.project, fuzzy=False, charset="utf-8",
                              creation_date=template.creation_date)
            for message in template:
                if message.id:
                    catalog.add(message.id, locations=message.locations, auto_comments=message.auto_comments,
                                context=message.context, flags=message.flags)
            _seed_from_table(site, lang, catalog, report)
        rel = _rel(site, path)
        if check:
            if not path.is_file() or _differs(path, catalog, "revision_date"):
                report.findings.append(f"{rel}: out of date (run l10n catalog update)")
            st = stats_of(lang, catalog, rel)
            if not st.complete:
                report.findings.append(f"{rel}: {st.untranslated} untranslated, {st.fuzzy} fuzzy")
            report.stats.append(st)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if _save(path, catalog, "revision_date"):
            report.written.append(rel)
        report.stats.append(stats_of(lang, catalog, rel))
    return report


def _seed_from_table(site: Site, lang: str, catalog, report: CatalogReport) -> None:
    """A new catalog takes the translations a person already made in i18n/<lang>.*."""
    path = find_table(site.root, lang)
    if path is None:
        return
    table = read_table(path)
    categories = langs.plural_categories(site.cfg.code(lang), catalog.num_plurals, catalog.plural_expr)
    for message in catalog:
        entry = table.get(message.context) if message.context else None
        if entry is None or not entry.text:
            continue
        if message.pluralizable:
            forms = entry.text if isinstance(entry.text, dict) else {"other": entry.text}
            message.string = tuple(forms.get(c, forms.get("other", "")) for c in categories)
        elif isinstance(entry.text, str):
            message.string = entry.text
    report.notices.append(f"{_rel(site, site.po(lang))}: translations taken from {_rel(site, path)}")


def run_translate(to=None, engine: str | None = None, root: Path | None = None) -> CatalogReport:
    """Fill empty translations by machine translation, each marked fuzzy for review."""
    from . import engines as registry

    site = Site(root)
    engine_name = engine or site.cfg.engine_name
    engine_obj = registry.load(engine_name, **dict(site.cfg.engine_options))
    report = CatalogReport()
    memory = None
    if getattr(engine_obj, "memory", True):
        from .memory import Memory

        memory = Memory(site.cfg.state_dir / "memory.sqlite")
    try:
        for lang in site.targets(to):
            _translate_catalog(site, lang, engine_obj, engine_name, memory, report)
    finally:
        if memory is not None:
            memory.close()
    return report


def _translate_catalog(site: Site, lang: str, engine_obj, engine_name: str, memory, report: CatalogReport) -> None:
    from .markdown import inline
    from .translate import call_engine

    source, target = site.cfg.code(site.source), site.cfg.code(lang)

    def call(texts: list[str]) -> list[str]:
        return call_engine(engine_obj, texts, source, target)

    if memory is not None:
        model_for = getattr(engine_obj, "model_for", None)
        model = model_for(source, target) if model_for else str(getattr(engine_obj, "model", "") or "")
        call = memory.wrap(call, engine_name, model, source, target)
    path = site.po(lang)
    if not path.is_file():
        raise ConfigError(f"{_rel(site, path)} does not exist: run l10n catalog update --to {lang} first")
    catalog = read_catalog(path, site.locale(lang))
    count = catalog.num_plurals
    work = []  # (message, [source texts by form])
    for message in catalog:
        if not message.id:
            continue
        strings = list(message.string) if message.pluralizable else [message.string]
        if all(strings):
            continue
        if message.pluralizable:
            singular, plural = message.id
            work.append((message, [singular] + [plural] * (count - 1)))
        else:
            work.append((message, [message.id]))
    texts = sorted({t for _m, sources in work for t in sources})
    pieces = {t: inline.plain_pieces(t, PLACEHOLDERS) for t in texts}
    sent = {t: _engine_text(pieces[t]) for t in texts}
    unique = sorted(set(sent.values()))
    translated = dict(zip(unique, call(unique))) if unique else {}
    done: dict[str, str] = {}
    for t in texts:
        out = _put_back(pieces[t], translated.get(sent[t], ""), sent[t])
        if out is None:  # the engine lost a placeholder: translate around them instead
            fragments = [p.text for p in pieces[t] if p.kind == "text" and p.text.strip()]
            outs = call(fragments) if fragments else []
            queue = iter(outs)
            out = "".join(next(queue) if p.kind == "text" and p.text.strip() else p.src for p in pieces[t])
            line = next((m.lineno for m, sources in work if t in sources), None)
            report.notices.append(f"{_rel(site, path)}:{line}: warning: a placeholder was lost by the engine; translated piece by piece")
        done[t] = out
    for message, sources in work:
        outs = [done[t] for t in sources]
        message.string = tuple(outs) if message.pluralizable else outs[0]
        message.flags.add("fuzzy")
    rel = _rel(site, path)
    if work and _save(path, catalog, "revision_date"):
        report.written.append(rel)
    report.stats.append(stats_of(lang, catalog, rel))


def _engine_text(pieces) -> str:
    from .markdown.inline import engine_text
    from .document import Segment

    return engine_text(Segment("ui", 0, pieces, codec="plain"))


def _put_back(pieces, output: str, sent: str) -> str | None:
    from .document import Segment
    from .markdown.inline import plain_translation

    if not output.strip():
        return None
    if output == sent:
        return "".join(p.src for p in pieces)
    return plain_translation(Segment("ui", 0, pieces, codec="plain"), output)


def run_compile(root: Path | None = None, use_fuzzy: bool = False, check: bool = False) -> CatalogReport:
    """Compile every catalog to .mo; format errors fail with file and line."""
    from babel.messages.mofile import write_mo

    site = Site(root)
    report = CatalogReport()
    catalogs = site.catalogs()
    if not catalogs:
        raise ConfigError(f"no catalogs under {_rel(site, site.locales)}: run l10n catalog update first")
    for lang, path in catalogs:
        catalog = read_catalog(path)
        rel = _rel(site, path)
        errors = []
        for message, problems in catalog.check():
            if message.fuzzy and not use_fuzzy:
                continue
            for problem in problems:
                errors.append(f"{rel}:{message.lineno}: {problem}")
        if errors:
            raise ContentError("; ".join(e.split(": ", 1)[1] for e in errors[:3]), rel, int(errors[0].split(":")[1]))
        st = stats_of(lang, catalog, rel)
        report.stats.append(st)
        if check and not st.complete:
            report.findings.append(f"{rel}: {st.untranslated} untranslated, {st.fuzzy} fuzzy")
        if check:
            continue
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=use_fuzzy)
        if write_atomic(path.with_suffix(".mo"), buffer.getvalue()):
            report.written.append(_rel(site, path.with_suffix(".mo")))
    return report


def _same_strings(path: Path, texts: list[tuple[str, str | dict[str, str]]]) -> bool:
    try:
        existing = read_table(path)
    except ContentError:
        return False
    return [(e.id, e.text) for e in existing.entries] == texts


def run_export(root: Path | None = None, use_fuzzy: bool = False) -> CatalogReport:
    """Write i18n/<lang>.* for every catalog, with every id of the source table."""
    site = Site(root)
    table_path = find_table(site.root, site.source)
    if table_path is None:
        raise ConfigError(f"no i18n/{site.source}.yaml (or .toml, .json) to export against")
    source = read_table(table_path)
    report = CatalogReport()
    for lang, path in site.catalogs():
        catalog = read_catalog(path)
        categories = langs.plural_categories(site.cfg.code(lang), catalog.num_plurals, catalog.plural_expr)
        texts: list[tuple[str, str | dict[str, str]]] = []
        for entry in source.entries:
            message = catalog.get(_msgid(entry), context=entry.id)
            usable = message is not None and (use_fuzzy or not message.fuzzy)
            if isinstance(entry.text, dict):
                strings = list(message.string) if usable and message.pluralizable else []
                if strings and all(strings):
                    texts.append((entry.id, dict(zip(categories, strings))))
                else:
                    texts.append((entry.id, entry.text))
            else:
                text = message.string if usable and isinstance(message.string, str) and message.string else entry.text
                texts.append((entry.id, text))
        target = table_path.with_name(f"{lang}{table_path.suffix}")
        if target.is_file() and _same_strings(target, texts):
            pass  # a table a person wrote, with the same strings: kept as written, comments and all
        elif write_table(target, source, texts):
            report.written.append(_rel(site, target))
        report.stats.append(stats_of(lang, catalog, _rel(site, target)))
    return report
