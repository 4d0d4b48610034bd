"""What tests share: structure signatures read with a plain parser, and small file and CLI helpers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from l10n import markdown
from l10n.document import VOID
from l10n.markdown import dialects

_md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_md.use(footnote_plugin).use(deflist_plugin)
#: MDX has no indented code.
_mdx = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).disable("code")
_mdx.use(footnote_plugin).use(deflist_plugin)
SHORTCODE = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}", re.DOTALL)
#: A translated shortcode parameter (the default names): its value may change.
PARAM = re.compile(r"\b(" + "|".join(markdown.DEFAULT_PARAMS) + r')="(?:[^"\\]|\\.)*"')
HEADING_ID = re.compile(r"(?<=[{\s])#[^\s}]*")
IGNORED = {"text", "softbreak", "text_special", "inline"}


@dataclass
class Signature:
    blocks: list[str]
    inline: Counter
    code: Counter
    targets: Counter
    html: Counter
    shortcodes: Counter
    protected: Counter
    #: protected text in plain values (front matter, parameters): none may be lost
    plain: Counter
    #: backslash escapes: none may be lost (escaping engine output may add others)
    escapes: Counter


def _mask(text: str, options=None) -> str:
    """Shortcodes as inert text of the same length (Hugo reads them before Markdown);
    continuation lines keep their indentation and quote markers. Another dialect's
    constructs likewise (an admonition's titles aside), as the site generator reads them."""
    def inert(chunk: str) -> str:
        return re.sub(r"((?:(?<=\n)[ \t>]*)?)([^\r\n]+)", lambda k: k.group(1) + "\ue000" * len(k.group(2)), chunk)

    dialect = getattr(options, "dialect", "hugo")
    if dialect == "hugo":
        return SHORTCODE.sub(lambda m: inert(m.group(0)), text)
    out, pos = [], 0
    for region in dialects.regions(text, 0, dialect, getattr(options, "extensions", ())):
        masked = inert(text[region.start:region.end])
        out += [text[pos:region.start], region.marker + masked[len(region.marker):]]
        pos = region.end
    return "".join(out) + text[pos:]


FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)\r?\n.*?^\1[ \t]*\r?$", re.DOTALL | re.MULTILINE)


def signature(text: str, options=None) -> Signature:
    """Everything that must come through translation unchanged (read as ``options``'
    dialect reads it, with its translated HTML attributes left out)."""
    m = FRONT_MATTER.match(text)
    body = text[m.end() :] if m else text
    doc = markdown.parse(text, options=options)
    dialect = getattr(options, "dialect", "hugo")
    tokens = (_mdx if dialect == "mdx" else _md).parse(_mask(body, options))
    read = HTML_READ | set(getattr(options, "html_attributes", ()) or ())
    blocks, inline, code, targets, html = [], Counter(), Counter(), Counter(), Counter()
    for tok in tokens:
        if tok.type in ("fence", "code_block"):
            code[body_slice(body, tok)] += 1
        elif tok.type == "html_block":
            code[html_skeleton(body_slice(body, tok), read)] += 1
        if tok.type != "inline":
            blocks.append(tok.type)
            continue
        for child in tok.children or []:
            if child.type in IGNORED:
                continue
            inline[child.type] += 1
            if child.type in ("link_open", "image"):
                targets[child.attrs.get("href") or child.attrs.get("src")] += 1
            if child.type == "code_inline":
                html[child.content] += 1
            elif child.type == "html_inline":
                html[html_skeleton(child.content, read)] += 1
    shortcodes = Counter(PARAM.sub(r"\1=…", m.group(0)) for m in SHORTCODE.finditer(body)) if dialect == "hugo" else Counter()
    protected: Counter = Counter()
    plain: Counter = Counter()
    escapes: Counter = Counter()
    for seg in doc.segments():
        for piece in seg.pieces:
            if piece.markup == "escape":
                escapes[piece.src] += 1
            # shortcodes are counted one by one above; a run of them is one piece
            elif piece.kind == VOID and piece.parts is None and piece.markup != "shortcode":
                src = piece.src
                if seg.kind == "heading" and src.startswith("{"):  # ids written to keep anchors
                    src = HEADING_ID.sub("", src)
                    if not src.strip("{} "):
                        continue
                    src = "{" + " ".join(src.strip("{} ").split()) + "}"
                (protected if seg.codec == "markdown" else plain)[src] += 1
    return Signature(blocks, inline, code, targets, html, shortcodes, protected, plain, escapes)


