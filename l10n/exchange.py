"""Translation units for translators' tools: XLIFF 1.2 and PO files, out and back in.

Every segment of an article (front-matter values, headings, paragraphs, list
items, cells, HTML-block text) is one unit. Its id is the digest of the
segment's source text (``3fa2c1d0e9``; ``3fa2c1d0e9.2`` for its second
occurrence in the file), so a re-export after the source changed keeps every
unchanged unit's id and a translator's work lines up; a unit whose source
changed has a new id, and an old file's unit for it is *stale*.

A unit's text is the segment's tagged text (``<g1>…</g1>``, ``<x2/>``, as
``markdown.tags`` numbers them), which ``xliff`` writes as XLIFF's inline
codes; in a PO file (po4a's and mdpo's convention) a message is the
segment's Markdown, line breaks as ``\\n``.

This module holds the units and reads and writes PO catalogs; ``xliff``
reads and writes XLIFF, ``applying`` turns one unit's translation into its
segment, ``verdicts`` judges whose text a unit may replace, and
``commands.export`` and ``commands.exchange`` run export and import over a
site.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterator, Sequence

from . import markdown, sentences
from .catalogs import babel_message, babel_readable, original_line, unterminated
from .document import CLOSE, OPEN, TEXT, VOID, Document, Segment
from .errors import ContentError
from .limits import check_exchange
from .markdown import plain, tags
from .write import digest

#: A tag of the tagged text: (closing "/", "g" or "x", number, void "/").
TAG = re.compile(r"<(/?)([gx])(\d+)(/?)>")


@dataclass(slots=True)
class Unit:
    """One segment, as a translator's tool sees it."""

    id: str
    #: The source: tagged text (``<g1>…</g1>``, ``<x2/>``) for XLIFF, Markdown for PO.
    source: str
    target: str | None = None
    #: new, machine, stale, edited, reviewed; on import, the file's own state.
    state: str = "new"
    line: int = 0
    #: What a translator is told: where it is, check findings, a previous translation.
    notes: list[str] = field(default_factory=list)
    #: What each tag stands for: ("g" or "x", number) -> (markup, source text).
    codes: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    #: Close memory matches: (similarity 0-100, source, translation).
    matches: list[tuple[int, str, str]] = field(default_factory=list)
    #: A PO entry marked fuzzy (import).
    fuzzy: bool = False
    #: XLIFF's state-qualifier of the target ("mt-suggestion": still the machine's draft).
    qualifier: str = ""
    #: Why the unit cannot be imported at all, found while reading it.
    error: str = ""
    #: The line of the unit in the exchange file (import), for messages.
    where: int = 0
    #: The digest of its target as l10n exported it (``exported_digest``), and of the page's
    #: segment then; None when the file does not say (another tool's, or one that dropped it).
    exported: str | None = None
    page: str | None = None
    #: XLIFF: the unit is marked approved="yes".
    approved: bool = False
    #: The engine's confidence in the target, in percent (None: not known, or a person's).
    confidence: int | None = None


@dataclass
class FileUnits:
    """The units of one article: its source's key (site-relative) and its translation's."""

    original: str
    units: list[Unit] = field(default_factory=list)
    target: str = ""
    #: The article's own language, when it is not the exchange's.
    source_lang: str = ""


@dataclass
class Exchange:
    """A whole exchange file: a language pair and the articles' units."""

    source_lang: str
    target_lang: str
    files: list[FileUnits] = field(default_factory=list)
    #: "xliff" or "po"
    format: str = "xliff"
    #: PO: plural messages (a page has no plural forms: none is imported).
    plurals: int = 0


# --------------------------------------------------------------------------
# Segments as units


def unit_ids(doc: Document) -> list[tuple[str, Segment]]:
    """Every segment of ``doc`` with its unit id, in document order."""
    seen: Counter = Counter()
    out = []
    for seg in doc.segments():
        key = seg.digest()
        seen[key] += 1
        out.append((key if seen[key] == 1 else f"{key}.{seen[key]}", seg))
    return out


