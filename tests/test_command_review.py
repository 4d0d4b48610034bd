"""The review workflow: status, check, review and approval, on real files (--merge: test_merge.py)."""

from __future__ import annotations

from conftest import ARTICLE
from helpers import cells, edit, invoke

# -- review and approval -----------------------------------------------------


def test_review_side_by_side_marks_changed_segments(runner, blog):
    invoke(runner, "translate")
    edit(blog / "content" / "post.md", "Run it again:", "Run it a third time:")
    result = invoke(runner, "review", "content/post.md")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    marked = [i for i, line in enumerate(lines) if "SOURCE CHANGED" in line]
    assert len(marked) == 1 and "line 13/13  paragraph" in lines[marked[0]]
    assert "Run it a third time:" in lines[marked[0] + 1] and "|" in lines[marked[0] + 1] and "⟦" in lines[marked[0] + 1]
    assert "title" in result.output and "Getting started" in result.output


def test_review_html_is_escaped_and_self_contained(runner, blog):
    hostile = ARTICLE.replace('"Getting started"', '"<script>alert(1)</script>"') + (
        "\nA <script>alert(2)</script> and <img src=x onerror=alert(3)> in prose.\n\nAnd <iframe src=\"https://evil.example\"></iframe> inline.\n")
    (blog / "content" / "post.md").write_text(hostile, encoding="utf-8")
    invoke(runner, "translate")
    out = blog / "report.html"
    result = invoke(runner, "review", "--html", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;iframe" in page
    assert "default-src 'none'" in page  # nothing loads even if escaping failed
    assert "src=" not in lowered.replace("src=&quot;", "").replace("src=x", "")
    assert 'href="' not in page and "<link" not in lowered


def test_approve_refuses_errors_and_stale_unless_forced(runner, blog):
    invoke(runner, "translate")
    edit(blog / "content" / "post.es.md", "`l10n.toml`", "`l10n.tomlx`")
    edit(blog / "content" / "other.md", "Run it again:", "Run once more:")
    result = invoke(runner, "review", "--approve")
    assert result.exit_code == 3
    assert "content/post.es.md: not approved: 1 error" in result.output
    assert "content/other.es.md: not approved: source changed" in result.output
    assert {c.status for c in cells(blog).values()} == {"edited", "stale"}
    assert invoke(runner, "review", "--approve", "--force").exit_code == 0
    assert {c.status for c in cells(blog).values()} == {"reviewed"}


def test_reviewed_translation_kept_by_translate_whatever_the_engine(runner, blog):
    invoke(runner, "translate")
    assert invoke(runner, "review", "--approve").exit_code == 0
    before = (blog / "content" / "post.es.md").read_bytes()
    result = invoke(runner, "translate", "--engine", "copy")
    assert result.exit_code == 0 and "updated" not in result.output
    assert (blog / "content" / "post.es.md").read_bytes() == before
    assert invoke(runner, "translate", "--engine", "copy", "--force").exit_code == 0
    assert (blog / "content" / "post.es.md").read_bytes() != before
    assert cells(blog)["content/post.es.md"].status == "untranslated"


# -- found by review: each a way a person's work could be lost ------------------


def test_a_persons_update_of_a_stale_translation_is_approved_and_kept(runner, approved):
    source, target = approved / "content" / "post.md", approved / "content" / "post.es.md"
    edit(source, "Second paragraph", "The second paragraph")
    edit(target, "Segundo párrafo de la página.", "El segundo párrafo de la página.")
    cell = cells(approved)["content/post.es.md"]
    assert cell.status == "stale" and "approve it" in cell.detail
    # --merge keeps the person's new text rather than translating that segment again
    before = target.read_text(encoding="utf-8")
    assert invoke(runner, "translate", "--merge").exit_code == 0
    assert "El segundo párrafo de la página." in target.read_text(encoding="utf-8")
    target.write_text(before, encoding="utf-8")
    result = invoke(runner, "review", "--approve")
    assert result.exit_code == 0, result.output
    assert cells(approved)["content/post.es.md"].status == "reviewed"


def test_review_in_a_terminal_shows_control_characters_escaped(runner, blog):
    edit(blog / "content" / "post.md", "Install the package", "Install \x1b]0;owned\x07 the \x1b[2J package")
    invoke(runner, "translate")
    output = invoke(runner, "review", "content/post.md").output
    assert "\x1b]0" not in output and "\x1b[2J" not in output and "\\x1b]0;owned\\x07" in output
