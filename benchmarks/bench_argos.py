"""Speed of the Argos engine against argostranslate and raw CTranslate2.

Builds a copy model of Argos's real size (6+6 layers, d_model 512, 8 heads,
FFN 2048, a 32,000-token vocabulary, int8) and a corpus of about 300 English
sentences of real prose in paragraphs, then prints sentences/s, all measured
in this run:

- argostranslate 1.x's own translate() per paragraph, with its defaults
  (its MiniSBD sentence splitter wants a download, so it is given l10n's
  rule-based splitter: that can only make it faster);
- raw CTranslate2 translate_batch on the pre-split sentences (the ceiling),
  at beam 4 and greedy, with two thread layouts;
- `l10n translate --engine argos` end to end over Markdown files holding the
  same paragraphs (a fresh process, model loading included), at beam 4, at
  beam 2 (l10n's default) and greedy, and a rerun with nothing to do.

Targets: beam 4 end to end >= 0.9x raw CTranslate2 at beam 4 (about 5x
argostranslate); greedy end to end >= 12x argostranslate; the rerun >= 50x
faster than the first run.

    python benchmarks/bench_argos.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
CORPUS = ROOT.parent / "shared"


def corpus(count: int = 300) -> list[list[str]]:
    """Paragraphs (lists of sentences) of real English prose: the example article, then otel pages."""
    from l10n import markdown, sentences

    files = sorted((CORPUS / "examples").glob("*.md")) + sorted((CORPUS / "corpus" / "otel" / "en").rglob("*.md"))
    paragraphs: list[list[str]] = []
    total = 0
    for path in files:
        doc = markdown.parse(path.read_text(encoding="utf-8"))
        for seg in doc.segments():
            if seg.kind != "paragraph":
                continue
            found = [s for s, _ in sentences.split(seg.text) if len(s.split()) >= 5 and "<" not in s]
            if len(found) >= 2:
                paragraphs.append(found[: count - total])
                total += len(paragraphs[-1])
            if total >= count:
                return paragraphs
    return paragraphs


def raw_ctranslate2(package: Path, sents: list[str], beam: int, inter: int, intra: int) -> float:
    import ctranslate2
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(package / "model"), device="cpu", compute_type="auto",
                                        inter_threads=inter, intra_threads=intra)
    tokens = [sp.encode(s, out_type=str) for s in sents]
    start = time.perf_counter()
    results = translator.translate_batch(tokens, beam_size=beam, max_batch_size=2048, batch_type="tokens",
                                         max_decoding_length=2 * max(map(len, tokens)) + 16)
    elapsed = time.perf_counter() - start
    assert [sp.decode(r.hypotheses[0]) for r in results] == sents, "the copy model did not copy"
    return len(sents) / elapsed


def argostranslate_baseline(packages: Path, paragraphs: list[list[str]]) -> float:
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages)
    from argostranslate import sbd, translate

    from l10n import sentences

    sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [s for s, _ in sentences.split(text)]
    translate.translate(" ".join(paragraphs[0]), "en", "es")  # loads the model: not timed
    start = time.perf_counter()
    for paragraph in paragraphs:
        translate.translate(" ".join(paragraph), "en", "es")
    return sum(map(len, paragraphs)) / (time.perf_counter() - start)


def l10n_run(site: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "l10n", "translate", "--engine", "argos", "--to", "es",
                             "--from", "en", *args], cwd=site, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"l10n failed:\n{result.stderr[-2000:]}")
    print("   ", result.stderr.strip().splitlines()[-1])
    return elapsed


def main() -> None:
    from argos_package import build_package, install_copy

    work = Path(tempfile.mkdtemp(prefix="l10n-bench-argos-"))
    try:
        started = time.perf_counter()
        archive = build_package(work / "archives", "en", "es", size="argos")
        packages = work / "packages"
        package = install_copy(archive, packages)
        print(f"model: 6+6 layers, d_model 512, 8 heads, FFN 2048, 32,000 tokens, int8; built in "
              f"{time.perf_counter() - started:.1f}s; {os.cpu_count()} cores")
        paragraphs = corpus()
        sents = [s for p in paragraphs for s in p]
        print(f"corpus: {len(sents)} sentences in {len(paragraphs)} paragraphs")

        raw = {}
        for beam in (4, 2, 1):
            for inter, intra in ((1, os.cpu_count() or 1), (os.cpu_count() or 1, 1)):
                raw[beam, inter, intra] = raw_ctranslate2(package, sents, beam, inter, intra)
                print(f"raw CTranslate2, beam {beam}, inter {inter} x intra {intra}: {raw[beam, inter, intra]:7.1f} sentences/s")

        site = work / "site"
        (site / "content").mkdir(parents=True)
        (site / "l10n.toml").write_text(f'[argos]\nmodels_dir = "{packages}"\n', encoding="utf-8")
        for i in range(0, len(paragraphs), 6):
            body = "\n\n".join(" ".join(p) for p in paragraphs[i : i + 6])
            (site / "content" / f"article{i // 6:02d}.md").write_text(f"---\ntitle: Article {i}\n---\n\n{body}\n")
        e2e = {}
        for beam in (4, 1, 2):  # the default (2) last: its rerun follows
            shutil.rmtree(site / ".l10n", ignore_errors=True)
            for path in (site / "content").glob("*.es.md"):
                path.unlink()
            elapsed = l10n_run(site, "--beam-size", str(beam))
            e2e[beam] = len(sents) / elapsed
            print(f"l10n translate --engine argos, beam {beam}: {e2e[beam]:7.1f} sentences/s ({elapsed:.1f}s, startup included)")
        rerun = l10n_run(site, "--beam-size", "2")
        first = len(sents) / e2e[2]
        print(f"rerun with nothing to do: {rerun:.2f}s, {first / rerun:.0f}x faster than the first run at the default "
              f"beam (target >= 50x; {len(sents) / e2e[1] / rerun:.0f}x against the greedy run)")

        base = argostranslate_baseline(packages, paragraphs)
        print(f"argostranslate translate() per paragraph, defaults: {base:7.1f} sentences/s")
        best4 = max(v for (b, _i, _j), v in raw.items() if b == 4)
        print(f"beam 4: end to end {e2e[4] / best4:.2f}x raw CTranslate2 (target >= 0.9), {e2e[4] / base:.1f}x argostranslate")
        print(f"greedy: end to end {e2e[1] / base:.1f}x argostranslate (target >= 12)")
        print(f"beam 2 (default): end to end {e2e[2] / base:.1f}x argostranslate")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
