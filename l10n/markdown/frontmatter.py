"""Front matter: find translatable values and maintained fields by their exact spans.

Only the spans of the values l10n changes are touched; every other byte of the
front matter (order, quoting, comments) stays as it was. YAML spans come from
PyYAML's composer; TOML spans from a small scanner whose every finding is
checked against what tomllib reads.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import yaml

from .. import limits
from ..document import TEXT, Document, Field, Piece, Segment
from ..errors import ContentError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class ValueSpan:
    """A value found in the front matter: its key path and where its text is."""

    path: tuple[str, ...]
    start: int
    end: int
    #: YAML: '"', "'", "plain", "|", ">", "seq", "flow", "map"; TOML: '"', "'", "array", "other"
    style: str
    indent: str = ""
    #: Maintained fields: the value as written (YAML 1.1 would read `no` as false).
    raw: Any = None
    #: The YAML anchor (``&name``) written before the value, which aliases elsewhere use.
    anchor: str = ""


def parts(
    kind: str,
    text: str,
    base: int,
    base_line: int,
    path: str | None,
    keys: Sequence[str],
    fields: Iterable[str],
) -> tuple[list, dict[str, Any]]:
    """Parts (str, Segment, Field) for the front matter ``text``, and its values.

    ``base`` is the offset of ``text`` in the file and ``base_line`` its first
    line (1-based), for error locations.
    """
    if kind == "yaml":
        meta, spans = _yaml_spans(text, base_line, path)
    else:
        meta, spans = _toml_spans(text, base_line, path)
    wanted = {tuple(k.split(".")): k for k in keys}
    field_names = set(fields)
    newline = "\r\n" if "\r\n" in text else "\n"
    found: list[tuple[int, int, Any]] = []
    for span in spans:
        value = _lookup(meta, span.path)
        if span.path in wanted and isinstance(value, str) and value.strip() and span.style not in ("seq", "flow", "map", "array", "other", "null"):
            line = base_line + text.count("\n", 0, span.start)
            pieces = [Piece(TEXT, value, text=value)]
            seg = Segment(
                "meta",
                line,
                pieces,
                codec=kind,
                key=wanted[span.path],
                style=span.style,
                src=text[span.start : span.end],
                indent=span.indent,
                newline=newline,
            )
            found.append((span.start, span.end, seg))
        elif len(span.path) == 1 and span.path[0] in field_names and span.style != "map":
            written = span.raw if kind == "yaml" else value
            field = Field(span.path[0], text[span.start : span.end], written, kind, span.indent, style=span.style, newline=newline)
            if span.anchor and re.search(r"\*" + re.escape(span.anchor[1:]) + r"(?![\w-])", text):
                # another key's *alias of it would change with it
                field.held = (f"{span.path[0]} has the YAML anchor {span.anchor}, which another key uses "
                              f"(*{span.anchor[1:]}): not rewritten; write its list out to let l10n keep it")
            found.append((span.start, span.end, field))
    found.sort(key=lambda f: f[0])
    parts: list = []
    pos = 0
    for start, end, obj in found:
        if start < pos:
            continue
        if start > pos:
            parts.append(text[pos:start])
        parts.append(obj)
        pos = end
    if pos < len(text):
        parts.append(text[pos:])
    return parts, meta


def _lookup(meta: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(meta, dict) or key not in meta:
            return None
        meta = meta[key]
    return meta


# --------------------------------------------------------------------------
# YAML


def _yaml_spans(text: str, base_line: int, path: str | None) -> tuple[dict, list[ValueSpan]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        limits.check_yaml(node, path, base_line)
        meta = loader.construct_document(node) if node is not None else {}
    except RecursionError:
        raise ContentError(f"YAML front matter {limits.NESTED}", path, base_line) from None
    except yaml.YAMLError as exc:
        mark, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if context is not None and getattr(exc, "context", None):
            # what was open when it went wrong: a quote never closed is where it opened
            problem += f" ({exc.context.removeprefix('while ')} from line {base_line + context.line})"
            if mark is None or "end of stream" in problem:
                mark = context
        line = base_line + mark.line if mark is not None else base_line
        raise ContentError(f"invalid YAML front matter: {problem}", path, line) from None
    finally:
        loader.dispose()
    if node is None or meta is None:
        return {}, []
    if not isinstance(meta, dict):
        raise ContentError("front matter is not a mapping of keys to values", path, base_line)
    spans: list[ValueSpan] = []
    _walk_yaml(node, (), text, spans)
    return meta, spans


_ANCHOR_OR_TAG = re.compile(r"(?:[&!][^\s\[{]*[ \t]*)+")


def _walk_yaml(node: Any, prefix: tuple[str, ...], text: str, out: list[ValueSpan], in_flow: bool = False) -> None:
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if value.start_mark.index < key.end_mark.index:
            continue  # an alias (*name) to a node written elsewhere: not this key's text
        path = prefix + (str(key.value),)
        start, end = value.start_mark.index, value.end_mark.index
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
        m = _ANCHOR_OR_TAG.match(text, start, end)
        anchor = ""
        if m:  # keep "&anchor !tag" in front of the value as it is
            anchor = next((w for w in m.group(0).split() if w.startswith("&")), "")
            start = m.end()
            while start < end and text[start] in " \t\r\n":
                start += 1
        line_start = text.rfind("\n", 0, start) + 1
        indent = text[line_start:start]
        indent = indent if not indent.strip() else " " * (start - line_start)
        flow = in_flow or bool(getattr(value, "flow_style", False))
        if isinstance(value, yaml.MappingNode):
            out.append(ValueSpan(path, start, end, "map"))
            _walk_yaml(value, path, text, out, flow)
        elif isinstance(value, yaml.SequenceNode):
            items = [item.value if isinstance(item, yaml.ScalarNode) else None for item in value.value]
            out.append(ValueSpan(path, start, end, "flow" if value.flow_style else "seq", indent, raw=items, anchor=anchor))
        elif isinstance(value, yaml.ScalarNode):
            if value.tag == "tag:yaml.org,2002:null" and start == end:
                style = "null"
            elif value.tag != _STR_TAG:
                style = "other"
            else:
                style = value.style or ("plain-flow" if in_flow else "plain")
            key_line = text.rfind("\n", 0, key.start_mark.index) + 1
            raw = None if style == "null" else value.value
            out.append(ValueSpan(path, start, end, style, " " * (key.start_mark.index - key_line), raw=raw, anchor=anchor))


_PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@`")


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or text[0] in _PLAIN_BAD_START:
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    try:
        return yaml.load(text, Loader=_Loader) == text
    except yaml.YAMLError:
        return False


def yaml_scalar(text: str, style: str, src: str = "", indent: str = "", newline: str = "\n") -> str:
    """``text`` as a YAML scalar, in the style the source used where it can hold it."""
    if style == "plain" and _plain_ok(text):
        return text
    if style == "plain-flow" and _plain_ok(text) and not any(c in text for c in ",[]{}"):
        return text
    if style == "'" and "\n" not in text and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    if style in ("|", ">") and src and all(c in "\t\n" or c.isprintable() for c in text):
        header, _, rest = src.partition("\n")
        first = next((line for line in rest.split("\n") if line.strip()), "")
        pad = first[: len(first) - len(first.lstrip())] or indent + "  "
        lines = text.split("\n") if style == "|" else [" ".join(text.split())]
        return header.rstrip("\r") + newline + newline.join(pad + line if line else "" for line in lines)
    return _double_quoted(text)


#: Line breaks YAML reads as such inside a double-quoted scalar (they fold into spaces): escaped.
_YAML_BREAKS = {"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def _double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: JSON's escapes, and YAML's own line breaks."""
    out = json.dumps(text, ensure_ascii=False)
    for char, escape in _YAML_BREAKS.items():
        out = out.replace(char, escape)
    return out


