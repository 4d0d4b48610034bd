"""Whose words an imported unit may replace: a person's change, a draft, an approval, a conflict.

The scenarios are the ones translators and reviewers live: an old export
imported over a reviewer's newer approved edits (with and without
``--force``), drafts left as they were exported, a translator's unconfirmed
edit, a catalog with no export data. Every test reads the files on disk and
``l10n status`` afterwards.
"""

from __future__ import annotations

import re

import pytest
from helpers import cells, edit, invoke

from l10n.exchange import Unit, exported_digest
from l10n.verdicts import Current, judge

translate_storage = pytest.importorskip("translate.storage")
from translate.storage import po, xliff  # noqa: E402

ARTICLE = """\
---
title: "Feeding the starter"
---

The starter came too, in a jar on the back seat.

It needs flour and water every morning.

We fed it in a hotel room in Lisbon.

Nobody at the desk asked about the jar.
"""


@pytest.fixture
def page(runner, site):
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\n', encoding="utf-8")
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    assert invoke(runner, "translate").exit_code == 0  # pseudo: machine drafts
    return site


def _units(path):
    return {u.source: u for u in xliff.xlifffile.parsefile(str(path)).units if u.source}


def _state(path, source, text=None, state="translated"):
    """A translator's tool: one unit's target (and state) changed."""
    body = path.read_text(encoding="utf-8")
    start = body.index(f"<source>{source}</source>")
    end = body.index("</trans-unit>", start)
    unit = body[start:end]
    target = re.search(r"<target[^>]*>(.*?)</target>", unit, re.S)
    words = target.group(1) if text is None else text
    unit = unit.replace(target.group(0), f'<target state="{state}">{words}</target>')
    path.write_text(body[:start] + unit + body[end:], encoding="utf-8")


def test_an_old_export_never_undoes_a_reviewers_approved_edits(runner, page):
    sibling = page / "content" / "post.es.md"
    assert invoke(runner, "export", "-o", "old.xlf").exit_code == 0
    # a reviewer edits two lines of the page by hand and approves it
    lines = sibling.read_text(encoding="utf-8").splitlines()
    edited = [n for n, line in enumerate(lines) if line.startswith("⟦Ţĥéé šţààŕţééŕ") or line.startswith("⟦ÎÎţ ñééééđš")]
    assert len(edited) == 2
    for n in edited:
        lines[n] = lines[n].replace("⟦", "⟦(revisado) ")
    sibling.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert invoke(runner, "review", "--approve").exit_code == 0
    approved = sibling.read_bytes()
    assert cells(page)["content/post.es.md"].status == "reviewed"
    # the old export comes back with one untouched line confirmed by a translator's tool
    _state(page / "old.xlf", "We fed it in a hotel room in Lisbon.")
    result = invoke(runner, "import", "old.xlf")
    assert result.exit_code == 0, result.output
    assert sibling.read_bytes() == approved  # the drafts changed nothing: every hand edit is there
    assert cells(page)["content/post.es.md"].status == "reviewed"
    # the same with --force: drafts are nobody's words, the file wins only where a person wrote in it
    assert invoke(runner, "import", "--force", "old.xlf").exit_code == 0
    assert sibling.read_bytes() == approved


def test_drafts_never_win_over_an_edited_page_even_with_force(runner, page):
    sibling = page / "content" / "post.es.md"
    assert invoke(runner, "export", "-o", "old.xlf").exit_code == 0
    edit(sibling, "⟦Ţĥéé šţààŕţééŕ", "⟦(a mano) Ţĥéé šţààŕţééŕ")  # edited by a person, not approved
    before = sibling.read_bytes()
    assert cells(page)["content/post.es.md"].status == "edited"
    for args in ((), ("--force",)):
        result = invoke(runner, "import", *args, "old.xlf")
        assert result.exit_code == 0, result.output
        assert "0 units imported" in result.output
        assert sibling.read_bytes() == before
    # a draft whose words the translator changed (state left as it was) is a person's text
    _state(page / "old.xlf", "Nobody at the desk asked about the jar.", "Nadie preguntó por el tarro.",
           state="needs-review-translation")
    result = invoke(runner, "import", "old.xlf")
    assert result.exit_code == 0 and "1 units imported" in result.output, result.output
    text = sibling.read_text(encoding="utf-8")
    assert "Nadie preguntó por el tarro." in text and "(a mano)" in text
    assert cells(page)["content/post.es.md"].status == "edited"  # a person's words, not yet approved


def test_a_translators_change_over_words_a_person_changed_since_is_a_conflict(runner, page):
    sibling = page / "content" / "post.es.md"
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    edit(sibling, "⟦Ŵéé ƒééđ", "⟦(a mano) Ŵéé ƒééđ")
    assert invoke(runner, "review", "--approve").exit_code == 0
    _state(page / "es.xlf", "We fed it in a hotel room in Lisbon.", "Le dimos de comer en un hotel de Lisboa.")
    _state(page / "es.xlf", "It needs flour and water every morning.", "Necesita harina y agua cada mañana.")
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 3, result.output
    assert re.search(r"content/post.es.md:9\) not imported: the page's translation there is a person's and changed "
                     r"since the export", result.output), result.output
    assert "1 units imported, 1 refused" in result.output
    text = sibling.read_text(encoding="utf-8")
    assert "(a mano)" in text and "Necesita harina y agua cada mañana." in text
    result = invoke(runner, "import", "--force", "es.xlf")  # the file wins: a person's words over a person's
    assert result.exit_code == 0, result.output
    assert "Le dimos de comer en un hotel de Lisboa." in sibling.read_text(encoding="utf-8")


