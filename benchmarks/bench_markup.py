"""The markup tax: does markup cost translation quality? And what does alignment cost in speed?

Part 1, with a real engine that keeps no tags and gives no alignment (Apertium
eng-spa, Debian's apertium-eng-spa), over real pages (the shared corpus's
Hugo documentation, else tests/corpus): every block (paragraph, heading,
cell...) is translated by `l10n translate`'s own code path, then

- its words, markup stripped (markdown-it renders it, tags are dropped), are
  compared by chrF (Popovic 2015: character 6-grams, beta 2) with the
  engine's translation of the source block's words with markup stripped,
  sent plain: 100 means the markup changed nothing. Code is never
  translated, so in this reference each code span and URL is a name the
  engine copies (``X1``), put back as the code afterwards; the reference is
  made from markdown-it's rendering of the source, not from l10n's own
  plain text. The reference that sends code's words to the engine as well
  (``Default is static`` -> ``Default es estático``) is printed beside it:
  it differs from any output that keeps code as code by the code's words,
  and it rewards an output that leaves the code's translation in the text;
- blocks of 5 words or more left in the source language are counted;
- what the engine was sent is counted: whole sentences, and (this engine
  gives no alignment) the marked spans' own texts, looked up only to find
  where each span went, never put into the output;
- the structure of every file (blocks, links, code, HTML, shortcodes,
  protected text: tests/helpers.py's signature) is compared with its source.

Targets: chrF >= 97 on blocks with inner markup (all of them: emphasis,
links, HTML and code), 0 blocks left untranslated, structure intact in
every file.

Part 2, the Argos engine on a copy model of Argos's real size (6+6 layers,
d_model 512, 8 heads, 32,000 tokens, int8): sentences/s of raw CTranslate2 at
beam 2, with and without return_attention, and of l10n's translate_batch and
translate_aligned, in interleaved rounds (this machine's speed drifts; the
median of the rounds is compared, and the CPU time of the process beside the
wall time). Target: alignment costs under 10% against raw CTranslate2 at the
same beam.

    python benchmarks/bench_markup.py [--pages N] [--sentences N] [--rounds N] [--part 1|2]
                                      [--corpus hugo|docusaurus|mkdocs]
"""

from __future__ import annotations

import argparse
import html
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def corpus_files(corpus: str = "hugo") -> list[Path]:
    """The pages of a generator's corpus: Hugo's documentation (the shared corpus's, else
    tests/corpus's), the create-docusaurus template's MDX and our example pages, MkDocs's own docs."""
    if corpus == "docusaurus":
        return sorted([*(ROOT / "tests" / "corpus" / "docusaurus").rglob("*.mdx"),
                       *(ROOT / "tests" / "sites" / "docusaurus").rglob("*.md*")])
    if corpus == "mkdocs":
        return sorted((ROOT / "tests" / "corpus" / "mkdocs" / "docs").rglob("*.md"))
    for folder in (ROOT.parent / "shared" / "corpus" / "hugodocs", ROOT / "tests" / "corpus" / "hugodocs"):
        if folder.is_dir():
            return sorted(folder.rglob("*.md"))
    raise SystemExit("no corpus: ../shared/corpus or tests/corpus")


#: The id a translated heading states to keep its links working: markup, not words.
_HEADING_ID = re.compile(r"[ \t]*\{(?:/\*[ \t]*)?#[^{}]*\}[ \t]*$")


def corpus_options(corpus: str):
    """How each generator's pages are read (the settings its site module gives)."""
    from l10n import markdown

    if corpus == "docusaurus":
        return markdown.Options(dialect="mdx", id_syntax="mdx-comment", heading_ids="github-slugger", keep_ids=True,
                                html_attributes=(*markdown.DEFAULT_ATTRIBUTES, "label", "description", "summary"))
    if corpus == "mkdocs":
        return markdown.Options(dialect="python-markdown", heading_ids="python-markdown", keep_ids=True,
                                extensions=("admonition", "attr_list", "def_list", "pymdownx.snippets",
                                            "pymdownx.superfences", "tables", "toc"))
    return None


