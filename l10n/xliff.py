"""XLIFF 1.2 files: translation units written and read, inline markup as the format's codes.

Paired markup (emphasis, links) is ``<g id="g1" ctype="bold">…</g>``, void
markup (code spans, shortcodes, HTML tags, protected terms) is ``<x id="x2"
equiv-text="`ls`"/>``, numbered as the engines' tagged text numbers them, so
a CAT tool shows them as tags a translator cannot break. XLIFF 1.2 rather
than 2.x because the tools translators use (OmegaT through Okapi, Trados,
memoQ, Poedit, Weblate, Crowdin, Translate Toolkit) all read it fully. What
is written validates against OASIS's strict schema.

A machine target the engine gave a confidence for has a note saying it,
``<note from="l10n-confidence" annotates="target">0.87</note>`` (0-1, the
weakest sentence's), for a CAT tool to sort or filter by.

Each unit carries, in its ``extradata`` attribute (the format's place for a
tool's own data), the digest of the target as exported: on import a target
still as exported is known to be nobody's new work. A file is read as a
stream by expat, within bounds: no document type or entity (nothing can
expand or reach a file), at most ``limits.MAX_EXCHANGE`` bytes, a text of at most
``limits.MAX_BYTES``, inline codes nested at most ``MAX_DEPTH`` deep.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from .errors import ContentError
from .exchange import CONFIDENCE, TAG, Exchange, FileUnits, Unit, confidence_note, exported_note, read_exported
from .limits import MAX_BYTES, check_exchange

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
#: Unit states, and how XLIFF 1.2 writes each: (state, state-qualifier).
STATES = {
    "new": ("new", ""),
    "machine": ("needs-review-translation", "mt-suggestion"),
    "stale": ("needs-review-translation", ""),
    "edited": ("translated", ""),
    "reviewed": ("signed-off", ""),
}
#: XLIFF states that say a person translated or approved the target.
DONE_STATES = {"translated", "signed-off", "final", "needs-review-adaptation", "needs-review-l10n"}
#: ctype values XLIFF 1.2 strict allows: on <g> (paired) and on <x/> (void); others are "x-...".
_CTYPES = {"strong": "bold", "em": "italic", "link": "link"}
#: How deep inline codes may nest in one source or target.
MAX_DEPTH = 100
#: What extradata says before the digest of the target as exported.
EXPORTED = "l10n-exported:"


def write_xliff(exchange: Exchange) -> bytes:
    """The units as an XLIFF 1.2 document (one ``<file>`` per article)."""
    ET.register_namespace("", XLIFF_NS)
    root = ET.Element("xliff", {"version": "1.2", "xmlns": XLIFF_NS})
    for file in exchange.files:
        f = ET.SubElement(root, "file", {"original": file.original, "source-language": file.source_lang or exchange.source_lang,
                                         "target-language": exchange.target_lang, "datatype": "x-markdown",
                                         "tool-id": "l10n"})
        header = ET.SubElement(f, "header")
        ET.SubElement(header, "tool", {"tool-id": "l10n", "tool-name": "l10n"})
        if file.target:
            ET.SubElement(header, "note", {"from": "l10n"}).text = f"translation: {file.target}"
        body = ET.SubElement(f, "body")
        for unit in file.units:
            attrs = {"id": unit.id, "resname": f"{file.original}:{unit.line}", "xml:space": "preserve"}
            if unit.state == "reviewed":
                attrs["approved"] = "yes"
            if unit.exported is not None:
                attrs["extradata"] = EXPORTED + exported_note(unit).replace(" ", ":")
            tu = ET.SubElement(body, "trans-unit", attrs)
            _inline(ET.SubElement(tu, "source"), unit.source, unit.codes)
            if unit.target is not None:
                state, qualifier = STATES[unit.state]
                t = ET.SubElement(tu, "target", {"state": state, **({"state-qualifier": qualifier} if qualifier else {})})
                _inline(t, unit.target, unit.codes)
            for score, src, tgt in unit.matches:
                alt = ET.SubElement(tu, "alt-trans", {"match-quality": str(score), "origin": "l10n memory"})
                ET.SubElement(alt, "source").text = xml_text(src)
                ET.SubElement(alt, "target").text = xml_text(tgt)
            for note in unit.notes:
                ET.SubElement(tu, "note", {"from": "l10n"}).text = xml_text(note)
            if unit.confidence is not None and unit.target is not None:
                ET.SubElement(tu, "note", {"from": CONFIDENCE, "annotates": "target"}).text = confidence_note(unit)
    _layout(root)
    out = io.BytesIO()
    ET.ElementTree(root).write(out, encoding="UTF-8", xml_declaration=True)
    return out.getvalue() + b"\n"


def _layout(el: ET.Element, level: int = 0) -> None:
    """Indent the file's structure; sources, targets and notes hold text exactly."""
    if el.tag.rsplit("}", 1)[-1] in ("source", "target", "note", "tool"):
        return
    children = list(el)
    if not children:
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in children:
        _layout(child, level + 1)
        child.tail = pad
    children[-1].tail = "\n" + "  " * level


