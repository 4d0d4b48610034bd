"""``l10n status``: each translation's status, from provenance and the files (the table itself: test_terminal.py)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ARTICLE
from helpers import cells, edit, invoke

from l10n import markdown
from l10n.commands.status import run_status
from l10n.detect import article_words

def test_status_missing_then_machine_with_words(runner, blog):
    result = invoke(runner, "status", "--check")
    assert result.exit_code == 3, result.output
    assert "missing" in result.output
    assert invoke(runner, "translate").exit_code == 0
    result = invoke(runner, "status", "--json", "--check")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [a["translations"]["es"]["status"] for a in data["articles"]] == ["machine", "machine"]
    words = data["articles"][0]["words"]
    assert words == markdown_words(blog / "content" / "other.md")
    assert data["totals"]["es"] == {"machine": {"articles": 2, "words": 2 * words}}


def test_status_stale_names_the_changed_segments(runner, blog):
    invoke(runner, "translate")
    edit(blog / "content" / "post.md", "Run it again:", "Run it a third time:")
    cell = cells(blog)["content/post.es.md"]
    assert cell.status == "stale"
    assert cell.changed == [13]  # the line of the changed paragraph, and only it
    assert "1 segment changed (line 13)" in cell.detail
    result = invoke(runner, "status", "--check")
    assert result.exit_code == 3 and "content/post.es.md: stale: source changed: 1 segment changed (line 13)" in result.output
    assert cells(blog)["content/other.es.md"].status == "machine"


def test_status_edited_untranslated_reviewed(runner, blog):
    invoke(runner, "translate", "content/post.md")
    invoke(runner, "translate", "--engine", "copy", "content/other.md")
    found = cells(blog)
    assert found["content/other.es.md"].status == "untranslated"
    edit(blog / "content" / "post.es.md", "⟦", "⟦Editado ")
    assert cells(blog)["content/post.es.md"].status == "edited"
    # a change to lang/translations alone is not an edit
    assert invoke(runner, "review", "--approve", "content/post.md").exit_code == 0
    assert cells(blog)["content/post.es.md"].status == "reviewed"


def test_status_answers_from_hashes_without_parsing(runner, blog, monkeypatch):
    invoke(runner, "translate")

    def refuse(*args, **kwargs):
        raise AssertionError("status parsed a file that provenance vouches for")

    monkeypatch.setattr(markdown, "parse", refuse)
    assert {c.status for c in run_status().cells()} == {"machine"}


def test_status_a_file_a_person_wrote_and_bad_input(runner, blog):
    (blog / "content" / "post.es.md").write_text(ARTICLE.replace("lang: en", "lang: es").replace("Install", "Instale"),
                                                 encoding="utf-8")
    (blog / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    result = invoke(runner, "status")
    assert result.exit_code == 1
    assert "content/broken.md:" in result.output and "error" in result.output
    found = cells(blog)
    # still mostly the source's words: a person has not translated it yet
    assert found["content/post.es.md"].status == "untranslated"
    assert found["content/other.es.md"].status == "missing"


def test_naming_one_translation_means_that_language_only(runner, blog):
    (blog / "l10n.toml").write_text('source = "en"\ntargets = ["es", "fr"]\n', encoding="utf-8")
    invoke(runner, "translate")
    result = invoke(runner, "review", "--approve", "content/post.es.md")
    assert result.output.splitlines() == ["content/post.es.md: approved"]
    statuses = {c.target: c.status for c in run_status().cells()}
    assert statuses["content/post.es.md"] == "reviewed" and statuses["content/post.fr.md"] == "machine"
    assert [c.target for c in run_status(["content/post.fr.md"]).cells()] == ["content/post.fr.md"]


def test_targets_come_from_the_hugo_config_without_l10n_toml(runner, site):
    (site / "hugo.toml").write_text('defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n'
                                    '[languages.de]\nweight = 3\n', encoding="utf-8")
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    assert invoke(runner, "translate", "--to", "fr").exit_code == 0
    data = json.loads(invoke(runner, "status", "--json").stdout)
    assert sorted(data["targets"]) == ["de", "fr"]
    assert {lang: cell["status"] for lang, cell in data["articles"][0]["translations"].items()} == {"fr": "machine", "de": "missing"}
    assert json.loads(invoke(runner, "status", "--json", "--to", "fr").stdout)["targets"] == ["fr"]


def markdown_words(path: Path) -> int:
    return article_words(markdown.parse(path.read_text(encoding="utf-8")))


def test_stubs_are_untranslated_and_fail_the_gate_unless_allowed(runner, blog):
    assert invoke(runner, "translate", "--engine", "copy").exit_code == 0
    statuses = {c.target: c.status for c in run_status().cells()}
    assert set(statuses.values()) == {"untranslated"}, statuses
    assert invoke(runner, "status", "--check").exit_code == 3
    assert invoke(runner, "build", "--engine", "copy").exit_code == 3  # English pages published under /es/: a person must look
    (blog / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\nallow_untranslated = true\n', encoding="utf-8")
    assert invoke(runner, "status", "--check").exit_code == 0


def test_weakest_orders_articles_by_the_engines_confidence(runner, blog):
    """--weakest: the article whose weakest segment the engine was least sure of first."""
    import json

    (blog / "content" / "long.md").write_text("A long sentence that goes on and on about many things at once "
                                              "before it ends, and then some more words.\n", encoding="utf-8")
    assert invoke(runner, "translate", "--engine", "scoring").exit_code == 0
    data = json.loads(invoke(runner, "status", "--weakest", "--json").stdout)
    scores = [a["translations"]["es"]["confidence"] for a in data["articles"]]
    assert scores == sorted(scores) and data["articles"][0]["source"] == "content/long.md"
    assert 0 < scores[0] < scores[-1] <= 100
    table = invoke(runner, "status", "--weakest").stdout
    assert f"machine {scores[0]}%" in table
    review = invoke(runner, "review", "--weakest", "--html", "r.html")
    assert review.exit_code == 0
    page = (blog / "r.html").read_text(encoding="utf-8")
    assert page.index("content/long.md") < page.index("content/post.md") and "confidence " in page
    # approved, the page's words are a person's: the engine's doubt no longer puts it first
    assert invoke(runner, "review", "--approve", "content/long.md").exit_code == 0
    data = json.loads(invoke(runner, "status", "--weakest", "--json").stdout)
    approved = next(a for a in data["articles"] if a["source"] == "content/long.md")["translations"]["es"]
    assert approved["status"] == "reviewed" and approved.get("confidence") is None, approved
    assert data["articles"][-1]["source"] == "content/long.md"