#: What an HTML block's translation may change: the text of these attributes, and prose.
HTML_READ = {"alt", "title", "aria-label", "placeholder"}
HTML_KEPT = {"script", "style", "pre", "code", "kbd", "samp", "var", "textarea", "svg", "math", "template"}
#: Elements inside text, which an engine may reorder with the words.
HTML_INLINE = {"a", "abbr", "b", "br", "cite", "code", "em", "i", "img", "input", "kbd", "mark", "q", "s", "samp",
               "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
#: Entities that escaping engine output may add.
HTML_ESCAPES = {"amp", "lt", "gt", "quot", "#39"}


class _Skeleton(HTMLParser):
    """An HTML block with its prose and readable attribute values left out: block
    tags in order; inline tags (with any kept content), and entities, counted."""

    def __init__(self, read: set[str] = HTML_READ) -> None:
        super().__init__(convert_charrefs=False)
        self.read = read
        self.blocks: list = []
        self.inline: Counter = Counter()
        self.entities: Counter = Counter()
        self.kept: list[str] = []  # open elements whose content is kept
        self.kept_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        keep = tag in HTML_KEPT or attrs.get("translate") == "no" or "notranslate" in (attrs.get("class") or "").split()
        event = (tag, tuple((k, "…" if k in self.read and not self.kept and not keep else v) for k, v in attrs.items()))
        if self.kept:
            self.kept_text.append(repr(event))
        elif tag in HTML_INLINE:
            self.inline[event] += 1
        else:
            self.blocks.append(event)
        if keep or (self.kept and tag == self.kept[-1]):
            self.kept.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.kept and self.kept[-1] == tag:
            self.kept.pop()

    def handle_endtag(self, tag):
        if self.kept and self.kept[-1] == tag:
            self.kept.pop()
            if not self.kept:
                (self.inline.update if tag in HTML_INLINE else self.blocks.extend)(["".join(self.kept_text)])
                self.kept_text = []
        elif self.kept:
            self.kept_text.append("/" + tag)
            return
        if tag in HTML_INLINE:
            self.inline["/" + tag] += 1
        else:
            self.blocks.append("/" + tag)

    def handle_data(self, data):
        if self.kept:  # prose may move between inline tags as words are reordered; kept text may not
            self.kept_text.append(data)

    def handle_entityref(self, name):
        if self.kept:
            self.kept_text.append(f"&{name};")
        elif name not in HTML_ESCAPES:
            self.entities[name] += 1

    def handle_charref(self, name):
        self.handle_entityref("#" + name)

    def handle_comment(self, data):
        self.blocks.append(f"<!--{data}-->")


def html_skeleton(text: str, read: set[str] = HTML_READ) -> str:
    parser = _Skeleton(read)
    parser.feed(text)
    parser.close()
    return repr((parser.blocks, sorted(parser.inline.items(), key=repr), sorted(parser.entities.items())))


def body_slice(text: str, tok) -> str:
    lines = text.splitlines()
    return "\n".join(lines[tok.map[0] : tok.map[1]]) if tok.map else tok.content


def translate_text(text: str, engine, target: str = "es", options=None) -> tuple[str, list]:
    """Parse, translate with ``engine`` and render one file's text."""
    from l10n.translate import translate_documents

    doc = markdown.parse(text, options=options)
    notices = translate_documents([doc], engine, "en", target)
    return doc.render(), notices


def segment(text: str):
    """The document of ``text`` and its one segment (titles aside)."""
    doc = markdown.parse(text)
    segs = [s for s in doc.segments() if s.kind != "title"]
    assert len(segs) == 1
    return doc, segs[0]


def apply(text: str, output: str) -> str | None:
    """``text`` rendered with ``output``, a tagged translation of its one segment (None: refused)."""
    from l10n.markdown import tags
    from l10n.translate import make_verifier

    doc, seg = segment(text)
    if not tags.apply_translation(seg, output, make_verifier(doc.env)):
        return None
    return doc.render()


#: Emphasis tokens: the only markup l10n may leave out, and only saying so (a warning).
EMPHASIS = {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}


def assert_same_structure(source: str, target: str, where: str = "", emphasis_dropped: bool = False,
                          options=None) -> None:
    """Blocks, links, code, HTML, shortcodes and protected text as in the source;
    emphasis too, unless ``emphasis_dropped`` (a warning said it could not be placed)."""
    a, b = signature(source, options), signature(target, options)
    for name in ("blocks", "inline", "code", "targets", "html", "shortcodes", "protected"):
        left, right = getattr(a, name), getattr(b, name)
        if name == "inline" and emphasis_dropped:
            left = Counter({k: v for k, v in left.items() if k not in EMPHASIS})
            right = Counter({k: v for k, v in right.items() if k not in EMPHASIS})
        if left != right:
            if isinstance(left, Counter):
                detail = f"lost {dict(left - right)!r:.300} gained {dict(right - left)!r:.300}"
            else:
                i = next((k for k, (x, y) in enumerate(zip(left, right)) if x != y), min(len(left), len(right)))
                detail = f"from block {i}: {left[i:i + 6]} != {right[i:i + 6]}"
            raise AssertionError(f"{where}: {name} differ: {detail}")
    lost = a.plain - b.plain
    if lost:
        raise AssertionError(f"{where}: protected text lost from front matter or parameters: {dict(lost)!r:.300}")
    if a.escapes - b.escapes:
        raise AssertionError(f"{where}: backslash escapes lost: {dict(a.escapes - b.escapes)!r:.300}")


#: Prose langdetect reads with confidence, in English and in Spanish.
EN = (
    "The collector receives telemetry data from your services and sends it to one or more backends. "
    "You can run it as an agent beside each application or as a gateway that many applications share. "
    "Its configuration describes receivers, processors and exporters, and the pipelines that connect them. "
)
ES = (
    "El colector recibe datos de telemetría de tus servicios y los envía a uno o más destinos. "
    "Puedes ejecutarlo como un agente junto a cada aplicación o como una pasarela que comparten muchas aplicaciones. "
    "Su configuración describe receptores, procesadores y exportadores, y las canalizaciones que los conectan. "
)


def write(path, text: str):
    """Write ``text`` to ``path``, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def invoke(runner, *args):
    """``l10n ARGS...`` through click's runner, exceptions raised."""
    from l10n.cli import cli

    return runner.invoke(cli, list(args), catch_exceptions=False)


def translate(runner, *args):
    return invoke(runner, "translate", *args)


def catalog(runner, *args):
    """``l10n catalog ARGS...``."""
    return invoke(runner, "catalog", *args)


def install(runner, archive, folder):
    """``l10n models install ARCHIVE --dir FOLDER``, which must succeed."""
    from l10n.cli import cli

    result = runner.invoke(cli, ["models", "install", str(archive), "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    return result


def use_models(site, folder) -> None:
    """Argos models from ``folder`` for the site (l10n.toml)."""
    (site / "l10n.toml").write_text(f'[argos]\nmodels_dir = "{folder}"\n', encoding="utf-8")


def snapshot(folder) -> dict:
    """Every file's bytes and modification time: what a no-op run must leave as it was."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "state.lock" not in p.name
    }


def cells(site) -> dict:
    from l10n.commands.status import run_status

    return {c.target: c for c in run_status().cells()}


def dropped_emphasis(notices) -> bool:
    return any("emphasis could not be placed" in n.message for n in notices)


def records(site) -> dict:
    """Every record of a site's state, as dicts of their fields: {"sources": {...}, "targets": {...}}."""
    from dataclasses import asdict

    from l10n.state import Provenance

    state = Provenance.load(site / ".l10n")
    state.ensure_all()
    return {"sources": {k: asdict(v) for k, v in state.sources.items()},
            "targets": {k: asdict(v) for k, v in state.targets.items()}}