# --------------------------------------------------------------------------
# TOML

_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEYPATH = re.compile(rf"[ \t]*({_KEY}(?:[ \t]*\.[ \t]*{_KEY})*)[ \t]*=[ \t]*")
_TABLE = re.compile(rf"[ \t]*\[[ \t]*({_KEY}(?:[ \t]*\.[ \t]*{_KEY})*)[ \t]*\][ \t]*(?:#.*)?$")
_KEYPART = re.compile(_KEY)


def _key_parts(keypath: str) -> tuple[str, ...]:
    parts = []
    for m in _KEYPART.finditer(keypath):
        k = m.group(0)
        if k[0] == '"':
            k = json.loads(k)
        elif k[0] == "'":
            k = k[1:-1]
        parts.append(k)
    return tuple(parts)


def _toml_spans(text: str, base_line: int, path: str | None) -> tuple[dict, list[ValueSpan]]:
    try:
        meta = tomllib.loads(text)
    except RecursionError:
        raise ContentError(f"TOML front matter {limits.NESTED}", path, base_line) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = base_line + int(m.group(1)) - 1 if m else base_line
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise ContentError(f"invalid TOML front matter: {msg}", path, line) from None
    spans: list[ValueSpan] = []
    table: tuple[str, ...] | None = ()
    pos = 0
    n = len(text)
    while pos < n:
        eol = text.find("\n", pos)
        eol = n if eol < 0 else eol
        line = text[pos:eol]
        stripped = line.strip()
        if stripped.startswith("[["):
            table = None
        elif stripped.startswith("["):
            m = _TABLE.match(line)
            table = _key_parts(m.group(1)) if m else None
        elif stripped and not stripped.startswith("#"):
            m = _KEYPATH.match(line)
            if m:
                start = pos + m.end()
                end, style = _toml_value_end(text, start)
                if table is not None:
                    key = table + _key_parts(m.group(1))
                    if _toml_span_ok(meta, key, text[start:end], style):
                        spans.append(ValueSpan(key, start, end, style))
                eol = text.find("\n", end)
                eol = n if eol < 0 else eol
        pos = eol + 1
    return meta, spans


