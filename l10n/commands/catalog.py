"""``l10n catalog``: extract, update, translate, compile and export the UI-string catalogs."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from .. import langs
from ..calls import engine_call
from ..catalogs import (
    DOMAIN,
    Catalogs,
    Stats,
    build_template,
    context,
    differs,
    missing_tables,
    msgid,
    read_catalog,
    save,
    seed_from_table,
    stats_of,
    translate_catalog,
)
from ..engine_choice import choose_engines
from ..errors import ConfigError, L10nError, Problem
from ..memory import Memory
from ..sites import mkdocs
from ..tables import write_table
from ..write import write_atomic


@dataclass
class CatalogReport:
    stats: list[Stats] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: --check: catalogs that are out of date or incomplete; export: tables a person changed
    findings: list[str] = field(default_factory=list)
    #: Catalogs or tables that could not be read or written (the others were done).
    errors: list[Problem] = field(default_factory=list)


def run_catalog_extract(root: Path | None = None, check: bool = False) -> CatalogReport:
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


def run_catalog_update(to=None, root: Path | None = None, check: bool = False) -> CatalogReport:
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


def run_catalog_fill(to=None, engine: str | None = None, root: Path | None = None) -> CatalogReport:
    """Fill empty translations by machine translation, each marked fuzzy for review."""
    site = Catalogs(root)
    targets = site.targets(to)
    chosen = choose_engines(site.cfg.with_options(engine=engine), targets, site.source)  # each language's own
    if not chosen.by_lang:
        raise next(iter(chosen.unusable.values()))
    source = site.cfg.code(site.source)
    report = CatalogReport()
    report.notices += [f"l10n: error: {exc.format()}" for exc in chosen.unusable.values()]
    wants_memory = any(getattr(e, "memory", True) for e in chosen.engines)
    memory = Memory(site.cfg.state_dir / "memory.sqlite", site.root) if wants_memory else None
    try:
        for lang in targets:
            if lang not in chosen.by_lang:
                continue
            engine_obj, ident = chosen.by_lang[lang]
            pair = engine_call(engine_obj, ident.split(":", 1)[0], source, site.cfg.code(lang),
                               memory if getattr(engine_obj, "memory", True) else None)
            catalog, filled, notices = translate_catalog(site, lang, pair.texts)
            report.notices += notices
            path = site.po(lang)
            report.notices += [f"{site.rel(path)}: warning: {why}; {text[:60]!r} is left untranslated"
                               for text, why in pair.refused.items()]
            if filled and save(path, catalog, "revision_date", site.root):
                report.written.append(site.rel(path))
            report.stats.append(stats_of(lang, catalog, site.rel(path)))
    finally:
        if memory is not None:
            memory.close()
    return report


def run_catalog_compile(root: Path | None = None, use_fuzzy: bool = False, check: bool = False) -> CatalogReport:
    """Compile every catalog to .mo; format errors fail with file and line."""
    from babel.messages.mofile import write_mo

    site = Catalogs(root)
    report = CatalogReport()
    catalogs = site.catalogs()
    if not catalogs:
        raise ConfigError(f"no catalogs under {site.rel(site.locales)}: run l10n catalog update first")
    for lang, path in catalogs:
        rel = site.rel(path)
        try:
            catalog = read_catalog(path)
        except L10nError as exc:
            report.errors.append(exc.problem(rel))
            continue
        problems = [(message.lineno, str(problem)) for message, found in catalog.check()
                    if use_fuzzy or not message.fuzzy for problem in found]
        if problems:
            report.errors.append(Problem(rel, problems[0][0], "; ".join(text for _line, text in problems[:3])))
            continue
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


def run_catalog_export(root: Path | None = None, use_fuzzy: bool = False, force: bool = False) -> CatalogReport:
    """Write every catalog's strings where the site generator reads them, with every
    id of the source tables: Hugo's i18n/<lang>.*, Docusaurus's i18n/<locale>/*.json,
    MkDocs's nav_translations.

    A table whose strings a person changed is kept, and said so (``force``:
    overwritten): a string there that is neither what the catalog says nor the
    source's would be lost."""
    site = Catalogs(root)
    tables = site.tables()
    if not tables:
        raise ConfigError(f"{missing_tables(site)} to export against")
    report = CatalogReport()
    for lang, path in site.catalogs():
        try:
            catalog = read_catalog(path)
        except L10nError as exc:
            report.errors.append(exc.problem(site.rel(path)))
            continue
        categories = langs.plural_categories(site.cfg.code(lang), catalog.num_plurals, catalog.plural_expr)
        for name, source in tables:
            texts = _texts(catalog, name, source, categories, use_fuzzy)
            target = site.target(name, source, lang)
            rel = site.rel(target)
            try:
                existing = site.translated(name, source, lang)
            except L10nError:
                existing = None  # unreadable: nothing to keep (the write says what is wrong, if anything)
            if existing is not None and [(e.id, e.text) for e in existing.entries] == texts:
                pass  # a table a person wrote, with the same strings: kept as written, comments and all
            elif existing is not None and not force and (changed := _persons(
                    existing, source, texts, dict(_texts(catalog, name, source, categories, True)))) is not None:
                report.findings.append(f"{rel}: kept: its string {changed!r} was changed by a person and is not in "
                                       f"{site.rel(path)}; put the change there (or l10n catalog export --force)")
            else:
                try:
                    if _write(target, source, texts, lang, site.root):
                        report.written.append(rel)
                except L10nError as exc:
                    report.errors.append(exc.problem(rel))
        report.stats.append(stats_of(lang, catalog, site.rel(tables[0][1].path) if len(tables) == 1 and not tables[0][0]
                                     else site.rel(path)))
    return report


def _texts(catalog, name: str, source, categories: list[str], use_fuzzy: bool) -> list[tuple[str, str | dict[str, str]]]:
    """(id, text or forms) of every entry of a source table, from the catalog where
    it has a usable translation, else the source's text (as the generator would show it)."""
    texts: list[tuple[str, str | dict[str, str]]] = []
    for entry in source.entries:
        message = catalog.get(msgid(entry), context=context(name, entry.id))
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
    return texts


def _write(target: Path, source, texts: list[tuple[str, str | dict[str, str]]], lang: str, inside: Path) -> bool:
    if source.format == "mkdocs":  # the language's nav_translations, in mkdocs.yml
        wanted = {i: t for i, t in texts if isinstance(t, str) and t != i}
        return write_atomic(target, mkdocs.with_nav_translations(target, lang, wanted).encode("utf-8"), inside)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_table(target, source, texts, inside)


def _persons(existing, source, texts: list[tuple[str, str | dict[str, str]]], drafts: dict) -> str | None:
    """The id of a string of an existing table that export would lose: one that is
    neither what it would write, nor the source's text, nor a machine draft of the
    catalog's that a build published (``drafts``): None when nothing a person wrote is lost."""
    new = dict(texts)
    for entry in existing.entries:
        if entry.id in new and entry.text != new[entry.id] and entry.text != drafts.get(entry.id):
            original = source.get(entry.id)
            if original is None or entry.text != original.text:
                return entry.id
    return None
