"""Hugo's heading ids, as l10n.anchors computes them, against the ids the real ``hugo`` writes."""

from __future__ import annotations

import json
import random
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import need

from l10n import anchors
from l10n.anchors import (
    KINDS,
    Heading,
    add_id,
    anchorize,
    href_fragment,
    page_ids,
    parse_atx_heading,
    parse_setext_heading,
)

# (Markdown block, the headings in it): a string is an ATX line as Goldmark sees it (container
# markers removed), a tuple is a setext heading (its text lines, level).
CASES: list[tuple[str, list[str | tuple[list[str], int]]]] = [
    (b, [b]) for b in [
        "## The `foo` option",
        "## [Link text](url) here",
        "## **Bold** and _em_",
        "## Entities &amp; &mdash; &nbsp;",
        "## Ünïcödé Straße",
        "## 日本語の見出し",
        "## Trailing hashes ##",
        "## Trailing hashes with spaces ###   ",
        "## C++ & C#",
        "## 1. Numbered",
        "## Hello, World!",
        "## \"Quotes\" and 'apostrophes’",
        "## a - b -- c",
        "## Foo \\* bar",
        "## &#39;amp&#39; <span>x</span> <https://x.y>",
        "## Tab\there",
        "## Ümlaut İstanbul ΣΑΣ ǅ",
        "## ½ ² ① Ⅻ ٣ ४",
        "## nbsp\u00a0here\u2003em\u3000ideo",
        "## x \u0301",
        "## Résumé naïve café",
        "## emoji 🎉 heart ❤️",
        "##",
        "## #",
        "## ***",
        "## ___init___ `__x__`",
        "## Footnote[^1]",
        "## ![alt text](img.png) image",
        "## Привет мир",
        "## हिन्दी ภาษาไทย عربي עברית 한국어",
        "## µ ª º ß ẞ ĳ",
        "## Let's try this, shall we?",
        "## snake_case and kebab-case",
        "## -leading and trailing-",
        "## ##Not closing##",
        "### Foo#",
        "## Escaped \\{#not-id}",
        "## Not last {#mid} text",
        "## Class only {.cls}",
        "## Class hashes ## {.c}",
        "## Use #hashtags ## {.c}",
        "## y {.a} z {.b}",
        "## A11 {#a}}",
        "## A17 {#a}x",
        "## A18 \\\\{#esc2}",
        "## A19 `{#code}`",
        "## A23 {#x y}",
        "## A24 {-x=1}",
        "## A3 {id='single'}",
        "## A6 {x}",
        "## A13 {#a=b}",
        "## Weird {#a:b_c-d/e}",
        "## Number 32",
        "   ## Indented three",
        "#\tTab after hashes",
        "###### Six",
    ]
] + [
    (b, [b]) for b in [
        # explicit ids, in the positions that show how Hugo reserves them
        "## Explicit first {#foo}",
        "## Foo",
        "## Custom {#custom-id}",
        "## Attr trailing hashes ## {#th-id}",
        "## Attr after hashes {#ah-id} ##",
        "## Attr nospace{#nospace}",
        "## Dotted {#my.id}",
        "## Upper {#MyID}",
        "## Class {#cid .cls}",
        "## Keyval {id=\"kv\" data-x=\"1\"}",
        "## Unquoted {id=unquoted}",
        "## Spaced { #spaced }",
        "## Several {#a .b #c}",
        "## Comma {#comma, .b}",
        "## Quoted space {id=\"x y\"}",
        "## Unicode {#café}",
        "## x {#lasta} {#lastb}",
        "## A20 {#tail} ###",
        "## A21 #### {#h21}",
        "## A22 \\## {#h22}",
        "## dup",
        "## dup",
        "## Custom {#dup-1}",
        "## dup",
        "## Dup 3",
        "## dup",
        "## dup",
        "## Later",
        "## Explicit later {#later}",
        "## Later",
        "## Heading",
        "##",
        "## Empty id {#}",
    ]
] + [
    ("Setext one\nline two\n==========", [(["Setext one", "line two"], 1)]),
    ("Setext attr {#setext-id}\n-----------", [(["Setext attr {#setext-id}"], 2)]),
    ("Setext plain\n------------", [(["Setext plain"], 2)]),
    ("Foo\n===", [(["Foo"], 1)]),
    ("  Indented setext  \n  with **two** lines  \n---", [(["Indented setext", "with **two** lines"], 2)]),
    ("- ## In list", ["## In list"]),
    ("- item\n\n  ## Nested in item", ["## Nested in item"]),
    ("1. ## In ordered list", ["## In ordered list"]),
    ("> ## In quote", ["## In quote"]),
    ("> quote\n>\n> Setext in quote\n> ---", [(["Setext in quote"], 2)]),
    ("> > ### Deep quote {.q}", ["### Deep quote {.q}"]),
    ("```\n## not a heading\n```", []),
    ("    ## indented code", []),
    ("#not a heading", []),
    ("####### seven", []),
    ("Footnotes below.\n\n[^1]: note", []),
]


