"""Language detection: accuracy on labelled pages, planted cases, the command, translate."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from l10n import detect, langs, markdown
from l10n.cli import cli

OTEL = CORPUS / "otel"
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


@pytest.mark.parametrize(
    "code, babel, argos, base",
    [("pt-br", "pt_BR", "pb", "pt"), ("zh-hant", "zh_Hant", "zt", "zh"), ("zh-cn", "zh_Hans_CN", "zh", "zh"), ("en-US", "en_US", "en", "en")],
)
def test_language_code_spellings(code, babel, argos, base):
    assert langs.to_babel(code) == babel
    assert langs.to_argos(code) == argos
    assert langs.base(code) == base
    assert langs.from_argos(argos) == (langs.normalize(code) if argos in ("pb", "zt") else argos)


# --------------------------------------------------------------------------
# the command


@pytest.fixture
def mixed_site(site):
    c = site / "content"
    (c / "good.md").write_text(f"---\nlang: en\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    (c / "wrong.md").write_text(f"---\ntitle: Collector\nlang:\n  - \"es\"\ntags: [x]\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    (c / "good.fr.md").write_text(f"{EN}\n\n{EN}\n", encoding="utf-8")  # a translation never translated
    (c / "short.md").write_text("---\nlang: en\n---\nHello world\n", encoding="utf-8")
    return site


def test_detect_json(runner, mixed_site):
    result = runner.invoke(cli, ["detect", "--json"])
    assert result.exit_code == 0
    rows = {Path(r["path"]).name: r for r in json.loads(result.stdout)}
    assert all(set(r) == {"path", "declared", "detected", "confidence", "status"} for r in rows.values())
    assert rows["good.md"]["status"] == "confirmed"
    assert (rows["wrong.md"]["declared"], rows["wrong.md"]["status"]) == ("es", "mismatch")
    assert rows["good.fr.md"]["status"] == "untranslated"
    assert rows["short.md"]["status"] == "undetermined"


def test_detect_check_exit_code(runner, mixed_site):
    assert runner.invoke(cli, ["detect", "--check"]).exit_code == 3
    (mixed_site / "content" / "wrong.md").unlink()
    (mixed_site / "content" / "good.fr.md").unlink()
    assert runner.invoke(cli, ["detect", "--check"]).exit_code == 0


def test_detect_fix_changes_only_lang_keeping_its_shape(runner, mixed_site):
    wrong = mixed_site / "content" / "wrong.md"
    before = wrong.read_text(encoding="utf-8")
    (mixed_site / "content" / "solo.de.md").write_text(f"{EN}\n\n{EN}\n", encoding="utf-8")
    result = runner.invoke(cli, ["detect", "--fix"])
    assert "mismatch (fixed)" in result.stdout
    assert wrong.read_text(encoding="utf-8") == before.replace('lang:\n  - "es"\n', 'lang:\n  - "en"\n')
    assert "the language comes from the file name" in result.stdout  # solo.de.md has no lang field
    assert runner.invoke(cli, ["detect", "--check", "content/wrong.md"]).exit_code == 0


def test_detect_reports_bad_files(runner, site):
    (site / "content" / "bad.md").write_bytes(b"---\ntitle: [x\n---\n")
    (site / "content" / "ok.md").write_text(f"{EN}\n", encoding="utf-8")
    result = runner.invoke(cli, ["detect"])
    assert result.exit_code == 1
    assert "l10n: content/bad.md:3: error: invalid YAML front matter" in result.output
    assert "content/ok.md" in result.stdout


# --------------------------------------------------------------------------
# in l10n translate


def test_translate_skips_a_confidently_mislabelled_article(runner, mixed_site):
    result = runner.invoke(cli, ["translate", "--to", "de"])
    assert "content/wrong.md:3: skipped: declared es, but the text reads as en" in result.output
    assert not (mixed_site / "content" / "wrong.de.md").exists()
    assert (mixed_site / "content" / "good.de.md").exists()
    result = runner.invoke(cli, ["translate", "--to", "de", "--trust-declared"])
    assert (mixed_site / "content" / "wrong.de.md").exists()


def test_translate_detects_an_undeclared_source(runner, site):
    (site / "content" / "nota.md").write_text(f"---\ntitle: Nota\ntranslations: []\n---\n\n{ES}\n", encoding="utf-8")
    result = runner.invoke(cli, ["translate", "--to", "es,fr"])
    assert result.exit_code == 0
    assert not (site / "content" / "nota.es.md").exists()  # it is Spanish already
    assert "translations: [es, fr]" in (site / "content" / "nota.fr.md").read_text(encoding="utf-8")


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


def test_fix_keeps_comments_and_shape(runner, site):
    c = site / "content"
    (c / "a.md").write_text(f"---\nlang:\n  - es # Spanish\ntitle: A\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    (c / "b.md").write_text(f"---\nlang: [ \"es\" ]\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    (c / "c.es.md").write_text(f"---\nlang: \"\"\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    result = runner.invoke(cli, ["detect", "--fix"])
    assert (c / "a.md").read_text().startswith("---\nlang:\n  - en # Spanish\ntitle: A\n")
    assert (c / "b.md").read_text().startswith('---\nlang: [ "en" ]\n')
    assert (c / "c.es.md").read_text().startswith('---\nlang: ""\n')  # its language comes from its name
    assert "the language comes from the file name" in result.stdout


@pytest.mark.parametrize("value", ["42", "true", "xx-notalang"])
def test_detect_rejects_unknown_codes(runner, site, value):
    path = site / "content" / "a.md"
    path.write_text(f"---\ntitle: A\nlang: {value}\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    before = path.read_bytes()
    result = runner.invoke(cli, ["detect", "--fix"])
    assert result.exit_code == 1
    assert "content/a.md:3: error: lang: unknown language code" in result.output
    assert path.read_bytes() == before


def test_translate_agrees_with_detect_on_a_mixed_page(runner, site):
    (site / "content" / "m.md").write_text("---\nlang: es\n---\n\n" + "\n\n".join([ES] * 7 + [EN] * 3) + "\n")
    result = runner.invoke(cli, ["translate", "--to", "fr"])
    assert "skipped" not in result.output and (site / "content" / "m.fr.md").exists()


def test_dir_layout_folders_declare_languages(runner, site):
    (site / "l10n.toml").write_text('layout = "dir"\n', encoding="utf-8")
    (site / "content" / "en").mkdir()
    (site / "content" / "es").mkdir()
    (site / "content" / "en" / "a.md").write_text(f"{EN}\n\n{EN}\n", encoding="utf-8")
    (site / "content" / "es" / "a.md").write_text(f"{EN}\n\n{EN}\n", encoding="utf-8")
    rows = {r["path"]: r for r in json.loads(runner.invoke(cli, ["detect", "--json"]).stdout)}
    assert rows["content/en/a.md"]["status"] == "confirmed"
    assert rows["content/es/a.md"]["status"] == "untranslated"


def test_detect_status_and_build_agree_on_what_l10n_wrote(runner, site):
    """Pseudo text is in no language: detect neither reports it as a mismatch nor --fix
    rewrites its lang, and agrees with build and status, which call it machine."""
    (site / "l10n.toml").write_text('targets = ["fr"]\nengine = "pseudo"\n', encoding="utf-8")
    (site / "content" / "post.md").write_text(f"---\nlang: en\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    assert runner.invoke(cli, ["translate"]).exit_code == 0
    target = site / "content" / "post.fr.md"
    made = target.read_bytes()
    result = runner.invoke(cli, ["detect", "--check", "--json"])
    assert result.exit_code == 0, result.output
    rows = {Path(r["path"]).name: r for r in json.loads(result.stdout)}
    assert rows["post.fr.md"]["status"] == "undetermined" and rows["post.md"]["status"] == "confirmed"
    assert "l10n wrote it with pseudo" in runner.invoke(cli, ["detect"]).stdout
    assert runner.invoke(cli, ["detect", "--fix"]).exit_code == 0
    assert target.read_bytes() == made
    assert runner.invoke(cli, ["status", "--check"]).exit_code == 0
    assert runner.invoke(cli, ["build"]).exit_code == 0
    # a person who rewrites it in English is judged again
    target.write_text(f"---\nlang: fr\n---\n\n{EN}\n\n{EN}\n", encoding="utf-8")
    rows = {Path(r["path"]).name: r for r in json.loads(runner.invoke(cli, ["detect", "--json"]).stdout)}
    assert rows["post.fr.md"]["status"] == "untranslated"


def test_fix_never_rewrites_a_file_l10n_wrote(runner, site):
    # a Spanish page declared English, translated as declared: its German copy reads as Spanish
    (site / "content" / "post.md").write_text(f"---\nlang: en\n---\n\n{ES}\n\n{ES}\n", encoding="utf-8")
    assert runner.invoke(cli, ["translate", "--to", "de", "--engine", "copy", "--trust-declared"]).exit_code == 0
    target = site / "content" / "post.de.md"
    made = target.read_bytes()
    result = runner.invoke(cli, ["detect", "--fix"])
    assert target.read_bytes() == made
    assert "post.de.md" in result.stdout and "l10n wrote it as this language's translation" in result.stdout
