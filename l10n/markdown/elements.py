"""HTML elements by what l10n does with them: inline, code, never prose, empty; and whose content stays as written."""

from __future__ import annotations

import re

#: Phrasing elements: inside a block's text, like emphasis or links in Markdown.
INLINE = {
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "button", "cite", "data", "del", "dfn", "em",
    "font", "i", "img", "input", "ins", "label", "mark", "nobr", "q", "ruby", "rb", "rp", "rt", "s", "small",
    "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "wbr",
}
#: Inline elements whose content is code: shown to the engine as a name, or not at all.
CODE = {"code", "kbd", "samp", "var"}
#: Elements whose content is never prose.
NEVER = {"script", "style", "pre", "textarea", "svg", "math", "template", "iframe", "object", "canvas",
         "video", "audio", "noscript", "select"}
#: Elements that have no end tag.
EMPTY = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}

#: An attribute in a start tag: its name, and its value double-quoted, single-quoted or bare.
ATTRIBUTE = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|[^\s"'=<>`]+))?""")
_START = re.compile(r"<([A-Za-z][\w:-]*)")


def kept(name: str, attrs: dict[str, str]) -> bool:
    """Whether an element's content stays as written: code, scripts, or marked not to translate."""
    return (name in NEVER or name in CODE or attrs.get("translate", "").lower() == "no"
            or "notranslate" in attrs.get("class", "").split())


def kept_tag(raw: str) -> bool:
    """Whether a start tag as written (``<kbd>``, ``<span translate="no">``) opens an element kept as written."""
    m = _START.match(raw)
    if m is None:
        return False
    attrs = {a.group(1).lower(): a.group(2) or a.group(3) or "" for a in ATTRIBUTE.finditer(raw, m.end())
             if a.group(1) not in (">", "/")}
    return kept(m.group(1).lower(), attrs)
