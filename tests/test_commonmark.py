"""Every example of the CommonMark specification, and of GitHub's extensions to it, as the
body of an article: ``copy`` gives it back byte for byte; ``pseudo`` and an engine that
keeps tags (tests/engines) give a translation that renders to the source's HTML once
its text is left out, with the source's code, link destinations, entities and escapes.

The specifications are in tests/data/commonmark/ (see its README: sources, licence).
Examples that cannot keep their structure would be listed in IMPOSSIBLE with the reason;
none is today. markdown-it-py renders both sides: CommonMark with GFM's tables and
strikethrough, and for GitHub's examples its autolinks (linkify) and task lists.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pytest
from markdown_it import MarkdownIt
from markdown_it.common.entities import entities as NAMES
from mdit_py_plugins.tasklists import tasklists_plugin

from l10n import engines, markdown
from l10n.translate import translate_documents

DATA = Path(__file__).parent / "data" / "commonmark"
FENCE = "`" * 32
FRONT_MATTER = "---\ntitle: An example\n---\n"
#: Examples that cannot keep their structure under an engine: (spec, number) -> why.
IMPOSSIBLE: dict[tuple[str, int], str] = {}


class Example(NamedTuple):
    spec: str
    number: int
    line: int
    section: str
    extension: str
    markdown: str


def examples(name: str) -> list[Example]:
    """The examples of a spec file, numbered as the spec numbers them (tabs written → there)."""
    lines = (DATA / name).read_text(encoding="utf-8").split("\n")
    out: list[Example] = []
    section = ""
    i = 0
    while i < len(lines):
        if lines[i].startswith("#"):
            section = lines[i].lstrip("#").strip()
        if lines[i].startswith(FENCE + " example"):
            start = i
            i += 1
            body = []
            while lines[i] != ".":
                body.append(lines[i])
                i += 1
            while lines[i] != FENCE:
                i += 1
            text = "\n".join(body).replace("→", "\t") + ("\n" if body else "")
            out.append(Example(name, len(out) + 1, start + 1, section, lines[start][len(FENCE) + 9 :].strip(), text))
        i += 1
    return out


COMMONMARK = examples("spec.txt")
#: GitHub's extensions: tables, strikethrough, autolinks, task lists (its spec marks those
#: "disabled"), the tag filter; the rest of its spec is CommonMark's of 2019.
GFM = [e for e in examples("gfm-spec.txt") if e.extension]


def renderer(gfm: bool, join: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": gfm}).enable(["table", "strikethrough"])
    if gfm:
        md.enable("linkify").use(tasklists_plugin)
    if not join:
        md.core.ruler.disable("text_join")  # escapes stay tokens of their own (to count, not to render)
    return md


RENDER = {False: renderer(False), True: renderer(True)}
TOKENS = {False: renderer(False, join=False), True: renderer(True, join=False)}
#: Elements whose text is code: kept as it is, never left out.
CODE = {"code", "kbd", "samp", "var"}
#: Attributes people read: their text is translated.
READ = {"title", "alt"}


class _Skeleton(HTMLParser):
    """Rendered HTML as its elements, attributes and code, text left out; and the ASCII
    punctuation of that text (a literal ``*``, ``<`` or ``&`` stays one)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list = []
        self.code = 0
        self.punctuation: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        self.out.append(("<", tag, self._attributes(attrs)))
        self.code += tag in CODE

    def handle_startendtag(self, tag, attrs):
        self.out.append(("<>", tag, self._attributes(attrs)))

    def _attributes(self, attrs) -> tuple:
        for k, v in attrs:
            if k in READ and v:
                self.punctuation.update(ch for ch in v if ch in _PUNCT)
        return tuple((k, "…" if k in READ and v else v) for k, v in attrs)

    def handle_endtag(self, tag):
        self.out.append(("/", tag))
        self.code -= tag in CODE and self.code > 0

    def handle_data(self, data):
        if self.code:
            self.out.append(data)
        else:
            self.punctuation.update(ch for ch in data if ch in _PUNCT)

    def handle_comment(self, data):
        self.out.append(("!--", data))

    def handle_decl(self, decl):
        self.out.append(("!", decl))

    def handle_pi(self, data):
        self.out.append(("?", data))

    def unknown_decl(self, data):
        self.out.append(("![", data))

    def parse_comment(self, i, report=1):
        """Comments as HTML5 reads them (``<!-->`` is one): Python 3.11's parser does not."""
        for empty in ("<!-->", "<!--->"):
            if self.rawdata.startswith(empty, i):
                self.handle_comment("")
                return i + len(empty)
        end = self.rawdata.find("-->", i + 4)
        if end < 0:
            return -1
        self.handle_comment(self.rawdata[i + 4 : end])
        return end + 3


_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def skeleton(body: str, gfm: bool) -> _Skeleton:
    parser = _Skeleton()
    parser.feed(RENDER[gfm].render(body))
    parser.close()
    return parser


def escapes(body: str, gfm: bool) -> Counter:
    """Backslash escapes as Markdown reads them (a backslash before a letter is none)."""
    found: Counter = Counter()
    stack = list(TOKENS[gfm].parse(body))
    while stack:
        token = stack.pop()
        stack.extend(token.children or [])
        if token.type == "text_special" and token.info == "escape" and token.markup[1:] in _PUNCT:
            found[token.markup] += 1
    return found


_RUN = re.compile(r"(?:&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});)+")
_ONE = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
#: References that escaping engine output may add.
ADDED = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"}


