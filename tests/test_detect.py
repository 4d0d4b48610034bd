"""Language detection: accuracy on labelled pages, planted cases, the command, translate."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict

import pytest
from conftest import CORPUS, ROOT
from helpers import EN, ES

from l10n import detect, langs, markdown

OTEL = CORPUS / "otel"


@pytest.fixture(scope="module")
def detector():
    return detect.Detector()


def verdict(detector, text: str, declared: str | None, **kw) -> detect.Verdict:
    return detect.judge(detector, markdown.parse(text), declared, **kw)


def test_accuracy_on_labelled_otel_pages(detector):
    confusion: dict[str, Counter] = defaultdict(Counter)
    checked = correct = 0
    for path in sorted(OTEL.rglob("*.md")):
        label = path.relative_to(OTEL).parts[0]
        v = detect.judge(detector, markdown.parse(path.read_text(encoding="utf-8")), label)
        confusion[label][langs.base(v.detected) if v.detected else "-"] += 1
        assert not (v.status == "confirmed" and not langs.same_language(v.detected, label)), path
        if v.words >= 50:
            checked += 1
            correct += v.status in ("confirmed", "mixed") and langs.same_language(v.detected, label)
    columns = sorted({c for row in confusion.values() for c in row})
    print("\nlabel " + " ".join(f"{c:>4}" for c in columns))
    for label, row in sorted(confusion.items()):
        print(f"{label:>5} " + " ".join(f"{row.get(c, 0):>4}" for c in columns))
    print(f"correct: {correct}/{checked} pages of 50 words or more")
    assert checked >= 100  # 116 in tests/corpus, 277 in the whole shared corpus
    assert correct / checked >= 0.97


def test_same_answer_every_time_and_in_every_process(detector):
    text = "Hola mundo, esto es una prueba corta pero suficiente para detectar el idioma del texto."
    first = detector.guess(text)
    assert all(detector.guess(text) == first for _ in range(5))
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "from l10n.detect import Detector\n"
        "g = Detector().guess(%r); print(g.lang, g.confidence)\n" % (str(ROOT), text)
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [first.lang, str(first.confidence)]


def test_planted_english_labelled_spanish(detector):
    v = verdict(detector, f"---\nlang: es\n---\n\n{EN}\n\n{EN}\n", "es")
    assert (v.status, v.detected) == ("mismatch", "en")


@pytest.mark.parametrize(
    "text",
    [
        "Hello world\n",
        "---\ntitle: Hi\n---\n\nJust one short line here.\n",
        "Run this:\n\n```go\nfunc main() {\n\tfmt.Println(\"hello there, how are you\")\n}\n```\n\n`x := y`\n",
    ],
)
def test_too_little_prose_is_undetermined(detector, text):
    assert verdict(detector, text, "en").status == "undetermined"


def test_spanish_quoting_english_is_spanish(detector):
    text = f"{ES}\n\n> As the documentation says: \"configure the exporter first\".\n\n{ES}\n"
    v = verdict(detector, text, "es")
    assert (v.status, v.detected) == ("confirmed", "es")


def test_half_english_page_is_mixed(detector):
    text = "\n\n".join([ES] * 4 + [EN] * 4)
    assert verdict(detector, text, "es").status == "mixed"


def test_translation_still_in_the_source_language(detector):
    v = verdict(detector, f"{EN}\n\n{EN}\n", "fr", source_lang="en")
    assert v.status == "untranslated"


def test_crlf_and_bom_give_the_same_answer(detector):
    text = f"---\ntitle: Hola\nlang: es\n---\n\n{ES}\n\n{ES}\n"
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    assert verdict(detector, text, "es") == verdict(detector, crlf, "es")


def test_chinese_with_latin_product_names(detector):
    v = verdict(detector, "OpenTelemetry 是一个可观测性框架和工具包，旨在创建和管理遥测数据，例如链路、指标和日志。" * 3, "zh")
    assert v.status == "confirmed" and langs.base(v.detected) == "zh"


def test_only_prose_is_read():
    doc = markdown.parse("---\ntitle: Título\ntags: [english, words]\n---\nTexto con `code here` y [enlace](https://example.com/english-words).\n")
    assert detect.prose(doc) == "Título\nTexto con y enlace ."


# --------------------------------------------------------------------------
# the command


# --------------------------------------------------------------------------
# in l10n translate


# --------------------------------------------------------------------------
# cases a second review found


def test_mostly_spanish_page_with_english_is_mixed_not_mismatch(detector):
    text = "\n\n".join([ES] * 7 + [EN] * 3)
    v = verdict(detector, text, "es")
    assert v.status == "mixed" and langs.base(v.detected) == "es"


def test_japanese_with_english_product_names(detector):
    text = ("OpenTelemetry Collector は receivers、processors、exporters を使ってテレメトリーデータを受信し、"
            "処理し、送信します。設定ファイルで pipelines を定義します。") * 3
    v = verdict(detector, text, "ja")
    assert (v.status, langs.base(v.detected)) == ("confirmed", "ja")


def test_short_chinese_page_is_never_a_confident_mismatch(detector):
    v = verdict(detector, "---\ntitle: 组件\nlang: zh\n---\n\nOpenTelemetry 由几个主要组件构成。\n", "zh")
    assert v.status in ("confirmed", "undetermined")


