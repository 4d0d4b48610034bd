"""``l10n check`` on real files."""

from __future__ import annotations

import json

from helpers import edit, invoke


def test_check_command_lines_and_exit(runner, blog):
    invoke(runner, "translate")
    assert invoke(runner, "check").exit_code == 0
    edit(blog / "content" / "post.es.md", "(https://example.org/manual)", "(https://example.org/manual-es)")
    result = invoke(runner, "check")
    assert result.exit_code == 3
    assert "content/post.es.md:11: error: link target changed" in result.output
    data = json.loads(invoke(runner, "check", "--json").stdout)
    assert data["errors"] == 1 and data["findings"][0]["path"] == "content/post.es.md" and data["findings"][0]["line"] == 11


def test_reference_links_are_compared_by_label(runner, blog):
    (blog / "content" / "post.md").write_text(
        "Read [the manual][] and [the guide] and [that][The Guide], ![a logo][].\n\n"
        "[the manual]: https://example.org/m\n[the guide]: https://example.org/g\n[a logo]: /logo.png\n", encoding="utf-8")
    invoke(runner, "translate", "content/post.md")
    assert invoke(runner, "check", "content/post.md").exit_code == 0
    edit(blog / "content" / "post.es.md", "][the guide]", "][the manual]")
    result = invoke(runner, "check", "content/post.md")
    assert result.exit_code == 3 and "link target changed: '[the guide]' became '[the manual]'" in result.output