def _heading(spec: str | tuple[list[str], int]) -> Heading:
    if isinstance(spec, str):
        h = parse_atx_heading(spec)
        assert h is not None, spec
        return h
    lines, level = spec
    return parse_setext_heading(lines, level)


def _fuzz_texts(n: int, seed: int = 20230316) -> list[str]:
    # Characters from Unicode <= 13 (Go 1.19's tables); no "#{}\\:" so the line stays a plain heading.
    pool = (
        "abcXYZ019_- -- .,;!?'\"()[]*+=/|~^$%&@<>`"
        "éüßİıΣσςǅÆøåçñÑŒ" "日本語中文한국어" "١٢٣४५६๓" "½²①Ⅻ" "\u00a0\u2003\u3000\u200b\u0301\u0308\t"
        "😄🎉❤\ufe0fℹµªºЖжЁёאבגعربيภาษาไทยहिन्दी"
    )
    rng = random.Random(seed)
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 24))) for _ in range(n)]


FUZZ = _fuzz_texts(300)

# Source-language anchors written onto translated headings with add_id.
TRANSLATED = [
    ("Escena", "scene"),
    ("Opciones {.wide}", "options"),
    ("Usa #etiquetas", "use-tags"),
    ("C#", "c"),
    ("Paso ## dos", "step-two"),
    ("Con barra", "a/b"),
    ("Mayúsculas", "MyID"),
    ("Espacio", "x y"),
    ("Comillas", 'q"uote'),
    ("Ya tiene {#keep}", "ignored"),
    ("", "empty"),
]

ANCHORIZE_STRINGS = [
    " Trailing Space ",
    "a\tb",
    "\u00a0x\u00a0",
    "\u2003 lead em",
    "-x-",
    "",
    "Ü",
    "God is good: 神真美好",
    "Special !\"#$%&(parens)=?´* chars",
    "Many   spaces  here",
    "Let's try this, shall we?",
    "İstanbul ΣΑΣ",
    "x \u0301",
] + FUZZ[:100]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str | None] = []
        self.texts: list[str] = []
        self.anchorized: list[str] = []
        self.hrefs: list[str] = []
        self.items: list[str] = []
        self._in_h = self._in_li = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(a.get("id"))
            self.texts.append("")
            self._in_h = True
        elif tag == "li" and "data-a" in a:
            self.anchorized.append(a["data-a"] or "")
        elif tag == "li":
            self.items.append("")
            self._in_li = True
        elif tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in_h = False
        elif tag == "li":
            self._in_li = False

    def handle_data(self, data: str) -> None:
        if self._in_h:
            self.texts[-1] += data
        if self._in_li and self.items:
            self.items[-1] += data


