"""Property tests: generated Markdown round-trips, and survives translation."""

from __future__ import annotations

import os

from helpers import assert_same_structure, dropped_emphasis, translate_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n import engines, markdown
from l10n.engines.basic import CopyEngine, PseudoEngine

words = st.sampled_from(
    ["the", "site", "Hugo", "builds", "fast", "pages", "año", "naïve", "日本", "x_y", "a*b", "1.", "#tag", "|", "<", "&amp;", "\\", "[x]"]
)
phrase = st.lists(words, min_size=1, max_size=8).map(" ".join)
inline_piece = st.one_of(
    phrase,
    phrase.map(lambda t: f"**{t}**"),
    phrase.map(lambda t: f"*{t}*"),
    phrase.map(lambda t: f"`{t.replace('`', '')}`"),
    phrase.map(lambda t: f"[{t.replace('[', '').replace(']', '')}](https://example.com/{len(t)}.html)"),
    phrase.map(lambda t: f"![{t.replace('[', '').replace(']', '')}](img/{len(t)}.png \"A title\")"),
    st.just("<span>html</span>"),
    st.just("{{< ref \"a.md\" >}}"),
    st.just("https://example.com/x?y=1"),
)
line = st.lists(inline_piece, min_size=1, max_size=5).map(" ".join)
paragraph = st.lists(line, min_size=1, max_size=3).map("\n".join)
block = st.one_of(
    paragraph,
    line.map(lambda t: "## " + t),
    paragraph.map(lambda t: "\n".join("> " + l for l in t.split("\n"))),
    st.lists(line, min_size=1, max_size=3).map(lambda ls: "\n".join("- " + l for l in ls)),
    st.lists(line, min_size=1, max_size=3).map(lambda ls: "\n".join(f"{i}. {l}" for i, l in enumerate(ls, 1))),
    line.map(lambda t: "```go\n" + t + "\n```"),
    st.tuples(phrase, phrase).map(lambda c: f"| {c[0]} | {c[1]} |\n|---|:--:|\n| {c[1]} | {c[0]} |".replace("|  |", "| x |")),
    paragraph.map(lambda t: "{{% note %}}\n" + t + "\n{{% /note %}}"),
    phrase.map(lambda t: f'{{{{< figure src="a.png" caption="{t.replace(chr(34), "")}" >}}}}'),
)
front = st.one_of(
    st.just(""),
    phrase.map(lambda t: f'---\ntitle: "{t.replace(chr(92), "").replace(chr(34), "")}"\nlang: en\n---\n'),
    phrase.map(lambda t: f"+++\ntitle = '{t.replace(chr(39), '')}'\n+++\n"),
)
newline = st.sampled_from(["\n", "\r\n"])
document = st.tuples(front, st.lists(block, min_size=1, max_size=6), newline, st.booleans()).map(
    lambda p: (p[0] + "\n\n".join(p[1]) + ("\n" if p[3] else "")).replace("\n", p[2])
)

SETTINGS = settings(max_examples=int(os.environ.get("L10N_EXAMPLES", "100")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(document)
def test_parse_render_is_identity(text):
    assert markdown.parse(text).render() == text


@SETTINGS
@given(document)
def test_copy_engine_is_identity(text):
    out, notices = translate_text(text, CopyEngine())
    assert out == text
    assert notices == []


@SETTINGS
@given(document)
def test_translation_keeps_structure(text):
    out, notices = translate_text(text, PseudoEngine())  # it gives its alignment: everything placed
    assert_same_structure(text, out)
    assert not dropped_emphasis(notices)
    for engine in (PseudoEngine(), engines.load("hostile")):
        out, notices = translate_text(text, engine)
        # the hostile engine's text can leave emphasis nowhere to go: then it is left out, with a warning
        assert_same_structure(text, out, emphasis_dropped=dropped_emphasis(notices))
        if "\r\n" in text:  # CRLF files stay CRLF
            assert "\n" not in out.replace("\r\n", "")