def test_an_approval_of_text_the_page_no_longer_holds_is_not_recorded(runner, page):
    sibling = page / "content" / "post.es.md"
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    edit(sibling, "⟦Ŵéé ƒééđ", "⟦(a mano) Ŵéé ƒééđ")
    _state(page / "es.xlf", "We fed it in a hotel room in Lisbon.", state="signed-off")  # approved as exported
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 3, result.output
    assert "approved in the file as exported, but the page has changed there since the export" in result.output
    assert "(a mano)" in sibling.read_text(encoding="utf-8")


def test_a_catalog_without_export_data_replaces_only_what_l10n_recorded(runner, page):
    """A file that does not say what it started from (po4a's, Weblate's): its person's
    translations replace machine words, and a page's words only as l10n last recorded them."""
    sibling = page / "content" / "post.es.md"
    catalog = ('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
               'msgid "We fed it in a hotel room in Lisbon."\nmsgstr "Le dimos de comer en Lisboa."\n\n'
               'msgid "It needs flour and water every morning."\nmsgstr "Necesita harina cada mañana."\n')
    (page / "es.po").write_text(catalog, encoding="utf-8")
    edit(sibling, "⟦Ŵéé ƒééđ", "⟦(a mano) Ŵéé ƒééđ")  # a person's edit l10n has not recorded
    before = sibling.read_bytes()
    result = invoke(runner, "import", "es.po")
    # which lines the person changed, nothing says: every line of the page counts as theirs
    assert result.exit_code == 3 and result.output.count("edited since l10n recorded it") == 2, result.output
    assert sibling.read_bytes() == before
    assert invoke(runner, "review", "--approve").exit_code == 0  # now l10n has the page as it is
    result = invoke(runner, "import", "es.po")
    assert result.exit_code == 0, result.output
    text = sibling.read_text(encoding="utf-8")
    assert "Le dimos de comer en Lisboa." in text and "Necesita harina cada mañana." in text
    assert cells(page)["content/post.es.md"].status == "reviewed"  # approved, then a person's words


def test_fuzzy_entries_never_replace_a_persons_words(runner, page):
    sibling = page / "content" / "post.es.md"
    (page / "es.po").write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                '#, fuzzy\nmsgid "We fed it in a hotel room in Lisbon."\nmsgstr "Borrador."\n\n'
                                '#, fuzzy\nmsgid "Nobody at the desk asked about the jar."\nmsgstr "Nadie preguntó."\n',
                                encoding="utf-8")
    edit(sibling, "⟦Ŵéé ƒééđ", "⟦(a mano) Ŵéé ƒééđ")
    assert invoke(runner, "review", "--approve").exit_code == 0
    for args in (("--fuzzy",), ("--fuzzy", "--force")):
        result = invoke(runner, "import", *args, "es.po")
        assert result.exit_code == 3 and "a fuzzy entry, over a person's translation" in result.output, result.output
        assert "Borrador." not in sibling.read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# judge() alone


def _current(text: str, tier: str, original: str | None = None) -> Current:
    from l10n import markdown

    seg = next(markdown.parse((original or text) + "\n").segments())
    return Current(seg, text, text, tier)


def _unit(target: str, exported: str | None = "as exported", page: str | None = "as exported", **kw) -> Unit:
    return Unit("u1", "Source words.", target,
                exported=exported_digest(exported) if exported is not None else None,
                page=exported_digest(page) if page is not None else None, **kw)


@pytest.mark.parametrize("state,qualifier,tier,page_now,expected", [
    # untouched drafts are nobody's words, whatever the page holds now
    ("needs-review-translation", "mt-suggestion", "", "as exported", "draft"),
    ("needs-review-translation", "mt-suggestion", "reviewed", "a reviewer's edit", "draft"),
    ("new", "", "edited", "a person's", "draft"),
    # an approval of what was exported counts while the page still says it
    ("signed-off", "", "", "as exported", "approve"),
    ("signed-off", "", "reviewed", "a reviewer's edit", "moved"),
    ("translated", "mt-suggestion", "", "as exported", "draft"),
])
def test_a_unit_as_exported(state, qualifier, tier, page_now, expected):
    unit = _unit("as exported", state=state, qualifier=qualifier)
    verdict = judge(unit, _current(page_now, tier), xliff=True, as_is=True, force=True, fuzzy=False, status="reviewed")
    assert verdict.action == expected


@pytest.mark.parametrize("tier,page_now,force,expected", [
    ("", "machine words", False, "apply"),  # machine words: a person's replace them
    ("reviewed", "as exported", False, "apply"),  # the translator saw this text and changed it
    ("reviewed", "a reviewer's edit", False, "conflict"),  # both changed it: a person must look
    ("reviewed", "a reviewer's edit", True, "apply"),  # --force: the file wins
])
def test_a_unit_a_translator_changed(tier, page_now, force, expected):
    unit = _unit("the translator's words", state="needs-review-translation")  # changed, not confirmed
    verdict = judge(unit, _current(page_now, tier, "as exported" if page_now == "as exported" else None), xliff=True,
                    as_is=True, force=force, fuzzy=False, status="reviewed")
    assert verdict.action == expected
    if expected == "apply":
        assert verdict.tier == "edited"  # a person's words, not approved: the state did not say so


def test_units_too_long_or_broken_are_refused_alone():
    assert judge(_unit("x" * 10_000), None, xliff=True, as_is=True, force=True, fuzzy=False,
                 status="reviewed").action == "refused"
    broken = _unit("words", error="it has no id")
    assert judge(broken, None, xliff=True, as_is=True, force=True, fuzzy=False, status="reviewed").why == "it has no id"
