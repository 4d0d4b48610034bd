"""XLIFF 1.2 files: translation units written and read, inline markup as the format's codes.

Paired markup (emphasis, links) is ``<g id="g1" ctype="bold">…</g>``, void
markup (code spans, shortcodes, HTML tags, protected terms) is ``<x id="x2"
equiv-text="`ls`"/>``, numbered as the engines' tagged text numbers them, so
a CAT tool shows them as tags a translator cannot break. XLIFF 1.2 rather
than 2.x because the tools translators use (OmegaT through Okapi, Trados,
memoQ, Poedit, Weblate, Crowdin, Translate Toolkit) all read it fully.
A file with a document type or entities is refused (nothing can expand).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from .errors import ContentError
from .exchange import TAG, Exchange, FileUnits, Unit

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
_CTYPES = {"strong": "bold", "em": "italic", "link": "link", "image": "image"}




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
    return _CTYPES.get(markup, f"x-md-{markup or 'markup'}".replace("_", "-"))


def read_xliff(data: bytes, where: str) -> Exchange:
    """An XLIFF 1.2 file's units (targets as tagged text)."""
    _refuse_dtd(data, where)
    try:
        root = ET.fromstring(data)
    except (LookupError, ValueError) as exc:
        raise ContentError(f"XLIFF file in an encoding that cannot be read ({exc})", where) from None
    except ET.ParseError as exc:
        line = exc.position[0] if hasattr(exc, "position") else None
        raise ContentError(f"not a well-formed XLIFF file ({exc})", where, line) from None
    ns = root.tag[1 : root.tag.index("}")] if root.tag.startswith("{") else ""
    q = (lambda n: f"{{{ns}}}{n}") if ns else (lambda n: n)
    if root.tag != q("xliff"):
        raise ContentError("not an XLIFF file (its root element is not <xliff>)", where)
    if not root.get("version", "").startswith("1."):
        raise ContentError(f"XLIFF {root.get('version')!r}: l10n reads XLIFF 1.2", where)
    exchange = Exchange("", "", format="xliff")
    for f in root.iter(q("file")):
        exchange.source_lang = exchange.source_lang or f.get("source-language", "")
        exchange.target_lang = exchange.target_lang or f.get("target-language", "")
        file = FileUnits(f.get("original", ""))
        for tu in f.iter(q("trans-unit")):
            source, target = tu.find(q("source")), tu.find(q("target"))
            unit = Unit(tu.get("id", ""), "")
            try:
                unit.source = _text(source, q) if source is not None else ""
                if target is not None:
                    unit.target = _text(target, q)
            except _Foreign as exc:
                unit.error = f"it holds a <{exc}> element; l10n's units carry markup only as <g> and <x/>"
            if not unit.id:
                unit.error = "it has no id"
            if target is not None:
                unit.state = target.get("state", "")
                unit.qualifier = target.get("state-qualifier", "")
                if tu.get("approved") == "yes":
                    unit.state, unit.qualifier = "signed-off", ""
            file.units.append(unit)
        exchange.files.append(file)
    return exchange


def _refuse_dtd(data: bytes, where: str) -> None:
    """No document type, so no entity can expand (billion laughs) or reach a file;
    checked by the XML parser itself, so an encoding cannot hide one."""
    from xml.parsers import expat

    class _Refused(Exception):
        pass

    def refuse(*_args) -> None:
        raise _Refused

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _Refused:
        raise ContentError("XLIFF file with a document type or entities; refused (an exchange file needs neither)",
                           where) from None
    except expat.ExpatError as exc:
        raise ContentError(f"not a well-formed XLIFF file ({expat.ErrorString(exc.code)})", where,
                           exc.lineno) from None
    except (LookupError, ValueError) as exc:
        raise ContentError(f"XLIFF file in an encoding that cannot be read ({exc})", where) from None


class _Foreign(Exception):
    """An inline element l10n does not write (``<ph>``, ``<bpt>``, another namespace's)."""


def _text(el: ET.Element, q) -> str:
    """An XLIFF source or target as tagged text; an inline element other than
    XLIFF's ``<g>``, ``<x/>`` and ``<mrk>`` raises _Foreign."""
    out = [el.text or ""]
    for child in el:
        name = child.tag.rsplit("}", 1)[-1]
        if child.tag.startswith("{") and child.tag != q(name):
            raise _Foreign(child.tag.split("}", 1)[0].lstrip("{") + ":" + name)
        number = child.get("id", "").lstrip("gx")
        if name == "g":
            out.append(f"<g{number}>" + _text(child, q) + f"</g{number}>")
        elif name == "x" and number.isdigit():
            out.append(f"<x{number}/>")
        elif name == "mrk":  # a marker (a term, a comment): its text counts
            out.append(_text(child, q))
        else:
            raise _Foreign(name)
        out.append(child.tail or "")
    return "".join(out)
