"""UI-string tables: Hugo's (go-i18n, ``i18n/<lang>.yaml|toml|json``) and Docusaurus's JSON (``i18n/<locale>/code.json``...), read and written.

An entry is an id and a text, or plural forms by CLDR category; a table is a
list of ``id``/``translation`` entries, a mapping of ids to texts, or a
mapping of ids to forms; Docusaurus's maps ids to ``{"message", "description"}``.
Writing keeps the format and shape of the source's table, as Babel keeps
pofile apart from its catalog.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import langs, limits
from .errors import ContentError, L10nError
from .write import write_atomic

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FORMATS = ("yaml", "yml", "toml", "json")
#: go-i18n's plural categories, in CLDR's order.
CATEGORIES = ("zero", "one", "two", "few", "many", "other")


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
    #: "list" (- id: ..., translation: ...), "map" (id: text), "nested" (id: {other: ...})
    #: or "docusaurus" (id: {message: ..., description: ...})
    style: str
    entries: list[UIString] = field(default_factory=list)

    def get(self, id: str) -> UIString | None:
        return next((e for e in self.entries if e.id == id), None)


def find_table(site: Path, lang: str) -> Path | None:
    for ext in FORMATS:
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
            if isinstance(value, dict) and "message" in value and table.style in ("map", "docusaurus"):
                table.style = "docusaurus"
                table.entries.append(_entry(path, str(key), value["message"], lines, value.get("description", "")))
                continue
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
        return limits.safe_yaml(text, path)
    except L10nError:
        raise
    except RecursionError:
        raise ContentError(f"{fmt.upper()} {limits.NESTED}", path) from None
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


def write_table(path: Path, source: Table, texts: list[tuple[str, str | dict[str, str]]],
                inside: Path | None) -> bool:
    """Write ``texts`` (id, text or forms) in the format and shape of ``source``."""
    fmt = source.format
    if source.style == "docusaurus":  # as write-translations writes it: JSON.stringify(..., null, 2)
        data = {}
        for i, t in texts:
            entry = source.get(i)
            data[i] = {"message": t, **({"description": entry.description} if entry and entry.description else {})}
        out = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "json":
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
    return write_atomic(path, out.encode("utf-8"), inside)


def _ordered(forms: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(forms.items(), key=lambda kv: CATEGORIES.index(kv[0]) if kv[0] in CATEGORIES else 99)


def _yaml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][\w.-]*", key) else json.dumps(key)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def same_strings(path: Path, texts: list[tuple[str, str | dict[str, str]]]) -> bool:
    """Whether the table at ``path`` already holds exactly these (id, text) entries."""
    try:
        existing = read_table(path)
    except ContentError:
        return False
    return [(e.id, e.text) for e in existing.entries] == texts
