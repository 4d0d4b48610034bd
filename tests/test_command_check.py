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


NGINX_SOURCE = """\
---
title: Serving the site
---

Configure the server as [nginx's guide](https://nginx.org/en/docs/) says.

Then reload it.
"""
NGINX_PERSONS = """\
---
title: Servir el sitio
---

Configure el servidor como dice [la guía de nginx](https://nginx.org/es/docs/).

Luego recárguelo.
"""


def test_an_accepted_finding_fails_nothing_until_its_text_changes(runner, blog):
    """Issue 24, finding 4: a link localised on purpose stayed an error after review
    --approve --force, so l10n build exited 3 for ever."""
    (blog / "content" / "other.md").unlink()
    (blog / "content" / "post.md").write_text(NGINX_SOURCE, encoding="utf-8")
    (blog / "content" / "post.es.md").write_text(NGINX_PERSONS, encoding="utf-8")
    result = invoke(runner, "check")
    assert result.exit_code == 3 and "content/post.es.md:5: error: link target changed" in result.output
    assert invoke(runner, "review", "--approve").exit_code == 3  # an error: not approved
    assert invoke(runner, "review", "--approve", "--force").exit_code == 0
    assert invoke(runner, "build").exit_code == 3  # what the team lived with

    assert invoke(runner, "check", "--accept", "content/post.es.md:9").exit_code == 3  # names no finding
    accepted = invoke(runner, "check", "--accept", "content/post.es.md:5:markup")
    assert accepted.exit_code == 0, accepted.output
    assert "accepted: content/post.es.md:5: error: link target changed" in accepted.output
    result = invoke(runner, "check")
    assert result.exit_code == 0 and "link target" not in result.stdout and "1 accepted" in result.output
    listed = invoke(runner, "check", "--accepted")
    assert "content/post.es.md:5: error: link target changed" in listed.stdout and "(accepted)" in listed.stdout
    assert json.loads(invoke(runner, "check", "--json").stdout)["accepted"][0]["check"] == "markup"
    assert invoke(runner, "review", "--approve").exit_code == 0  # an accepted finding refuses no approval
    build = invoke(runner, "build")
    assert build.exit_code == 0, build.output
    assert invoke(runner, "build").exit_code == 0  # from the cache of findings too

    # the translation's text there changes: the finding is a new one, and fails again
    edit(blog / "content" / "post.es.md", "Configure el servidor", "Configure su servidor")
    result = invoke(runner, "check")
    assert result.exit_code == 3 and "content/post.es.md:5: error: link target changed" in result.output


def test_accepting_needs_a_record_of_the_page_as_it_is(runner, blog):
    (blog / "content" / "other.md").unlink()
    (blog / "content" / "post.md").write_text(NGINX_SOURCE, encoding="utf-8")
    (blog / "content" / "post.es.md").write_text(NGINX_PERSONS, encoding="utf-8")
    result = invoke(runner, "check", "--accept", "content/post.es.md:5")
    assert result.exit_code == 3 and "approve it first (l10n review --approve)" in result.output
    assert invoke(runner, "check").exit_code == 3
