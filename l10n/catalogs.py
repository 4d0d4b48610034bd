"""UI strings in gettext catalogs, made and kept with Babel.

The site's UI strings come from its tables (``tables.py``): Hugo's
``i18n/<source>.{yaml,toml,json}``; Docusaurus's JSON files under
``i18n/<defaultLocale>/`` (``code.json``, the theme's ``navbar.json``...);
MkDocs's ``nav`` titles; Starlight's ``src/content/i18n/<lang>.json``. Hugo sites may add templates and code through a
Babel mapping file (``babel.cfg``), with an extractor for Hugo templates'
``{{ i18n "id" }}`` and ``{{ T "id" }}``. A message's context is its id
(``code.json:theme.x``, where the site has several tables) and its msgid
the source text, so translators see words, not ids.

    locales/messages.pot                      extract
    locales/<locale>/LC_MESSAGES/messages.po  update (new, obsolete, fuzzy), translate
    locales/<locale>/LC_MESSAGES/messages.mo  compile
    i18n/<lang>.yaml, i18n/<locale>/*.json,   export, for the site generator
    mkdocs.yml's nav_translations

Every file is written atomically and only when its messages change: a run with
nothing new leaves them all as they were, dates and Babel's version included.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from . import config, langs
from .checks import ERROR, Finding
from .sites import mkdocs
from .document import TEXT, Segment
from .errors import ConfigError, ContentError
from .limits import MAX_EXCHANGE, check_exchange, read_file
from .markdown.inline import plain_pieces
from .markdown.tags import engine_text, plain_translation
from .tables import Table, UIString, find_table, read_table
from .write import write_atomic

if TYPE_CHECKING:  # Babel is imported where a catalog is made, not at start
    from babel.messages.catalog import Catalog

DOMAIN = "messages"
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


class Catalogs:
    """Where a site keeps its UI strings: its table, locales/, the catalogs in it."""

    def __init__(self, root: Path | None = None):
        self.root = config.find_root(root or Path.cwd())
        self.cfg = config.load(self.root)
        self.source = self.cfg.source_key
        self.locales = self.root / "locales"
        self.template = self.locales / f"{DOMAIN}.pot"

    def tables(self) -> list[tuple[str, Table]]:
        """The source language's UI-string tables, by name ("" where the site has one)."""
        if self.cfg.ui == "docusaurus":
            folder = self.root / "i18n" / self.source
            found = sorted(folder.rglob("*.json")) if folder.is_dir() else []
            if not found and any((self.root / "i18n").glob("*/code.json")):
                raise ConfigError(f"no UI strings in i18n/{self.source}/: run `npm run write-translations -- --locale "
                                  f"{self.source}` so that l10n knows their source text")
            return [(p.relative_to(folder).as_posix(), read_table(p)) for p in found]
        if self.cfg.ui == "starlight":  # src/content/i18n/<lang>.json: Starlight's own strings, and the site's
            path = next((self.root / "src/content/i18n" / f"{self.source}.{ext}" for ext in ("json", "yml", "yaml")
                         if (self.root / "src/content/i18n" / f"{self.source}.{ext}").is_file()), None)
            return [("", read_table(path))] if path is not None else []
        if self.cfg.ui == "mkdocs":
            path = self.root / (self.cfg.site_config or "mkdocs.yml")
            if not self.cfg.languages:
                return []
            entries = [UIString(title, title, line) for title, line in mkdocs.nav_titles(path)]
            return [("nav", Table(path, "mkdocs", "nav", entries))] if entries else []
        path = find_table(self.root, self.source)
        return [("", read_table(path))] if path is not None else []

    def target(self, name: str, table: Table, lang: str) -> Path:
        """Where a table's strings in ``lang`` go."""
        if table.format == "mkdocs":
            return table.path
        if self.cfg.ui == "docusaurus":
            return self.root / "i18n" / lang / name
        return table.path.with_name(f"{lang}{table.path.suffix}")

    def translated(self, name: str, table: Table, lang: str) -> Table | None:
        """A table's strings in ``lang`` as the site has them now (None: it has none)."""
        path = self.target(name, table, lang)
        if table.format == "mkdocs":
            entries = [UIString(k, v) for k, v in mkdocs.nav_translations(path, lang).items()]
            return Table(path, "mkdocs", "nav", entries) if entries else None
        if not path.is_file():
            return None
        return read_table(path)

    @property
    def project(self) -> str:
        """The catalogs' project name: the Hugo site's title (never the folder's
        name, which differs between clones and would rewrite every catalog)."""
        for name in config.HUGO_NAMES:
            path = self.root / name
            if path.is_file():
                title = config.read(path).get("title")
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


    def rel(self, path: Path) -> str:
        """A path as messages name it: relative to the site root."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def context(name: str, id: str) -> str:
    """A message's context: its id, after its table's name where the site has several."""
    return f"{name}:{id}" if name else id


def build_template(site: Catalogs) -> tuple[Catalog, Table | None]:
    """The template catalog: the source tables' strings, then the templates' ids."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project=site.project, fuzzy=False, charset="utf-8")
    tables = site.tables()
    table = tables[0][1] if len(tables) == 1 and not tables[0][0] else None
    for name, each in tables:
        where = site.rel(each.path)
        for entry in each.entries:
            comments = [entry.description] if entry.description else []
            catalog.add(msgid(entry), locations=[(where, entry.line)], auto_comments=comments,
                        context=context(name, entry.id))
    mapping = site.root / "babel.cfg"
    if mapping.is_file():
        for filename, lineno, message, comments, _context in _extract_mapped(site.root, mapping):
            ids = message if isinstance(message, tuple) else (message,)
            known = table.get(ids[0]) if table is not None else None
            if known is not None:
                existing = catalog.get(msgid(known), context=known.id)
                if existing is not None:
                    existing.locations.append((filename, lineno))
                continue
            catalog.add(message, locations=[(filename, lineno)], auto_comments=comments,
                        context=ids[0] if table is not None else None)
    if not tables and not mapping.is_file():
        raise ConfigError(f"no UI strings found: {missing_tables(site)} in {site.root}")
    return catalog, table


