"""The review desk behind ``l10n serve``: edits, approvals and accepted findings through import's and review's paths."""

from __future__ import annotations

import pytest
from helpers import cells, edit, invoke

from l10n.commands.desk import Desk

KEY, LANG, PAGE = "content/post.md", "es", "content/post.es.md"


@pytest.fixture
def desk(runner, blog):
    assert invoke(runner, "translate").exit_code == 0
    return Desk()


def segment(page: dict, contains: str) -> dict:
    return next(s for s in page["segments"] if contains in "".join(p.get("text", "") for p in s["source"] or []))


def tagged(seg: dict) -> str:
    return "".join(p.get("tag") or p["text"] for p in seg["target"])


def test_the_list_and_a_page_say_what_status_says(desk, blog):
    listing = desk.listing(lang=LANG)
    assert listing["total"] == 2 and {r["status"] for r in listing["rows"]} == {"machine"}
    assert desk.listing(query="other")["total"] == 1 and desk.listing(state="stale")["total"] == 0
    page = desk.page(KEY, LANG)
    assert page["status"] == "machine" and page["target"] == PAGE
    seg = segment(page, "Set the targets")
    assert [p["role"] for p in seg["source"] if "tag" in p] == ["void", "open", "close"]
    assert seg["editable"] and tagged(seg).count("<g1>") == 1


def test_an_edit_is_a_persons_and_status_agrees(runner, desk, blog):
    seg = segment(desk.page(KEY, LANG), "Set the targets")
    text = tagged(seg).replace("<g1>", "Lea el <g1>", 1)
    answer = desk.edit(KEY, LANG, seg["uid"], text, seg["seen"])
    assert answer.ok, answer.message
    written = (blog / PAGE).read_text(encoding="utf-8")
    assert "Lea el [" in written and "(https://example.org/manual)" in written
    assert cells(blog)[PAGE].status == "edited"
    assert invoke(runner, "check").exit_code == 0


def test_an_edit_that_drops_a_tag_is_refused_and_nothing_is_written(desk, blog):
    before = (blog / PAGE).read_bytes()
    seg = segment(desk.page(KEY, LANG), "Set the targets")
    answer = desk.edit(KEY, LANG, seg["uid"], "Sin enlace ni código.", seg["seen"])
    assert not answer.ok and "inline codes" in answer.message
    assert (blog / PAGE).read_bytes() == before and cells(blog)[PAGE].status == "machine"


def test_an_edit_with_no_words_is_refused_and_the_segment_stays_editable(runner, desk, blog):
    """``---`` would be written as ``\\---``: a block that reads as no segment, after which the
    desk could no longer pair (nor edit) it and check would pair the page's blocks wrongly."""
    before = (blog / PAGE).read_bytes()
    seg = segment(desk.page(KEY, LANG), "Install the package")
    answer = desk.edit(KEY, LANG, seg["uid"], "---", seg["seen"])
    assert not answer.ok and "no words" in answer.message
    assert (blog / PAGE).read_bytes() == before
    assert segment(desk.page(KEY, LANG), "Install the package")["editable"]
    assert invoke(runner, "check").exit_code == 0


def test_two_tabs_lose_neither_edit_and_an_old_tab_is_refused(desk, blog):
    page = desk.page(KEY, LANG)  # both tabs load the page
    first, second = segment(page, "Install the package"), segment(page, "Run it again")
    assert desk.edit(KEY, LANG, first["uid"], "Instale el paquete.", first["seen"]).ok
    assert desk.edit(KEY, LANG, second["uid"], "Ejecútelo otra vez.", second["seen"]).ok
    written = (blog / PAGE).read_text(encoding="utf-8")
    assert "Instale el paquete." in written and "Ejecútelo otra vez." in written
    # the first tab, still showing the old text, saves the same segment again: refused, nothing lost
    answer = desk.edit(KEY, LANG, second["uid"], "Otra cosa.", second["seen"])
    assert not answer.ok and "changed since you loaded it" in answer.message
    assert "Ejecútelo otra vez." in (blog / PAGE).read_text(encoding="utf-8")


def test_a_concurrent_run_of_the_command_line_keeps_the_persons_edit(runner, desk, blog):
    seg = segment(desk.page(KEY, LANG), "Install the package")
    assert desk.edit(KEY, LANG, seg["uid"], "Instale el paquete.", seg["seen"]).ok
    assert invoke(runner, "translate").exit_code == 0  # a person's words: kept
    assert invoke(runner, "translate", "--engine", "scoring").exit_code == 0  # whatever the engine
    assert "Instale el paquete." in (blog / PAGE).read_text(encoding="utf-8")
    # a person's edit in the file since the page was loaded: the tab's save is refused
    page = desk.page(KEY, LANG)
    seg = segment(page, "Install the package")
    edit(blog / PAGE, "Instale el paquete.", "Instale el paquete hoy.")
    answer = desk.edit(KEY, LANG, seg["uid"], "Otra cosa.", seg["seen"])
    assert not answer.ok and "Instale el paquete hoy." in (blog / PAGE).read_text(encoding="utf-8")