def references(body: str) -> Counter:
    """The references written in a body (prose, titles, attributes, code alike) that a
    translation keeps as written: every one but a letter of a word (caf&eacute;)."""
    found: Counter = Counter()
    for run in _RUN.finditer(body):
        refs = [m.group(0) for m in _ONE.finditer(run.group(0)) if m.group(0)[1] == "#" or m.group(0)[1:-1] in NAMES]
        backslashes = len(body[: run.start()]) - len(body[: run.start()].rstrip("\\"))
        if backslashes % 2:
            refs = refs[1:]  # \&copy; is no reference
        alone = not body[run.start() - 1 : run.start()].isalnum() and not body[run.end() : run.end() + 1].isalnum()
        found.update(ref for ref in refs if alone or not html.unescape(ref).isalnum())
    return found


def translated(engine, chosen: list[Example]) -> list[str]:
    """Each example's body as the engine's translation of its article gives it back."""
    docs = [markdown.parse(FRONT_MATTER + e.markdown, f"{e.spec}:{e.number}") for e in chosen]
    translate_documents(docs, engine, "en", "es")
    out = []
    for doc in docs:
        text = doc.render()
        assert text.startswith("---\n") and "\n---\n" in text, text
        out.append(text.split("\n---\n", 1)[1])
    return out


def why_not(source: str, target: str, gfm: bool) -> str:
    """What of the source's structure a translation lost ("" when nothing)."""
    ours, theirs = skeleton(source, gfm), skeleton(target, gfm)
    a, b = ours.out, theirs.out
    if a != b:
        at = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return f"rendered HTML differs: {a[at:at + 3]} became {b[at:at + 3]}"
    if ours.punctuation != theirs.punctuation:
        return (f"literal punctuation differs: lost {dict(ours.punctuation - theirs.punctuation)}, "
                f"added {dict(theirs.punctuation - ours.punctuation)}")
    lost = escapes(source, gfm) - escapes(target, gfm)
    if lost:
        return f"escapes lost: {dict(lost)}"
    kept, now = references(source), references(target)
    if kept - now or set(now - kept) - ADDED:
        return f"entities changed: lost {dict(kept - now)}, added {dict(now - kept)}"
    return ""


def failures(engine, chosen: list[Example], gfm: bool) -> dict[tuple[str, int], str]:
    out = {}
    for example, target in zip(chosen, translated(engine, chosen)):
        why = why_not(example.markdown, target, gfm)
        if why:
            out[(example.spec, example.number)] = f"{why}\n  {example.markdown!r}\n  -> {target!r}"
    return out


def test_the_specs_are_all_here():
    """The copies are whole: CommonMark 0.31.2 has 652 examples, GFM's 24 of its own."""
    assert len(COMMONMARK) == 652 and COMMONMARK[0].section == "Tabs"
    assert Counter(e.extension for e in GFM) == {"table": 8, "strikethrough": 2, "disabled": 2, "autolink": 11,
                                                  "tagfilter": 1}


@pytest.mark.parametrize("chosen", [COMMONMARK, GFM], ids=["commonmark", "gfm"])
def test_copy_gives_every_example_back_byte_for_byte(chosen):
    changed = [e.number for e, out in zip(chosen, translated(engines.load("copy"), chosen)) if out != e.markdown]
    assert not changed, f"{len(changed)} of {len(chosen)} examples changed under copy: {changed}"


@pytest.mark.parametrize("engine", ["pseudo", "tagkeeping"])
@pytest.mark.parametrize("chosen", [COMMONMARK, GFM], ids=["commonmark", "gfm"])
def test_every_example_keeps_its_structure(engine, chosen):
    found = failures(engines.load(engine), chosen, gfm=chosen is GFM)
    expected = {key for key in IMPOSSIBLE if key[0] == chosen[0].spec}
    unexpected = {key: why for key, why in found.items() if key not in expected}
    assert not unexpected, (f"{len(unexpected)} of {len(chosen)} examples lost structure:\n"
                            + "\n".join(f"{spec} example {n}: {why}" for (spec, n), why in sorted(unexpected.items())))
    assert expected <= set(found), f"listed as impossible, but they pass now: {sorted(expected - set(found))}"


def test_the_check_sees_what_an_engine_breaks():
    """The comparison is no formality: a lost escape, a translated code span or link
    destination, an entity spelt out, a new tag are each caught."""
    assert why_not("\\<br/> not a tag\n", "<br/> no es etiqueta\n", False).startswith("rendered HTML differs")
    assert why_not("\\## foo\n", "## foo\n", False).startswith("rendered HTML differs")
    assert why_not("a \\* b\n", "a * b\n", False).startswith("escapes lost")
    assert why_not("Use `code` here.\n", "Usa `código` aquí.\n", False).startswith("rendered HTML differs")
    assert why_not("[a](/url \"t\")\n", "[b](/url2 \"u\")\n", False).startswith("rendered HTML differs")
    assert why_not("&AElig; &copy;\n", "Æ &copy;\n", False).startswith("entities changed")
    assert why_not('[a](/u "&quot;t&quot;")\n', '[a](/u "\\"t\\"")\n', False).startswith("entities changed")
    assert why_not('[a](/u "f&ouml;&ouml;")\n', '[a](/u "ƒ&ööûûɱļ;&ööûûɱļ;")\n', False).startswith("literal punct")
    assert why_not("caf&eacute; &amp; more\n", "café &amp; más\n", False) == ""
    assert why_not("www.example.com/a\n", "www.example.com/b\n", True).startswith("rendered HTML differs")
