"""Throughput of the server engines against real local servers, and their overhead.

LibreTranslate (the servers .ci/run installs, serving the test fixture's
copy-model Argos packages, 4 waitress threads, CTranslate2 single-threaded),
sentences per second for the same 400 sentences of real prose from the
corpus, all measured in this run:

- the simplest client: one request per sentence, one at a time (urllib);
- the same client with N requests in flight (a thread pool), N = 1, 2, 4, 8:
  what the server can do at best;
- l10n's LibreTranslate engine at concurrency 1, 2, 4 and 8;
- l10n's Argos engine in process on the same model (no server at all).

Then llama.cpp's OpenAI-compatible server with a model that answers one
fixed JSON reply: the time per request of l10n's OpenAI engine against a bare
HTTP client sending the same body.

Targets: l10n keeps LibreTranslate at least as busy as the best concurrency
of the bare client (ratio >= 0.9), and the in-process Argos engine is the
fastest on one machine.

    python benchmarks/bench_servers.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import libre_server  # noqa: E402
import llama_server  # noqa: E402

from l10n import markdown, sentences  # noqa: E402
from l10n.engines.libretranslate import LibreTranslateEngine  # noqa: E402
from l10n.engines.openai import OpenAIEngine  # noqa: E402

COUNT = 400


def corpus(count: int = COUNT) -> list[str]:
    """Distinct sentences of prose from the test corpus."""
    found: dict[str, None] = {}
    for path in sorted((ROOT / "tests" / "corpus" / "hugodocs").rglob("*.md")):
        doc = markdown.load(path)
        for seg in doc.segments():
            for sentence, _space in sentences.split(seg.text):
                if len(sentence.split()) >= 4:
                    found.setdefault(sentence, None)
        if len(found) >= count:
            break
    return list(found)[:count]


def bare(url: str, texts: list[str], workers: int) -> float:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def one(text: str) -> str:
        body = json.dumps({"q": text, "source": "en", "target": "es", "format": "text"}).encode()
        request = urllib.request.Request(url + "/translate", data=body, headers={"Content-Type": "application/json"})
        with opener.open(request, timeout=60) as response:
            return json.loads(response.read())["translatedText"]

    started = time.perf_counter()
    if workers == 1:
        for text in texts:
            one(text)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, texts))
    return len(texts) / (time.perf_counter() - started)


def through_l10n(url: str, texts: list[str], concurrency: int) -> float:
    engine = LibreTranslateEngine(url, concurrency=concurrency)
    engine.languages()
    started = time.perf_counter()
    engine.translate_batch(texts, "en", "es")
    return len(texts) / (time.perf_counter() - started)


def in_process(packages: Path, texts: list[str]) -> float:
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages)
    from l10n.engines.argos import ArgosEngine

    engine = ArgosEngine(beam_size=1)
    engine.translate_batch(texts[:4], "en", "es")  # the model loaded
    started = time.perf_counter()
    engine.translate_batch(texts, "en", "es")
    return len(texts) / (time.perf_counter() - started)


def openai_overhead(tmp: Path) -> tuple[float, float]:
    python = os.environ.get("L10N_LLAMA_PYTHON") or str(libre_server.SERVERS / "llama" / "bin" / "python")
    texts = [f"Sentence number {i} of the benchmark." for i in range(10)]
    reply = json.dumps({str(i + 1): f"Frase número {i} del banco de pruebas." for i in range(10)}, ensure_ascii=False)
    model = tmp / "fixed.gguf"
    subprocess.run([python, str(ROOT / "tests" / "gguf_model.py"), str(model), reply], check=True,
                   capture_output=True)
    rounds = 30
    with llama_server.serve(model, alias="fixed", python=python) as url:
        engine = OpenAIEngine(url, "fixed", batch=10, concurrency=1)
        body = {"model": "fixed", "temperature": 0, "response_format": {"type": "json_object"},
                "messages": [{"role": "system", "content": engine.prompt("en", "es")},
                             {"role": "user", "content": json.dumps({str(i + 1): t for i, t in enumerate(texts)})}]}
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        data = json.dumps(body).encode()
        engine.translate_batch(texts, "en", "es")  # warm
        started = time.perf_counter()
        for _ in range(rounds):
            request = urllib.request.Request(url + "/chat/completions", data=data,
                                             headers={"Content-Type": "application/json"})
            with opener.open(request, timeout=60) as response:
                json.loads(json.loads(response.read())["choices"][0]["message"]["content"])
        raw = (time.perf_counter() - started) / rounds
        started = time.perf_counter()
        for _ in range(rounds):
            engine.translate_batch(texts, "en", "es")
        ours = (time.perf_counter() - started) / rounds
    return raw, ours


def main() -> int:
    texts = corpus()
    print(f"{len(texts)} sentences, {sum(len(t) for t in texts):,} characters")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        packages = libre_server.ensure_packages(tmp / "packages")
        with libre_server.serve(packages, threads=4) as url:
            bare(url, texts[:20], 2)  # warm
            simplest = bare(url, texts, 1)
            print(f"LibreTranslate, simplest client (one at a time): {simplest:8.1f} sentences/s")
            best = simplest
            for workers in (2, 4, 8):
                rate = bare(url, texts, workers)
                best = max(best, rate)
                print(f"LibreTranslate, bare client, {workers} in flight:      {rate:8.1f} sentences/s")
            ours_best = 0.0
            for concurrency in (1, 2, 4, 8):
                rate = through_l10n(url, texts, concurrency)
                ours_best = max(ours_best, rate)
                print(f"l10n --engine libretranslate, concurrency {concurrency}:  {rate:8.1f} sentences/s "
                      f"({rate / simplest:.2f}x the simplest client)")
            print(f"l10n's best against the bare client's best: {ours_best / best:.2f} (target >= 0.9)")
        local = in_process(packages, texts)
        print(f"l10n --engine argos, in process, same model:   {local:8.1f} sentences/s "
              f"({local / max(best, ours_best):.1f}x the server at its best)")
        try:
            raw, ours = openai_overhead(tmp)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"OpenAI overhead: llama.cpp's server not available ({exc})")
            return 0
        print(f"OpenAI-compatible (llama.cpp, 10 segments a request): bare client {raw * 1000:.1f} ms, "
              f"l10n {ours * 1000:.1f} ms per request (overhead {(ours - raw) * 1000:+.1f} ms, {ours / raw:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