def missing_tables(site: Catalogs) -> str:
    """What a site without UI-string tables lacks, in a few words."""
    if site.cfg.ui == "docusaurus":
        return f"no JSON files in i18n/{site.source}/ (npm run write-translations -- --locale {site.source})"
    if site.cfg.ui == "mkdocs":
        return f"no nav titles in {site.cfg.site_config} (or no i18n plugin languages)"
    if site.cfg.ui == "starlight":
        return f"no src/content/i18n/{site.source}.json"
    return f"no i18n/{site.source}.yaml (or .toml, .json) and no babel.cfg"


def msgid(entry: UIString) -> Any:
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


def render(catalog) -> bytes:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, include_previous=True)
    return buffer.getvalue()


def save(path: Path, catalog, date_field: str, inside: Path | None) -> bool:
    """Write a catalog if its content changed; its date changes only then. ``inside``:
    the site's root, which the write may not leave."""
    if path.is_file() and not differs(path, catalog, date_field):
        return False
    setattr(catalog, date_field, datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0))
    return write_atomic(path, render(catalog), inside)


def read_catalog(path: Path, locale: str | None = None):
    from babel.messages.pofile import PoFileError, read_po

    if path.is_symlink():  # a catalog is written where it is read: never through a link
        raise ContentError("is a symbolic link; l10n never reads or writes a catalog through a link", path)
    try:
        raw = read_file(path, MAX_EXCHANGE)
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror or exc}", path) from None
    check_exchange(len(raw), path)
    bad = unterminated(raw)
    if bad is not None:  # Babel reads on; msgfmt (and so every other tool) refuses it
        raise ContentError("end-of-line within string (a quote is never closed)", path, bad)
    readable, lines = babel_readable(raw)
    try:
        return read_po(io.BytesIO(readable), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        raise ContentError(babel_message(exc), path, original_line(lines, exc.lineno + 1)) from None
    except LookupError as exc:
        line = next((n for n, text in enumerate(raw.splitlines(), 1) if b"charset=" in text), None)
        raise ContentError(f"unknown charset in the Content-Type header ({exc}); use charset=UTF-8", path, line) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ContentError(f"invalid catalog: {exc}", path) from None


def babel_readable(raw: bytes) -> tuple[bytes, list[int]]:
    """A PO catalog as Babel's reader takes it, and the original number of each of its
    lines. msgmerge --previous keeps an obsolete message's previous strings as
    ``#~|`` lines, which GNU gettext reads and Babel refuses ("Unknown or misformatted
    keyword", python-babel/babel#566, open since 2018): they are left out (an obsolete
    message is no translation of anything now, and what it was before, less so)."""
    if b"#~|" not in raw:
        return raw, []
    kept: list[bytes] = []
    numbers: list[int] = []
    for number, line in enumerate(raw.splitlines(keepends=True), 1):
        if not line.lstrip().startswith(b"#~|"):
            kept.append(line)
            numbers.append(number)
    return b"".join(kept), numbers


def babel_message(exc: Exception) -> str:
    """What Babel's reader found wrong, without its own line number (0-based: the
    error names the line as every other tool does)."""
    text = str(getattr(exc, "message", None) or exc).splitlines()[0]
    return re.sub(r" on \d+$", "", text)


def original_line(numbers: list[int], line: int | None) -> int | None:
    """A line of ``babel_readable``'s text as a line of the catalog it was made from."""
    if line is None or not numbers:
        return line
    return numbers[min(max(line, 1), len(numbers)) - 1]


def unterminated(raw: bytes) -> int | None:
    """The first line whose quoted string does not end on it, as msgfmt finds them."""
    for number, line in enumerate(raw.splitlines(), 1):
        text = line.strip()
        if not text or text.startswith(b"#"):
            continue
        start = text.find(b'"')
        if start < 0:
            continue
        body = text[start + 1 :]
        if not body.endswith(b'"') or (len(body) - len(body[:-1].rstrip(b"\\")) - 1) % 2:
            return number
    return None


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




def differs(path: Path, catalog, date_field: str) -> bool:
    """Whether ``catalog`` written with the file's own date would change more of
    the file than the version of Babel that wrote it: a new Babel alone never
    makes a catalog dirty."""
    old = read_catalog(path)
    setattr(catalog, date_field, getattr(old, date_field))
    return _GENERATED_BY.sub(b"", render(catalog)) != _GENERATED_BY.sub(b"", path.read_bytes())


_GENERATED_BY = re.compile(rb'^"Generated-By: [^"\n]*\\n"\n', re.MULTILINE)



def seed_from_table(site: Catalogs, lang: str, catalog) -> str | None:
    """A new catalog takes the translations a person already made in the
    language's tables (i18n/<lang>.*; Docusaurus's i18n/<locale>/*.json, whose
    theme strings come translated; nav_translations); a notice saying so, if
    there were any. On a Docusaurus or MkDocs site a string still the same as
    its source is no translation (write-translations copies the source)."""
    found = []
    by_context: dict[str, tuple[UIString, UIString | None]] = {}
    for name, table in site.tables():
        existing = site.translated(name, table, lang)
        if existing is None:
            continue
        found.append(existing.path)
        for entry in existing.entries:
            by_context[context(name, entry.id)] = (entry, table.get(entry.id))
    if not found:
        return None
    categories = langs.plural_categories(site.cfg.code(lang), catalog.num_plurals, catalog.plural_expr)
    for message in catalog:
        entry, original = by_context.get(message.context, (None, None)) if message.context else (None, None)
        if entry is None or not entry.text:
            continue
        if site.cfg.ui != "hugo" and original is not None and entry.text == original.text:
            continue
        if message.pluralizable:
            forms = entry.text if isinstance(entry.text, dict) else {"other": entry.text}
            message.string = tuple(forms.get(c, forms.get("other", "")) for c in categories)
        elif isinstance(entry.text, str):
            message.string = entry.text
    return f"{site.rel(site.po(lang))}: translations taken from {', '.join(sorted({site.rel(p) for p in found}))}"



def translate_catalog(site: Catalogs, lang: str, call: Callable[[list[str]], list[str]]) -> tuple[Any, bool, list[str]]:
    """Fill a catalog's empty translations through ``call`` (texts -> translations),
    each marked fuzzy: (the catalog, whether anything was filled, notices)."""
    notices: list[str] = []
    path = site.po(lang)
    if not path.is_file():
        raise ConfigError(f"{site.rel(path)} does not exist: run l10n catalog update --to {lang} first")
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
    pieces = {t: plain_pieces(t, PLACEHOLDERS) for t in texts}
    sent = {t: _engine_text(pieces[t]) for t in texts}
    unique = sorted(set(sent.values()))
    translated = dict(zip(unique, call(unique))) if unique else {}
    done: dict[str, str] = {}
    for t in texts:
        if not translated.get(sent[t], "").strip():
            continue  # nothing came back (or it was refused): the message stays untranslated
        out = _put_back(pieces[t], translated[sent[t]], sent[t])
        if out is None:  # the engine lost a placeholder: translate around them instead
            fragments = [p.text for p in pieces[t] if p.kind == TEXT and p.text.strip()]
            outs = call(fragments) if fragments else []
            if not all(o.strip() for o in outs):
                continue
            queue = iter(outs)
            out = "".join(next(queue) if p.kind == TEXT and p.text.strip() else p.src for p in pieces[t])
            line = next((m.lineno for m, sources in work if t in sources), None)
            notices.append(f"{site.rel(path)}:{line}: warning: a placeholder was lost by the engine; translated piece by piece")
        done[t] = out
    work = [(message, sources) for message, sources in work if all(t in done for t in sources)]
    for message, sources in work:
        outs = [done[t] for t in sources]
        message.string = tuple(outs) if message.pluralizable else outs[0]
        message.flags.add("fuzzy")
    return catalog, bool(work), notices


def _engine_text(pieces) -> str:
    return engine_text(Segment("ui", 0, pieces, codec="plain"))


def _put_back(pieces, output: str, sent: str) -> str | None:
    if not output.strip():
        return None
    if output == sent:
        return "".join(p.src for p in pieces)
    return plain_translation(Segment("ui", 0, pieces, codec="plain"), output)




# --------------------------------------------------------------------------
# Checking


def _differing(original: str, text: str) -> str:
    ours, theirs = Counter(PLACEHOLDERS.findall(original)), Counter(PLACEHOLDERS.findall(text))
    if ours == theirs:
        return ""
    lost = ", ".join(sorted((ours - theirs).elements()))
    added = ", ".join(sorted((theirs - ours).elements()))
    return "; ".join(x for x in (lost and f"lost {lost}", added and f"added {added}") if x)


def _placeholder_problems(message) -> Iterator[str]:
    ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
    strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
    for index, text in enumerate(strings):
        if not text:
            continue
        what = _differing(ids[min(index, len(ids) - 1)], text)
        if what:
            yield f"placeholders differ{f' (plural form {index})' if len(strings) > 1 else ''}: {what}"


def placeholders(catalog, message) -> None:
    """A Babel checker (entry point ``babel.checkers``, so ``Catalog.check()`` and
    pybabel run it): a translation must keep its msgid's placeholders (``%s``,
    ``{name}``, ``{{ .Count }}``, tags, entities, URLs)."""
    from babel.messages.checkers import TranslationError

    if not message.id or not message.string:
        return
    for problem in _placeholder_problems(message):
        raise TranslationError(problem)


def check_catalog(path: Path, shown: str) -> list[Finding]:
    """Placeholders lost, added or changed in a catalog's translations (fuzzy ones included)."""
    findings = []
    for message in read_catalog(path):
        if message.id and message.string:
            findings.extend(Finding(shown, message.lineno, ERROR, "placeholders", problem)
                            for problem in _placeholder_problems(message))
    return findings