def test_approving_a_segment_then_the_page(desk, blog):
    page = desk.page(KEY, LANG)
    seg = segment(page, "Install the package")
    answer = desk.approve_segment(KEY, LANG, seg["uid"], seg["seen"])
    assert answer.ok, answer.message
    assert cells(blog)[PAGE].status == "edited"  # a person's segment; the page is not approved yet
    page = desk.page(KEY, LANG)
    assert not desk.approve_page(KEY, LANG, "0" * 24).ok  # a page that changed since it was loaded
    answer = desk.approve_page(KEY, LANG, page["version"])
    assert answer.ok, answer.message
    assert cells(blog)[PAGE].status == "reviewed"


def test_accepting_a_finding_in_the_desk_is_check_accept(runner, desk, blog):
    edit(blog / PAGE, "(https://example.org/manual)", "(https://example.org/es/manual)")
    assert invoke(runner, "review", "--approve", "--force").exit_code == 0
    page = desk.page(KEY, LANG)
    found = [f for s in page["segments"] for f in s["findings"] if f["check"] == "markup"]
    assert len(found) == 1 and not found[0]["accepted"]
    assert not desk.accept(KEY, LANG, "0" * 12).ok
    answer = desk.accept(KEY, LANG, found[0]["id"])
    assert answer.ok, answer.message
    assert invoke(runner, "check").exit_code == 0
    assert [f for s in desk.page(KEY, LANG)["segments"] for f in s["findings"] if f["accepted"]]


def test_approving_a_page_a_run_rewrote_after_the_desk_looked_is_refused(runner, desk, blog, monkeypatch):
    """A run that rewrites the page between the desk's look at the version and review's
    read of the file: the machine's new text is not recorded as a person's approval."""
    from l10n.commands import desk as module

    page = desk.page(KEY, LANG)
    before = page["version"]
    real = module.Survey

    def a_run_meanwhile(*args, **kwargs):
        monkeypatch.setattr(module, "Survey", real)
        edit(blog / "content" / "post.md", "the second time", "the third time")
        assert invoke(runner, "translate").exit_code == 0  # the machine's page, made again
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "Survey", a_run_meanwhile)
    answer = desk.approve_page(KEY, LANG, before)
    assert not answer.ok and "changed since you loaded it" in answer.message
    assert cells(blog)[PAGE].status == "machine"


def test_an_edit_of_a_segment_whose_markup_a_person_changed_is_refused(runner, desk, blog):
    """The page shows such a segment without an editor; a request that edits it anyway
    (an old page, a script) is refused: the person's localised link stays."""
    edit(blog / PAGE, "(https://example.org/manual)", "(https://example.org/es/manual)")
    assert invoke(runner, "review", "--approve", "--force").exit_code == 0
    before = (blog / PAGE).read_bytes()
    seg = segment(desk.page(KEY, LANG), "Set the targets")
    assert not seg["editable"]
    answer = desk.edit(KEY, LANG, seg["uid"], "Ponga los objetivos en <x1/> y lea el <g1>manual</g1>.", seg["seen"])
    assert not answer.ok and "markup is not the source's" in answer.message
    assert (blog / PAGE).read_bytes() == before and cells(blog)[PAGE].status == "reviewed"


def test_a_saved_text_the_writer_escaped_stays_editable(desk, blog):
    """A person's brackets or asterisks are written escaped (``\\[``): the segment's markup
    is still the source's, so the desk edits it again, and an unchanged save changes nothing."""
    seg = segment(desk.page(KEY, LANG), "Set the targets")
    text = tagged(seg) + " [nota] 2 * 3 <b>"
    assert desk.edit(KEY, LANG, seg["uid"], text, seg["seen"]).ok
    written = (blog / PAGE).read_text(encoding="utf-8")
    assert "\\[nota\\]" in written and "\\*" in written and "(https://example.org/manual)" in written
    seg = segment(desk.page(KEY, LANG), "Set the targets")
    assert seg["editable"], seg["why"]
    assert tagged(seg) == text
    assert desk.edit(KEY, LANG, seg["uid"], text, seg["seen"]).message == "nothing changed"
    assert desk.approve_segment(KEY, LANG, seg["uid"], seg["seen"]).ok
    assert "[nota]" in tagged(segment(desk.page(KEY, LANG), "Set the targets"))


def test_a_pages_version_is_that_of_the_text_it_shows(runner, desk, blog, monkeypatch):
    """A run that rewrites the page while the desk reads it: the version the tab gets is
    that of the text its segments show, so approving it cannot approve the run's text."""
    from l10n.survey import Survey

    real = Survey.parse
    done = []

    def a_run_meanwhile(self, path, raw=None, options=None):
        doc = real(self, path, raw, options)
        if str(path).endswith(PAGE) and not done:
            done.append(path)
            edit(blog / PAGE, "⟦Çööñƒîîĝûûŕéé⟧", "Configurar")  # written just after the desk read it
        return doc

    monkeypatch.setattr(Survey, "parse", a_run_meanwhile)
    page = desk.page(KEY, LANG)
    monkeypatch.setattr(Survey, "parse", real)
    assert done and "Configurar" not in str(page["segments"])
    answer = desk.approve_page(KEY, LANG, page["version"])
    assert not answer.ok and "changed since you loaded it" in answer.message
    assert cells(blog)[PAGE].status != "reviewed"