def exported_digest(target: str | None) -> str:
    """What an export says of the target it wrote, to know on import whether anybody
    changed it: its digest, spaces and line wrapping aside (tools reflow them)."""
    return digest(" ".join((target or "").split()))[:16]


def exported_note(unit: Unit) -> str:
    """The digests an export writes beside a unit: its target's, and the page segment's."""
    return f"{unit.exported} {unit.page or '-'}"


def read_exported(unit: Unit, note: str) -> None:
    """The digests ``exported_note`` wrote, back on the unit (nothing when unreadable)."""
    found = note.split()
    if found and all(len(d) == 16 and all(c in "0123456789abcdef-" for c in d) for d in found[:2]):
        unit.exported = found[0]
        unit.page = found[1] if len(found) > 1 and found[1] != "-" else None


def base_id(unit_id: str) -> str:
    return unit_id.split(".", 1)[0]


def has_markup(seg: Segment) -> bool:
    """Whether a segment carries inline markup (Markdown, or the text of an HTML block),
    rather than being a value (front matter, a parameter, an attribute)."""
    return seg.codec in ("markdown", "html")


def tagged(seg: Segment) -> tuple[str, dict[tuple[str, int], tuple[str, str]]]:
    """The segment's tagged text and what each tag stands for (a value, such as a
    front-matter title, is its whole text: it has no markup to carry)."""
    pieces = seg.pieces
    if not has_markup(seg):  # a value: no markup but protected terms, edges included
        codes, out = {}, []
        for p in pieces:
            if p.kind == VOID:
                codes[("x", len(codes) + 1)] = (p.markup, p.src)
                out.append(f"<x{len(codes)}/>")
            else:
                out.append(p.text if p.kind == TEXT else p.src)
        return "".join(out), codes
    codes: dict[tuple[str, int], tuple[str, str]] = {}
    for i, name in tags.numbered(seg).items():
        m = TAG.fullmatch(name)
        if m and not m.group(1):
            codes[(m.group(2), int(m.group(3)))] = (pieces[i].markup, pieces[i].src)
    return tags.engine_text(seg), codes


def edges(seg: Segment) -> bool:
    """Whether the segment has markup at its edges that its tagged text leaves out
    (it is put back as it is): then a translator is shown the whole segment."""
    if not has_markup(seg):
        return False
    lo, hi = tags.core_range(seg.pieces)
    return any(p.src.strip() for p in seg.pieces[:lo] + seg.pieces[hi:])


def tagged_like(source: Segment, translation: Segment) -> str | None:
    """A translation's segment as tagged text numbered as its source's tags, or None
    when its markup is not the source's (a person changed a link, added emphasis)."""
    if not has_markup(source):
        text, _codes = tagged(translation)
        return text if Counter(TAG.findall(text)) == Counter(TAG.findall(tagged(source)[0])) else None
    names = tags.numbered(source)
    pool: dict[tuple, list[str]] = {}
    src_pieces = source.pieces
    for i, name in names.items():
        p = src_pieces[i]
        if p.kind in (VOID, OPEN):
            partner = _partner(src_pieces, i)
            pool.setdefault((p.kind, p.markup, _fixed(p), partner), []).append(name)
    pieces = translation.pieces
    lo, hi = tags.core_range(pieces)
    out: list[str] = []
    open_names: dict[int, str] = {}
    for i in range(lo, hi):
        p = pieces[i]
        if p.kind == TEXT:
            out.append(p.text)
            continue
        if p.kind == CLOSE:
            if p.pair not in open_names:
                return None
            out.append("</" + open_names.pop(p.pair)[1:])
            continue
        found = pool.get((p.kind, p.markup, _fixed(p), _partner(pieces, i)))
        if not found:
            if p.kind == VOID and p.markup == "escape":  # a character the writer escaped: text, not markup
                out.append(p.text)
                continue
            return None
        name = found.pop(0)
        if p.kind == OPEN:
            open_names[p.pair] = name
        out.append(name)
    if open_names or any(pool.values()):
        return None
    return re.sub(r"  +", " ", "".join(out)).strip()


