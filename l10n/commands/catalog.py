"""``l10n catalog``: extract, update, translate, compile and export the UI-string catalogs."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from .. import engines, langs
from ..catalogs import (
    DOMAIN,
    Catalogs,
    Stats,
    build_template,
    differs,
    msgid,
    read_catalog,
    save,
    seed_from_table,
    stats_of,
    translate_catalog,
)
from ..errors import ConfigError, ContentError
from ..memory import Memory
from ..tables import find_table, read_table, same_strings, write_table
from ..translate import engine_call
from ..write import write_atomic


@dataclass
class CatalogReport:
    stats: list[Stats] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: --check: catalogs that are out of date or incomplete
    findings: list[str] = field(default_factory=list)


def run_extract(root: Path | None = None, check: bool = False) -> CatalogReport:
    """Build locales/messages.pot from the source table and the mapped templates."""
    site = Catalogs(root)
    catalog, _table = build_template(site)
    report = CatalogReport()
    if check:
        if not site.template.is_file() or differs(site.template, catalog, "creation_date"):
            report.findings.append(f"{site.rel(site.template)}: out of date (run l10n catalog extract)")
        return report
    site.locales.mkdir(parents=True, exist_ok=True)
    if save(site.template, catalog, "creation_date", site.root):
        report.written.append(site.rel(site.template))
    report.stats.append(Stats("template", untranslated=sum(1 for m in catalog if m.id), path=site.rel(site.template)))
    return report


def run_update(to=None, root: Path | None = None, check: bool = False) -> CatalogReport:
    """Create or update each language's catalog from the template."""
    from babel.messages.catalog import Catalog


    site = Catalogs(root)
    targets = site.targets(to)
    if not site.template.is_file():
        raise ConfigError(f"{site.rel(site.template)} does not exist: run l10n catalog extract first")
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
            notice = seed_from_table(site, lang, catalog)
            if notice:
                report.notices.append(notice)
        rel = site.rel(path)
        if check:
            if not path.is_file() or differs(path, catalog, "revision_date"):
                report.findings.append(f"{rel}: out of date (run l10n catalog update)")
            st = stats_of(lang, catalog, rel)
            if not st.complete:
                report.findings.append(f"{rel}: {st.untranslated} untranslated, {st.fuzzy} fuzzy")
            report.stats.append(st)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if save(path, catalog, "revision_date", site.root):
            report.written.append(rel)
        report.stats.append(stats_of(lang, catalog, rel))
    return report


def run_fill(to=None, engine: str | None = None, root: Path | None = None) -> CatalogReport:
    """Fill empty translations by machine translation, each marked fuzzy for review."""
    site = Catalogs(root)
    targets = site.targets(to)
    name = engine or site.cfg.engine_name
    engine_obj = engines.load(name, **dict(site.cfg.engine_options))
    source = site.cfg.code(site.source)
    engines.check_pairs(engine_obj, [(source, site.cfg.code(lang)) for lang in targets])
    report = CatalogReport()
    memory = Memory(site.cfg.state_dir / "memory.sqlite") if getattr(engine_obj, "memory", True) else None
    try:
        for lang in targets:
            pair = engine_call(engine_obj, name, source, site.cfg.code(lang), memory)
            catalog, filled, notices = translate_catalog(site, lang, pair.texts)
            report.notices += notices
            path = site.po(lang)
            if filled and save(path, catalog, "revision_date", site.root):
                report.written.append(site.rel(path))
            report.stats.append(stats_of(lang, catalog, site.rel(path)))
    finally:
        if memory is not None:
            memory.close()
    return report


def run_compile(root: Path | None = None, use_fuzzy: bool = False, check: bool = False) -> CatalogReport:
    """Compile every catalog to .mo; format errors fail with file and line."""
    from babel.messages.mofile import write_mo

    site = Catalogs(root)
    report = CatalogReport()
    catalogs = site.catalogs()
    if not catalogs:
        raise ConfigError(f"no catalogs under {site.rel(site.locales)}: run l10n catalog update first")
    for lang, path in catalogs:
        catalog = read_catalog(path)
        rel = site.rel(path)
        problems = [(message.lineno, str(problem)) for message, found in catalog.check()
                    if use_fuzzy or not message.fuzzy for problem in found]
        if problems:
            raise ContentError("; ".join(text for _line, text in problems[:3]), rel, problems[0][0])
        st = stats_of(lang, catalog, rel)
        report.stats.append(st)
        if check and not st.complete:
            report.findings.append(f"{rel}: {st.untranslated} untranslated, {st.fuzzy} fuzzy")
        if check:
            continue
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=use_fuzzy)
        if write_atomic(path.with_suffix(".mo"), buffer.getvalue(), site.root):
            report.written.append(site.rel(path.with_suffix(".mo")))
    return report


def run_export(root: Path | None = None, use_fuzzy: bool = False) -> CatalogReport:
    """Write i18n/<lang>.* for every catalog, with every id of the source table."""
    site = Catalogs(root)
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
            message = catalog.get(msgid(entry), context=entry.id)
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
        if target.is_file() and same_strings(target, texts):
            pass  # a table a person wrote, with the same strings: kept as written, comments and all
        elif write_table(target, source, texts, site.root):
            report.written.append(site.rel(target))
        report.stats.append(stats_of(lang, catalog, site.rel(target)))
    return report