#: Characters XML 1.0 cannot hold: written as U+FFFD (a page rarely has one; an
#: XLIFF holding one could be read by no tool).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _inline(parent: ET.Element, text: str, codes: dict[tuple[str, int], tuple[str, str]]) -> None:
    """Tagged text as XLIFF inline elements under ``parent``."""
    stack = [parent]
    last: ET.Element | None = None  # where the next text goes: its tail, or the parent's text

    def put(s: str) -> None:
        if not s:
            return
        s = xml_text(s)
        if last is None:
            stack[-1].text = (stack[-1].text or "") + s
        else:
            last.tail = (last.tail or "") + s

    pos = 0
    for m in TAG.finditer(text):
        put(text[pos : m.start()])
        pos = m.end()
        closing, kind, number, _void = m.groups()
        n = int(number)
        markup, src = codes.get((kind, n), ("", ""))
        if kind == "x":
            el = ET.SubElement(stack[-1], "x", {"id": f"x{number}", "ctype": _ctype(markup), "equiv-text": xml_text(src)})
            last = el
        elif closing:
            last = stack.pop() if len(stack) > 1 else None
        else:
            el = ET.SubElement(stack[-1], "g", {"id": f"g{number}", "ctype": _ctype(markup)})
            stack.append(el)
            last = None
    put(text[pos:])


def _ctype(markup: str) -> str:
    """A code's ctype: one of the strict schema's own, else an ``x-`` extension."""
    return _CTYPES.get(markup, f"x-md-{markup or 'markup'}".replace("_", "-"))


# --------------------------------------------------------------------------
# Reading


def read_xliff(data: bytes, where: str) -> Exchange:
    """An XLIFF 1.2 file's units (sources and targets as tagged text)."""
    check_exchange(len(data), where)
    reader = _Reader()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse(*_args) -> None:
        raise _Refused

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda name, attrs: reader.start(name, attrs, parser.CurrentLineNumber)
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    try:
        parser.Parse(data, True)
    except _Refused:
        raise ContentError("XLIFF file with a document type or entities; refused (an exchange file needs neither)",
                           where) from None
    except _NotXliff as exc:
        raise ContentError(str(exc), where, parser.CurrentLineNumber) from None
    except expat.ExpatError as exc:
        raise ContentError(f"not a well-formed XLIFF file ({expat.ErrorString(exc.code)})", where,
                           exc.lineno) from None
    except (LookupError, ValueError) as exc:
        raise ContentError(f"XLIFF file in an encoding that cannot be read ({exc})", where) from None
    if not reader.root_seen:
        raise ContentError("not an XLIFF file (it has no <xliff> element)", where)
    return reader.exchange


class _Refused(Exception):
    """A document type or an entity declaration."""


class _NotXliff(Exception):
    """A root element that is not XLIFF 1.x."""