def _partner(pieces, i: int) -> str:
    """A paired piece's closing markup (a link's target), so both ends identify it."""
    p = pieces[i]
    if p.kind != OPEN:
        return ""
    return next((_fixed(q) for q in pieces[i + 1 :] if q.kind == CLOSE and q.pair == p.pair), "")


def _fixed(piece) -> str:
    """A piece of markup without the text translated inside it (a link's title, a
    shortcode's parameters): what stays the same in every translation."""
    if piece.kind == CLOSE and piece.markup in ("link", "image") and piece.src.startswith("]") and \
            not piece.src.startswith("]("):
        return "]["  # a reference link, however its label is written (full, collapsed, shortcut)
    if piece.parts is None:
        return piece.src
    return "\x00".join(part for part in piece.parts if isinstance(part, str))


def markdown_text(seg: Segment) -> str:
    """A segment as a PO message holds it: its Markdown, each line break a plain ``\\n``
    (no list indentation or quote marker), as po4a writes it."""
    prefixes = joints(seg)
    out = []
    for p in seg.pieces:
        src = p.src
        if "\n" in src:
            for joint in sorted(set(p.joints) | prefixes, key=len, reverse=True):
                if joint.strip("\r\n"):  # a line break and the next line's container prefix
                    src = src.replace(joint, "\n")
        out.append(src)
    return "".join(out)


def joints(seg: Segment) -> set[str]:
    """The line breaks of a segment with their container prefixes (``\\n> ``, ``\\n   ``)."""
    found = {j for p in seg.pieces if p.kind == TEXT for j in p.joints}
    found.update(p.src[p.src.index("\n"):] for p in seg.pieces
                 if p.kind != TEXT and "\n" in p.src and not p.src.strip(" \t>\r\n\\"))
    return found


def fragment(text: str) -> Document:
    """A message's Markdown read on its own, as a page's body (``---`` is a rule here,
    not the start of front matter)."""
    return markdown.parse("\n" + text.strip("\n") + "\n")


def normalized(text: str) -> str:
    """What two messages that differ only in spaces and line wrapping share."""
    return " ".join(text.split())


# --------------------------------------------------------------------------
# PO (gettext): Babel writes and reads it


#: The comment a PO message carries its exported target's digest in.
PO_EXPORTED = "l10n-exported: "
#: What a unit's note (XLIFF) or comment (PO) says before the engine's confidence in its
#: target, 0-1 (a CAT tool can sort by it).
CONFIDENCE = "l10n-confidence"


def confidence_note(unit: Unit) -> str:
    """The engine's confidence in a unit's target as exports write it: ``0.87``."""
    return f"{(unit.confidence or 0) / 100:.2f}"


