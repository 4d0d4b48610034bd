"""Word alignment and the projection of markup spans onto a translation."""

from __future__ import annotations

from l10n import align
from l10n.align import Span, project


def place(source: str, target: str, spans: list[Span], links) -> list[str]:
    project(spans, source, target, links)
    return [target[s.target[0] : s.target[1]] if s.kind != "anchor" else s.target[0] for s in spans]


def test_words_split_letters_from_punctuation_and_cjk_by_character():
    assert [("Hello, wörld!"[a:b]) for a, b in align.words("Hello, wörld!")] == ["Hello", ",", "wörld", "!"]
    assert ["日本語で"[a:b] for a, b in align.words("日本語で")] == ["日", "本", "語", "で"]
    assert ["don't stop"[a:b] for a, b in align.words("don't stop")] == ["don't", "stop"]


def test_links_from_word_pairs_skip_punctuation():
    links = align.links_from_pairs("the world, here", "el mundo, aquí", [(0, 0), (1, 1), (2, 2)])
    assert [("the world, here"[a:b], "el mundo, aquí"[c:d]) for a, b, c, d in links] == [
        ("the", "el"), ("world", "mundo"), ("here", "aquí")]


def test_a_span_covers_the_words_its_words_became_however_reordered():
    source, target = "the big black dog sleeps", "el perro negro grande duerme"
    links = align.links_from_pairs(source, target, [(0, 0), (1, 3), (2, 2), (3, 1), (4, 4)])
    # "big black" -> "negro grande"; "dog" -> "perro"; a footnote after "dog" follows "perro"
    spans = [Span("pair", 4, 13), Span("atom", 14, 17), Span("anchor", 17, 17, glue="left")]
    assert place(source, target, spans, links) == ["negro grande", "perro", 8]


def test_crossing_spans_nest_again_and_none_is_dropped():
    source, target = "a b c d", "w x y z"
    # the outer span's words went to the end, the inner one's to the start: the inner stays inside
    outer, inner = Span("pair", 0, 7), Span("pair", 2, 3)
    links = [(0, 1, 6, 7), (6, 7, 4, 5), (2, 3, 0, 1)]
    project([outer, inner], source, target, links)
    assert outer.target[0] <= inner.target[0] < inner.target[1] <= outer.target[1]
    # two siblings on the same word: the first gives the second a word of its own
    first, second = Span("pair", 0, 3), Span("pair", 4, 7)
    project([first, second], "a b c d", "w x y z", [(0, 3, 0, 7), (4, 7, 4, 5)])
    assert first.target[1] <= second.target[0] and second.target[1] > second.target[0]


def test_an_atom_inside_a_link_stays_inside_it():
    source, target = "see the docs now", "ve ahora los docs"
    link, code = Span("pair", 4, 12, order=1), Span("atom", 8, 12, order=2)
    links = [(0, 3, 0, 2), (4, 7, 9, 12), (8, 12, 13, 17), (13, 16, 3, 8)]
    project([link, code], source, target, links)
    assert link.target[0] <= code.target[0] and code.target[1] <= link.target[1]


def test_text_only_engines_locate_a_spans_own_translation():
    target = "Prensa el botón de Tenedor ahora"
    assert align.locate(target, "Tenedor", 0.6) == (19, 26)
    assert align.locate(target, "el botón", 0.3) == (7, 15)
    # a near miss by character n-grams; nothing alike at all is not found
    assert target[slice(*align.locate(target, "botones", 0.3))] == "botón"
    assert align.locate(target, "xyzzy", 0.5) is None
    # the nearest of two equal candidates to where the span was
    assert align.locate("la casa y la casa", "casa", 0.9) == (13, 17)


def test_anchors_between_unlinked_words_go_in_proportion_at_a_space():
    source, target = "one two three four", "uno dos tres cuatro"
    anchor = Span("anchor", 8, 8)
    project([anchor], source, target, [(0, 0, 0, 0), (18, 18, 19, 19)])
    assert target[anchor.target[0]] == " " and anchor.guessed
    end = Span("anchor", 18, 18)
    project([end], source, target, [])
    assert end.target == (19, 19)


def test_words_that_come_through_as_they_are_anchor_the_rest():
    source, target = "Install Git and Go 1.18 or later, with JSON.", "Instala Git e ir 1.18 o más tarde, con JSON."
    links = align.same_words(source, target)
    assert sorted(source[a:b] for a, b, _c, _d in links) == ["1.18", "Git", "JSON"]
    assert all(source[a:b] == target[c:d] for a, b, c, d in links)
    # a word twice in either text says nothing of where it went; the first word is no name
    assert align.same_words("The Git and Git.", "El Git y Git.") == []
    assert align.same_words("Hugo builds.", "Hugo construye.") == []


def test_a_guess_by_position_takes_whole_words():
    # nothing links "Go": it goes between its neighbours, onto words, never a piece of "1.18"
    source, target = "and Go 1.18 later", "y ir 1.18 tarde"
    go = Span("pair", 4, 6)
    place(source, target, [go], [(0, 3, 0, 1), (12, 17, 10, 15)])
    assert target[go.target[0]:go.target[1]] in ("ir", "ir 1.18", "1.18")
    assert go.guessed and not target[go.target[0]:go.target[1]].endswith("1")