def _parse(path: Path) -> _Ids:
    p = _Ids()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module", params=KINDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A throwaway Hugo site with every case above, built once per autoHeadingIDType."""
    need("hugo")
    kind: str = request.param
    root = tmp_path_factory.mktemp(f"site-{kind}")
    (root / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
        "[markup.goldmark.parser]\n"
        f'autoHeadingIDType = "{kind}"\n',
        encoding="utf-8",
    )
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("<main>{{ .Content }}</main>\n", encoding="utf-8")
    (layouts / "list.html").write_text("<main>{{ .Content }}</main>\n", encoding="utf-8")
    (layouts / "anchorize.html").write_text(
        '<ul>{{ range .Params.strs }}<li data-a="{{ anchorize . }}"></li>{{ end }}</ul>\n', encoding="utf-8"
    )
    (root / "layouts" / "shortcodes").mkdir()
    (root / "layouts" / "shortcodes" / "sc.html").write_text("SC", encoding="utf-8")
    content = root / "content"
    content.mkdir()

    def page(name: str, body: str, **front: object) -> None:
        (content / f"{name}.md").write_text(json.dumps({"title": name, **front}) + "\n\n" + body, encoding="utf-8")

    page("cases", "\n\n".join(block for block, _ in CASES) + "\n")
    page("fuzz", "".join(f"## {t}\n\n" for t in FUZZ))
    page("translated", "".join(f"## {add_id(c, a)}\n\n" for c, a in TRANSLATED))
    page("anchorize", "", layout="anchorize", strs=ANCHORIZE_STRINGS)
    page(
        "links",
        "## Target {#Target.One}\n\n## Café\n\n"
        "[a](#target) [b](#Café) [c](#with%20space) [d](<#with space>) [e](/links/#café) [f](links.md#café)\n\n"
        '- {{< ref "links#Café" >}}\n- {{< relref "links.md#Target.One" >}}\n- {{< relref "#café" >}}\n'
        '- {{< ref "/links.md#a b" >}}\n',
    )
    subprocess.run(
        ["hugo", "--quiet", "--cacheDir", str(root / ".cache")], cwd=root, check=True, capture_output=True, text=True
    )
    return kind, root / "public"


def test_cases_page(site: tuple[str, Path]) -> None:
    kind, public = site
    headings = [_heading(spec) for _, specs in CASES for spec in specs]
    got = _parse(public / "cases" / "index.html").headings
    want = page_ids(headings, kind)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, (i, headings[i])


def test_fuzz_page(site: tuple[str, Path]) -> None:
    kind, public = site
    got = _parse(public / "fuzz" / "index.html").headings
    want = page_ids([_heading("## " + t) for t in FUZZ], kind)
    assert got == want


def test_anchorize_template_function(site: tuple[str, Path]) -> None:
    kind, public = site
    got = _parse(public / "anchorize" / "index.html").anchorized
    assert got == [anchorize(s, kind) for s in ANCHORIZE_STRINGS]


def test_add_id_round_trip(site: tuple[str, Path]) -> None:
    _, public = site
    p = _parse(public / "translated" / "index.html")
    want = [a if c != "Ya tiene {#keep}" else "keep" for c, a in TRANSLATED]
    assert p.headings == want
    for (content, _), text in zip(TRANSLATED, p.texts):
        assert "{" not in text  # the attribute block never leaks into the heading text
        assert text.strip() == anchors.split_attributes(content)[0].strip()


def test_links_and_refs(site: tuple[str, Path]) -> None:
    kind, public = site
    p = _parse(public / "links" / "index.html")
    cafe = page_ids([_heading("## Café")], kind)[0]
    assert p.headings == ["Target.One", cafe]
    # Goldmark percent-encodes link destinations; the fragment is otherwise kept as written.
    assert p.hrefs == ["#target", "#Caf%C3%A9", "#with%20space", "#with%20space", "/links/#caf%C3%A9", "links.md#caf%C3%A9"]
    assert href_fragment(p.hrefs[1]) == "Café" and href_fragment(p.hrefs[4]) == "café"
    # ref/relref copy the fragment verbatim: not anchorized, not escaped.
    assert [t.strip() for t in p.items] == [
        "https://example.org/links/#Café",
        "/links/#Target.One",
        "#café",
        "https://example.org/links/#a b",
    ]


def test_anchorize_rules() -> None:
    assert anchorize("Hello, World!") == "hello-world"
    assert anchorize("C++ & C#") == "c--c"
    assert anchorize(" Trailing Space ") == "trailing-space"
    assert anchorize("Tab\tSpace") == "tabspace"
    assert anchorize("Résumé", "github-ascii") == "resume"
    assert anchorize("god is神真美好 good", "github-ascii") == "god-is-good"
    assert anchorize("Let's try this, shall we?", "blackfriday") == "let-s-try-this-shall-we"
    assert anchorize("İ") == "i"
    with pytest.raises(ValueError):
        anchorize("x", "pandoc")