def _toml_value_end(text: str, start: int) -> tuple[int, str]:
    if text.startswith('"""', start) or text.startswith("'''", start):
        quote = text[start : start + 3]
        end = text.find(quote, start + 3)
        while end >= 0 and quote == '"""' and text[end - 1] == "\\":
            end = text.find(quote, end + 1)
        return (len(text) if end < 0 else end + 3), "other"
    ch = text[start : start + 1]
    if ch == '"':
        i = start + 1
        while i < len(text) and text[i] not in '"\n':
            i += 2 if text[i] == "\\" else 1
        return i + 1, '"'
    if ch == "'":
        end = text.find("'", start + 1)
        return (len(text) if end < 0 else end + 1), "'"
    if ch == "[":
        depth, i, quote = 0, start, ""
        while i < len(text):
            c = text[i]
            if quote:
                if c == "\\" and quote == '"':
                    i += 1
                elif c == quote:
                    quote = ""
            elif c in "\"'":
                quote = c
            elif c == "#":
                nl = text.find("\n", i)
                i = len(text) if nl < 0 else nl
                continue
            elif c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
                if depth == 0:
                    return i + 1, "array"
            i += 1
        return len(text), "other"
    end = start
    while end < len(text) and text[end] not in "\n#":
        end += 1
    while end > start and text[end - 1] in " \t\r":
        end -= 1
    return end, "other"


def _toml_span_ok(meta: dict, key: tuple[str, ...], src: str, style: str) -> bool:
    """The scanner's reading of a value must agree with tomllib's."""
    try:
        value = tomllib.loads("v = " + src)["v"]
    except tomllib.TOMLDecodeError:
        return False
    return value == _lookup(meta, key) and (style != "other" or not isinstance(value, str))


def toml_string(text: str, style: str) -> str:
    if style == "'" and "'" not in text and "\n" not in text and text.isprintable():
        return "'" + text + "'"
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------
# Writing values back