class _Reader:
    """expat's events into units: the text of each unit's own <source> and <target>
    (not an <alt-trans>'s) as tagged text, with its attributes and line."""

    def __init__(self) -> None:
        self.exchange = Exchange("", "", format="xliff")
        self.root_seen = False
        self.ns = ""
        self.path: list[str] = []
        self.file: FileUnits | None = None
        self.unit: Unit | None = None
        #: The unit's <source> or <target> being read: its text parts, inline codes open.
        self.into: str = ""
        self.out: list[str] = []
        self.size = 0
        self.open: list[str] = []
        self.ids: dict[str, Unit] = {}

    def local(self, name: str) -> str | None:
        """An element's name in XLIFF's namespace, else None (another vocabulary)."""
        ns, _, local = name.rpartition(" ")
        return local if ns == self.ns else None

    def start(self, name: str, attrs: dict[str, str], line: int) -> None:
        if not self.path:
            ns, _, local = name.rpartition(" ")
            if local != "xliff":
                raise _NotXliff("not an XLIFF file (its root element is not <xliff>)")
            if not attrs.get("version", "").startswith("1."):
                raise _NotXliff(f"XLIFF {attrs.get('version')!r}: l10n reads XLIFF 1.2")
            self.ns, self.root_seen = ns, True
        local = self.local(name)
        parent = self.path[-1] if self.path else ""
        self.path.append(local or "")
        if self.into:
            self.inline(local, name, attrs)
            return
        if local == "file" and parent == "xliff":
            self.file = FileUnits(attrs.get("original", ""))
            self.exchange.files.append(self.file)
            self.ids = {}
            self.exchange.source_lang = self.exchange.source_lang or attrs.get("source-language", "")
            self.exchange.target_lang = self.exchange.target_lang or attrs.get("target-language", "")
            self.file.source_lang = attrs.get("source-language", "")
            self.file.target = attrs.get("target-language", "")
        elif local == "trans-unit" and self.file is not None:
            unit = Unit(attrs.get("id", ""), "", where=line)
            extra = attrs.get("extradata", "")
            if extra.startswith(EXPORTED):
                read_exported(unit, extra[len(EXPORTED):].replace(":", " "))
            if not unit.id:
                unit.error = "it has no id"
            elif unit.id in self.ids:
                unit.error = self.ids[unit.id].error = f"its id {unit.id} is given to two units in the file"
            else:
                self.ids[unit.id] = unit
            unit.approved = attrs.get("approved") == "yes"
            self.unit = unit
            self.file.units.append(unit)
        elif local in ("source", "target") and parent == "trans-unit" and self.unit is not None:
            self.into, self.out, self.size, self.open = local, [], 0, []
            if local == "target":
                self.unit.state = attrs.get("state", "")
                self.unit.qualifier = attrs.get("state-qualifier", "")

    def inline(self, local: str | None, name: str, attrs: dict[str, str]) -> None:
        """An element inside a source or target: XLIFF's <g>, <x/> and <mrk> only."""
        assert self.unit is not None
        if len(self.open) >= MAX_DEPTH:
            self.fail(f"its inline codes are nested more than {MAX_DEPTH} deep")
        number = attrs.get("id", "").lstrip("gx")
        if local == "g":
            self.put(f"<g{number}>")
        elif local == "x" and number.isdigit():
            self.put(f"<x{number}/>")
        elif local != "mrk":  # a marker (a term, a comment): its text counts
            shown = name.replace(" ", ":") if local is None else local
            self.fail(f"it holds a <{shown}> element; l10n's units carry markup only as <g> and <x/>")
        self.open.append(f"</g{number}>" if local == "g" else "")

    def end(self, name: str) -> None:
        self.path.pop()
        if not self.into:
            if self.local(name) == "trans-unit":
                self.unit = None
            return
        if self.open:
            self.put(self.open.pop())
            return
        assert self.unit is not None
        text = "".join(self.out)
        if self.into == "source":
            self.unit.source = text
        else:
            self.unit.target = text
            if self.unit.approved:
                self.unit.state, self.unit.qualifier = "signed-off", ""
        self.into, self.out = "", []

    def text(self, data: str) -> None:
        if self.into:
            self.put(data)

    def put(self, text: str) -> None:
        self.size += len(text)
        if self.size > MAX_BYTES:
            self.fail(f"its text is over {MAX_BYTES // 1048576} MB")
            return
        if self.unit is not None and not self.unit.error:
            self.out.append(text)

    def fail(self, why: str) -> None:
        assert self.unit is not None
        if not self.unit.error:
            self.unit.error = why
        self.out = []