def test_heading_parsing() -> None:
    h = parse_atx_heading("## Heading ## {#id .c}")
    assert h is not None and h.id == "id" and h.id_text == "Heading " and h.level == 2
    assert parse_atx_heading("#hashtag") is None
    assert parse_atx_heading("    ## code") is None
    s = parse_setext_heading(["one", "two {#x}"], 1)
    assert s.id == "x" and s.id_text == "two "
    assert page_ids([Heading(2, ("a",)), Heading(2, ("a",), (("id", "a"),)), Heading(2, ("a",))]) == ["a", "a", "a-1"]


# ---- translated pages keep their anchors -------------------------------------------------------

SITE = """\
baseURL = "https://example.org/"
defaultContentLanguage = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[languages.en]
weight = 1
[languages.es]
weight = 2
"""
PAGE = """\
---
title: Scenes
---

# Scene setup

Jump to [the options](#options), to [the second ones](#options-1), to
[the setext one](#with-two-lines) or [back up](#scene-setup). Elsewhere:
{{< relref "other#requirements" >}} and [the guide's end](other.md#the-end).

## Options

## Options

## Explicit id {#kept}

## The `foo` option

Setext heading
with two lines
--------------

See [kept](#kept) and [foo](#the-foo-option).
"""
OTHER = """\
---
title: Other
---

## Requirements

Words about what is required.

## The end

The last words.
"""


def _links_work(html: Path) -> tuple[list[str], list[str]]:
    page = _parse(html)
    fragments = [h.split("#", 1)[1] for h in page.hrefs if h.startswith("#")]
    return fragments, [f for f in fragments if href_fragment("#" + f) not in page.headings]


def test_in_page_links_work_in_translations_built_by_hugo(tmp_path, monkeypatch):
    """Hugo builds the source and its pseudo translation: every in-page link that works
    in the English page works in the Spanish one (the ids were kept)."""
    need("hugo")
    from click.testing import CliRunner

    from l10n.cli import cli

    (tmp_path / "hugo.toml").write_text(SITE, encoding="utf-8")
    layouts = tmp_path / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("<main>{{ .Content }}</main>\n", encoding="utf-8")
    (layouts / "list.html").write_text("<main>{{ .Content }}</main>\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "scenes.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "content" / "other.md").write_text(OTHER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["translate", "--engine", "pseudo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "## ⟦ÖÖþţîîööñš⟧ {#options-1}" in (tmp_path / "content" / "scenes.es.md").read_text(encoding="utf-8")
    subprocess.run(["hugo", "--quiet", "--cacheDir", str(tmp_path / ".cache")], cwd=tmp_path, check=True,
                   capture_output=True)
    english, broken = _links_work(tmp_path / "public" / "scenes" / "index.html")
    assert len(english) == 6 and broken == []
    spanish, broken = _links_work(tmp_path / "public" / "es" / "scenes" / "index.html")
    assert spanish == english and broken == []
    assert "/es/other/#requirements" in _parse(tmp_path / "public" / "es" / "scenes" / "index.html").hrefs or \
        "/es/other/#requirements" in (tmp_path / "public" / "es" / "scenes" / "index.html").read_text(encoding="utf-8")
    assert "requirements" in _parse(tmp_path / "public" / "es" / "other" / "index.html").headings
    # translated as their words would be, the ids change: l10n check says which links broke
    (tmp_path / "l10n.toml").write_text('anchors = "translate"\n', encoding="utf-8")
    CliRunner().invoke(cli, ["translate", "--engine", "pseudo"], catch_exceptions=False)
    out = CliRunner().invoke(cli, ["check", "--no-catalogs"], catch_exceptions=False)
    assert out.exit_code == 3
    found = [line for line in out.output.splitlines() if "[anchors]" in line]
    assert any("content/scenes.es.md:7: error: link to #options points to no heading" in line for line in found), found
    assert any("link to other#requirements points to no heading of that page's translation" in line for line in found)
    assert not any("#kept" in line for line in found)  # an explicit id is the same in every language