def chrf(hypothesis: str, reference: str, order: int = 6, beta: float = 2.0) -> float:
    """chrF as sacrebleu computes it by default: whitespace removed, n = 1..6, beta 2."""
    hyp, ref = "".join(hypothesis.split()), "".join(reference.split())
    if not hyp and not ref:
        return 100.0
    precisions, recalls = [], []
    for n in range(1, order + 1):
        h = Counter(hyp[i : i + n] for i in range(len(hyp) - n + 1))
        r = Counter(ref[i : i + n] for i in range(len(ref) - n + 1))
        if not h or not r:
            continue
        common = sum((h & r).values())
        precisions.append(common / sum(h.values()))
        recalls.append(common / sum(r.values()))
    if not precisions:
        return 0.0
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return 0.0 if p + r == 0 else 100 * (1 + beta**2) * p * r / (beta**2 * p + r)


_URL = re.compile(r"https?://[^\s<>]+")
_MATH = re.compile(r"\$\$[^$]+?\$\$|(?<![\w$\\])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\w$])")


def rendered(markdown_text: str, md, env: dict) -> str:
    """A block as markdown-it renders it inline (with its page's reference definitions,
    so [text][label] is a link); Hugo's shortcodes left out (Hugo's, not Markdown's)."""
    text = re.sub(r"\{\{[<%].*?[%>]\}\}", " ", markdown_text, flags=re.DOTALL)
    # a block inside a quote or an alert: its lines' markers are the container's, not words
    text = re.sub(r"(?m)^[ \t]*(?:>[ \t]?)+", "", text)
    text = re.sub(r"^\s*\[![A-Za-z]+\][ \t]*", "", text)
    return md.renderInline(text, dict(env))