#: What reads as markup in a front-matter value, which a theme may print as HTML
#: (``safeHTML``) or Markdown (``markdownify``): an HTML tag, comment or declaration,
#: a shortcode, Go template syntax.
_VALUE_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*|<[!?]|\{\{[<%]?")


def value_of(segment: Segment) -> str:
    """A front-matter value's text, as read (its protected terms included)."""
    return "".join(p.src for p in segment.pieces)


def markup_added(source: str, translation: str) -> list[tuple[str, str]]:
    """The markup a value's translation holds that its source did not: (what, how
    it starts), such as ("HTML tag", "<script") or ("shortcode", "{{<")."""
    def found(text: str) -> list[tuple[str, str]]:
        if "<" not in text and "{{" not in text:
            return []
        return [_markup_label(m.group(0).lower()) for m in _VALUE_MARKUP.finditer(text)]

    had = Counter(found(source))
    added = []
    for item in found(translation):  # in the order they appear
        if had[item]:
            had[item] -= 1
        else:
            added.append(item)
    return added


def _markup_label(token: str) -> tuple[str, str]:
    if token.startswith("{{"):
        return ("shortcode" if len(token) == 3 else "template syntax", token)
    return ("HTML tag" if token[1:2].isalpha() or token[1:2] == "/" else "HTML", token)


def encode_value(segment: Segment, text: str) -> str:
    """A translated front-matter value as its source would write it."""
    if segment.codec == "yaml":
        return yaml_scalar(text, segment.style, segment.src or "", segment.indent, segment.newline)
    return toml_string(text, segment.style)


def encode_field(field: Field, value: str | list[str]) -> str:
    """A maintained field's new value, in the shape and quoting its source used.

    A list stays a list (flow or block), a scalar stays a scalar; a list of
    languages asked of a field that held none (null, "") is written as a flow
    list; an empty value gets the space YAML needs after its colon.
    """
    src = field.src.strip()
    empty = not src or field.value in (None, "", [])
    if isinstance(value, str) and (isinstance(field.value, list)):
        value = [value]
    if isinstance(value, list) and not isinstance(field.value, list) and not empty:
        value = value if field.name != "lang" else value[0]
    quote = _quote_style(src)
    if isinstance(value, str):
        out = toml_string(value, quote if quote != "plain" else '"') if field.syntax == "toml" else yaml_scalar(value, quote)
    elif field.syntax == "toml":
        out = "[" + ", ".join(toml_string(v, quote if quote != "plain" else '"') for v in value) + "]"
    elif field.style == "seq" and value and isinstance(field.value, list) and value[: len(field.value)] == field.value:
        # items added at the end: the lines written stay as they are, comments and all
        out = src + "".join(field.newline + field.indent + "- " + _item(v, quote) for v in value[len(field.value) :])
    elif field.style == "seq" and value:
        out = "- " + (field.newline + field.indent + "- ").join(_item(v, quote) for v in value)
    else:
        out = "[" + ", ".join(_item(v, quote if quote != "plain" else "plain-flow") for v in value) + "]"
    return " " + out if not field.src and field.syntax == "yaml" else out


def _quote_style(src: str) -> str:
    """The quoting of the first value in a field's source: '"', "'" or "plain"."""
    first = src.lstrip("[- \t\r\n")
    if first[:1] in ("\"", "'"):
        return first[:1]
    return "plain" if first else '"'


def _item(value: str, quote: str) -> str:
    return yaml_scalar(value, quote)


_FIRST_VALUE = re.compile(r"""(?P<q>["'])(?P<v>(?:(?!(?P=q)).)*)(?P=q)|(?P<plain>[^\s\[\],#"'-][^\s\[\],#]*)""")


def replace_value(field: Field, value: str) -> str:
    """The field's source with its first value replaced and every other byte kept
    (comments, spacing, the list's shape): how --fix rewrites ``lang``."""
    src = field.src
    m = _FIRST_VALUE.search(src)
    if m is None:
        return encode_field(field, value)
    if m.group("q"):
        quote = m.group("q")
        new = (toml_string(value, quote) if field.syntax == "toml" else yaml_scalar(value, quote))
    else:
        new = toml_string(value, '"') if field.syntax == "toml" else yaml_scalar(value, "plain-flow")
    return src[: m.start()] + new + src[m.end() :]


def render_fields(parts: list, values: dict[str, Any] | None) -> str:
    """Rendered parts joined, each maintained field set to its entry in ``values``
    (a field already holding its value keeps its bytes); ``None`` leaves the fields out."""
    out = []
    for part in parts:
        if not isinstance(part, Field):
            out.append(part)
        elif values is not None:
            value = values.get(part.name, part.value)
            held = part.value == value or (isinstance(value, str) and part.value == [value]) or bool(part.held)
            out.append(part.src if held or part.name not in values else encode_field(part, value))
    return "".join(out)


def with_field(doc: Document, name: str, value: Any) -> str | None:
    """The document with one maintained field set to ``value``, or None if it has no
    such field or the field already holds that value."""
    f = doc.fields.get(name)
    if f is None or f.value == value or f.held:
        return None
    f.replacement = encode_field(f, value)
    try:
        return doc.render()
    finally:
        f.replacement = None