def write_po(exchange: Exchange) -> bytes:
    """The units as one PO catalog: msgctxt the article and unit id, msgid the Markdown source."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po as babel_write

    catalog = Catalog(locale=None, project="l10n export", version=exchange.target_lang, fuzzy=False)
    catalog.language_team = exchange.target_lang
    catalog.header_comment = (f"# The articles' segments for translation into {exchange.target_lang}, by l10n export.\n"
                              "# msgctxt: the article and the unit's id; msgid: the segment's Markdown; fuzzy:\n"
                              "# a machine draft, or a segment whose source changed. Bring it back with l10n import.")
    for file in exchange.files:
        for unit in file.units:
            flags = {"fuzzy"} if unit.target is not None and unit.state in ("machine", "stale") else set()
            comments = list(unit.notes) + [f"memory {score}%: {src} -> {tgt}" for score, src, tgt in unit.matches]
            if unit.exported is not None:
                comments.append(PO_EXPORTED + exported_note(unit))
            if unit.confidence is not None and unit.target is not None:
                comments.append(f"{CONFIDENCE}: {confidence_note(unit)}")
            # the context names the article too: the same paragraph in two articles is two messages
            catalog.add(unit.source, unit.target or "", locations=[(file.original, unit.line)], flags=flags,
                        auto_comments=comments, context=f"{file.original}#{unit.id}")
    out = io.BytesIO()
    babel_write(out, catalog, width=0, sort_output=False, include_previous=True)
    text = out.getvalue().decode("utf-8")
    head, sep, body = text.partition("\n\n")
    created = re.search(r'"POT-Creation-Date: ([^"]*)\\n"', head)
    # no template placeholders (msgfmt --check warns of them): the header says what is known
    head = re.sub(r'"Report-Msgid-Bugs-To: [^"]*\\n"\n', "", head)
    revised = f'"PO-Revision-Date: {created.group(1) if created else ""}\\n"'
    head = re.sub(r'"PO-Revision-Date: [^"]*\\n"', lambda _m: revised, head)
    head = re.sub(r'"Last-Translator: [^"]*\\n"', lambda _m: '"Last-Translator: \\n"', head)
    # Babel writes no Language header without a locale; translators' tools want one
    head = head.replace('"MIME-Version: 1.0\\n"', f'"Language: {exchange.target_lang}\\n"\n"MIME-Version: 1.0\\n"', 1)
    return (head + sep + body).encode("utf-8")


def read_po(data: bytes, where: str) -> Exchange:
    """A PO catalog's entries as units (no file grouping: ``original`` is "")."""
    from babel.messages.pofile import PoFileError
    from babel.messages.pofile import read_po as babel_read

    check_exchange(len(data), where)
    bad = unterminated(data)
    if bad is not None:  # Babel reads on; msgfmt (and so every other tool) refuses it
        raise ContentError("end-of-line within string (a quote is never closed)", where, bad)
    declared = re.search(rb"charset=([\w.-]+)", data[:4096])
    charset = declared.group(1).decode("ascii") if declared else "utf-8"
    readable, lines = babel_readable(data)
    try:
        catalog = babel_read(io.BytesIO(readable), abort_invalid=True, charset=charset)
    except LookupError:
        raise ContentError(f"PO catalog in an unknown charset {charset!r}", where) from None
    except PoFileError as exc:
        raise ContentError(f"not a readable PO catalog ({babel_message(exc)})", where,
                           original_line(lines, exc.lineno + 1)) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ContentError(f"not a readable PO catalog ({exc})", where) from None
    lang = str(catalog.locale) if catalog.locale else ""
    header = dict(catalog.mime_headers)
    lang = header.get("Language", "") or lang
    exchange = Exchange("", lang.replace("_", "-"), format="po")
    file = FileUnits("")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            exchange.plurals += 1
            continue
        string = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
        unit = Unit(message.context or "", message.id, string or None, fuzzy=message.fuzzy,
                    where=original_line(lines, message.lineno) or 0)
        unit.state = "fuzzy" if message.fuzzy else ("translated" if string else "new")
        unit.notes = [f"{path}:{line}" for path, line in message.locations]
        read_exported(unit, next((c[len(PO_EXPORTED):] for c in message.auto_comments if c.startswith(PO_EXPORTED)),
                                 ""))
        file.units.append(unit)
    exchange.files.append(file)
    return exchange


def sentence_pairs(units: Sequence[Unit]) -> list[tuple[str, str]]:
    """A catalog's pairs as plain text, sentence by sentence where both sides have as
    many sentences (else the whole block): what the translation memory keeps."""
    pairs = []
    for source, target in pairs_from_catalog(units):
        try:
            a = [plain.plain(s) for s in fragment(source).segments()]
            b = [s for s in fragment(target).segments()]
        except ContentError:
            continue
        if len(a) != 1 or len(b) != 1:
            continue
        # the translation's code named as its source's, wherever the translator put it
        form = a[0]
        whole = plain.plain(b[0], like=form).text
        ours = [s for s, _ in sentences.split(form.text)]
        theirs = [t for t, _ in sentences.split(whole)]
        split = list(zip(ours, theirs)) if len(ours) == len(theirs) else [(form.text, whole)]
        # a pair whose code the translator changed, moved to another sentence or wrote
        # as prose would put a stand-in into a later translation: not kept
        pairs.extend((s, t) for s, t in split if form.named_in(s) == form.named_in(t))
    return pairs