def words(rendered_html: str) -> str:
    """The words of rendered HTML: tags dropped, entities read."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered_html)).split())


def named(rendered_html: str) -> tuple[str, list[str]]:
    """The words of rendered HTML with each code span and URL as a name (X1, X2...), and
    what each name stands for: the source as an engine should read it, code never
    translated."""
    codes: list[str] = []

    def name(text: str) -> str:
        codes.append(text)
        return f" X{len(codes)} "

    text = re.sub(r"<code>(.*?)</code>", lambda m: name(html.unescape(m.group(1))), rendered_html, flags=re.DOTALL)
    text = words(text)
    text = _URL.sub(lambda m: name(m.group(0)), text)
    text = _MATH.sub(lambda m: name(m.group(0)), text)
    return " ".join(text.split()), codes


def unnamed(text: str, codes: list[str]) -> str:
    for i in range(len(codes), 0, -1):  # X12 before X1
        text = text.replace(f"X{i}", codes[i - 1])
    return text


def kind_of(seg) -> str:
    """'plain' (no inner markup), 'markup' (emphasis, links, HTML...) or 'code' (a code
    span, HTML code, a URL or math among it: names to the engine)."""
    from l10n.document import TEXT, VOID
    from l10n.markdown.tags import core_range

    lo, hi = core_range(seg.pieces)
    inner = [p for p in seg.pieces[lo:hi] if p.kind != TEXT]
    if not inner:
        return "plain"
    named = [p for p in inner if p.kind == VOID and (p.markup in ("code_inline", "html_code", "autolink")
                                                      or p.markup == "protected" and (p.src.startswith("$") or "://" in p.src))]
    return "code" if named else "markup"


class Recording:
    """An engine that records what it is sent (and sends it on)."""

    def __init__(self, engine):
        self.engine = engine
        self.sent: list[str] = []
        self.memory = False
        self.model = getattr(engine, "model", "")

    def translate_batch(self, texts, source, target):
        self.sent.extend(texts)
        return self.engine.translate_batch(texts, source, target)


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def markup_tax(pages: int, corpus: str = "hugo") -> bool:
    from helpers import signature
    from markdown_it import MarkdownIt

    from l10n import markdown
    from l10n import sentences as splitter
    from l10n.engines.apertium import ApertiumEngine
    from l10n.markdown import plain
    from l10n.translate import translate_documents

    apertium = ApertiumEngine()
    if ("en", "es") not in apertium.pairs():
        raise SystemExit("no Apertium pair eng-spa: apt-get install apertium apertium-eng-spa")
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    files = corpus_files(corpus)
    files = files[:: max(1, len(files) // pages)][:pages]
    options = corpus_options(corpus)
    engine = Recording(apertium)
    scores: dict[str, list[float]] = {"plain": [], "markup": [], "code": [], "code literal": []}
    untranslated = sentences = broken = warned = 0
    started = time.perf_counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        doc = markdown.parse(text, str(path), options)
        blocks = [seg for seg in doc.segments() if seg.codec == "markdown" and plain.plain(seg).text.strip()]
        sources = [rendered(seg.original, md, doc.env) for seg in blocks]
        kept = [named(source) for source in sources]
        literal = [words(source) for source in sources]
        kinds = [kind_of(seg) for seg in blocks]
        whole = {s for seg in doc.segments() for s, _space in splitter.split(plain.plain(seg).text)}
        before = len(engine.sent)
        warned += len(translate_documents([doc], engine, "en", "es"))
        # the references: every block of the page in one engine call each way
        references = [unnamed(out, codes) for out, (_, codes) in
                      zip(apertium.translate_batch([k for k, _ in kept], "en", "es"), kept)]
        literal_refs = apertium.translate_batch([literal[i] if kinds[i] == "code" else "" for i in range(len(blocks))],
                                                "en", "es")
        for seg, kind, reference, literal_ref, source_words in zip(blocks, kinds, references, literal_refs, literal):
            out = words(rendered(_HEADING_ID.sub("", seg.render()) if seg.kind == "heading" else seg.render(), md, doc.env))
            scores[kind].append(chrf(out, reference))
            if kind == "code":
                scores["code literal"].append(chrf(out, literal_ref))
            if len(source_words.split()) >= 5 and (seg.rendered is None or seg.outcome == "kept") and reference != source_words:
                untranslated += 1
        sentences += sum(1 for t in engine.sent[before:] if t in whole)
        a, b = signature(text, options), signature(doc.render(), options)
        if any(getattr(a, k) != getattr(b, k) for k in ("blocks", "code", "targets", "html", "shortcodes", "protected")):
            broken += 1
    seconds = time.perf_counter() - started
    lookups = len(engine.sent) - sentences
    inner = scores["markup"] + scores["code"]
    print(f"Apertium eng-spa over {len(files)} pages of {corpus} ({seconds:.0f} s); chrF of the output's words against the "
          "engine's translation of the block's words sent plain (code as names it copies):")
    print(f"  blocks with inner markup:               {len(inner):5d}, chrF {mean(inner):6.2f} (target >= 97)")
    print(f"    of which emphasis, links, HTML only:  {len(scores['markup']):5d}, chrF {mean(scores['markup']):6.2f}")
    print(f"    of which with code, URLs or math:     {len(scores['code']):5d}, chrF {mean(scores['code']):6.2f}")
    print(f"      the same against the code's words translated too: chrF {mean(scores['code literal']):6.2f} "
          "(the code's own words differ)")
    print(f"  blocks without inner markup:            {len(scores['plain']):5d}, chrF {mean(scores['plain']):6.2f}")
    print(f"  blocks of 5+ words left in the source language: {untranslated} (target 0)")
    print(f"  sent to the engine: {sentences} whole sentences, {lookups} span texts looked up to place markup "
          f"({lookups / max(1, sentences):.2f} a sentence); fragments put into the output: 0")
    print(f"  warnings (markup placed by position, or left out): {warned}")
    print(f"  files whose structure changed: {broken} of {len(files)} (target 0)")
    return mean(inner) >= 97 and untranslated == 0 and broken == 0


def alignment_cost(count: int, rounds: int) -> bool:
    import ctranslate2
    import sentencepiece
    from argos_package import build_package

    from l10n import markdown
    from l10n import sentences as splitter
    from l10n.engines.argos import ArgosEngine
    from l10n.engines.packages import install_file

    sents: list[str] = []
    for path in corpus_files():
        for seg in markdown.parse(path.read_text(encoding="utf-8")).segments():
            sents += [s for s, _ in splitter.split(seg.text) if 5 <= len(s.split()) <= 40]
        if len(sents) >= count:
            break
    sents = list(dict.fromkeys(sents))[:count]
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        package = install_file(build_package(folder, "en", "es", size="argos"), folder / "packages")
        sp = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
        cores = os.cpu_count() or 1
        translator = ctranslate2.Translator(str(package.model), device="cpu", inter_threads=cores, intra_threads=1)
        tokens = [sp.encode(s, out_type=str) for s in sents]
        longest = max(map(len, tokens))
        engine = ArgosEngine(models_dir=folder / "packages", beam_size=2)
        engine.translate_batch(sents[:4], "en", "es")  # the model loaded once, outside the timing

        runs = {
            "raw CTranslate2": lambda: translator.translate_batch(
                tokens, beam_size=2, max_batch_size=2048, batch_type="tokens", max_decoding_length=2 * longest + 16),
            "raw CTranslate2, return_attention": lambda: translator.translate_batch(
                tokens, beam_size=2, max_batch_size=2048, batch_type="tokens", max_decoding_length=2 * longest + 16,
                return_attention=True),
            "l10n translate_batch": lambda: engine.translate_batch(sents, "en", "es"),
            "l10n translate_aligned": lambda: engine.translate_aligned(sents, "en", "es"),
        }
        wall: dict[str, list[float]] = {name: [] for name in runs}
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(rounds):  # interleaved, so a slow spell of the machine hits every run alike
            for name, run in runs.items():
                w, c = time.perf_counter(), time.process_time()
                run()
                wall[name].append(time.perf_counter() - w)
                cpu[name].append(time.process_time() - c)
    base_wall, base_cpu = statistics.median(wall["raw CTranslate2"]), statistics.median(cpu["raw CTranslate2"])
    print(f"Argos-sized copy model, {len(sents)} sentences, beam 2, median of {rounds} interleaved rounds:")
    for name in runs:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"  {name + ':':36s} {len(sents) / w:6.1f} sentences/s ({base_wall / w:.2f}x raw), "
              f"CPU {c:5.1f} s ({c / base_cpu:.2f}x raw)")
    w, c = statistics.median(wall["l10n translate_aligned"]), statistics.median(cpu["l10n translate_aligned"])
    print(f"  cost of alignment against raw CTranslate2: {100 * (w / base_wall - 1):.1f}% wall, "
          f"{100 * (c / base_cpu - 1):.1f}% CPU (target under 10%)")
    return w / base_wall < 1.1 and c / base_cpu < 1.1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--part", choices=["1", "2"], help="only the markup tax (1) or the alignment cost (2)")
    parser.add_argument("--corpus", choices=["hugo", "docusaurus", "mkdocs"], default="hugo",
                        help="part 1 over this generator's pages (tests/corpus/<name>)")
    args = parser.parse_args()
    ok = True
    if args.part != "2":
        ok = markup_tax(args.pages, args.corpus) and ok
    if args.part != "1":
        ok = alignment_cost(args.sentences, args.rounds) and ok
    print("targets met" if ok else "targets missed")


if __name__ == "__main__":
    main()