def pairs_from_catalog(units: Sequence[Unit], fuzzy: bool = False) -> Iterator[tuple[str, str]]:
    """(source Markdown, translation) pairs a catalog holds, down to single segments:
    a message holding several blocks (a quote, a list) gives one pair per block
    when its translation has the same blocks."""
    for unit in units:
        if not unit.target or (unit.fuzzy and not fuzzy):
            continue
        yield unit.source, unit.target
        flat, translated = normalized(unit.source), normalized(unit.target)
        if " : " in flat and flat.count(" : ") == translated.count(" : "):
            # a definition list whose lines po4a wrapped into one: term and definitions
            yield from zip(flat.split(" : "), translated.split(" : "))
        if "\n" not in unit.source.strip() and not unit.source.lstrip().startswith((">", "-", "*", "+")):
            continue
        try:
            ours = [s for s in fragment(unit.source).segments() if s.kind != "attr"]
            theirs = [s for s in fragment(unit.target).segments() if s.kind != "attr"]
        except ContentError:
            continue
        if ours and [(s.kind, s.block) for s in ours] == [(s.kind, s.block) for s in theirs]:
            for a, b in zip(ours, theirs):
                if markdown_text(a) != unit.source:
                    yield markdown_text(a), markdown_text(b)


# --------------------------------------------------------------------------
# Finding a segment's unit


class Lookup:
    """Where a segment's translation is in an exchange file: by unit id, else (PO)
    by its Markdown, exactly, then with spaces and line wrapping ignored."""

    def __init__(self, exchange: Exchange, fuzzy: bool):
        self.fuzzy = fuzzy
        self.by_file: dict[str, dict[str, Unit]] = {}
        self.by_id: dict[str, Unit] = {}
        self.exact: dict[str, Unit] = {}
        self.loose: dict[str, Unit] = {}
        #: normalized msgids a segment took, and the message each block-level pair came from
        self.used: set[str] = set()
        #: normalized msgids of messages refused, in conflict or left as drafts: never remembered
        self.unwanted: set[str] = set()
        self.parent: dict[str, str] = {}
        #: PO: code block contents and their translations (po4a gives each code block a message)
        self.code: dict[str, str] = {}
        for file in exchange.files:
            good = [u for u in file.units if u.id and not (u.error and "given to two units" in u.error)]
            # the same article in two files (an old and a new export): the later file's units win
            self.by_file.setdefault(file.original, {}).update((u.id, u) for u in good)
            self.by_id.update((u.id, u) for u in good)
        if exchange.format == "po":
            units = [u for f in exchange.files for u in f.units]
            self.code = {u.source: u.target for u in units if u.target and u.source.endswith("\n")
                         and (not u.fuzzy or fuzzy)}
            for unit in units:
                for source, target in pairs_from_catalog([unit], True):
                    part = unit if source == unit.source else replace(unit, source=source, target=target,
                                                                      exported=None, page=None)
                    self.exact.setdefault(source, part)
                    self.loose.setdefault(normalized(source), part)
                    self.parent.setdefault(normalized(source), normalized(unit.source))

    def po_unit(self, seg: Segment, uid: str, key: str) -> Unit | None:
        """A catalog's message for a segment: its own (by context), else one with its Markdown."""
        text = markdown_text(seg)
        unit = self.by_id.get(f"{key}#{uid}") or self.by_id.get(uid)
        if unit is None or unit.source != text:
            unit = self.exact.get(text) or self.loose.get(normalized(text))
        if unit is None or not (unit.target or "").strip():
            return None
        self.used.add(self.parent.get(normalized(unit.source), normalized(unit.source)))
        return unit if unit.source == text else replace(unit, source=text)
