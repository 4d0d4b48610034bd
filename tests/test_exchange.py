"""l10n export and import: XLIFF and PO through the tools translators use.

The files are read by Translate Toolkit's readers (what Pootle, Virtaal and
Weblate's import use), filled through its API as a CAT tool would, checked by
``pofilter`` and ``msgfmt --check``, and compared with the real po4a.
"""

from __future__ import annotations

import copy
import difflib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS, copy_example_site, need
from helpers import assert_same_structure, cells, edit, invoke

translate_storage = pytest.importorskip("translate.storage")
from translate.storage import factory, po, xliff  # noqa: E402
from translate.storage.placeables import StringElem  # noqa: E402


def markdown_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def same_files(ours: dict[str, bytes], theirs: dict[str, bytes]) -> None:
    assert ours.keys() == theirs.keys()
    for name in ours:
        assert ours[name] == theirs[name], name + "\n" + "\n".join(difflib.unified_diff(
            theirs[name].decode().splitlines(), ours[name].decode().splitlines(), lineterm="", n=0))


def fill_xliff(path: Path, change=str.upper) -> int:
    """A translator's tool: every unit's target from its source, inline codes kept
    where they are, the text around them changed; marked translated."""
    store = xliff.xlifffile.parsefile(str(path))
    n = 0
    for unit in store.units:
        if not unit.source:
            continue
        target = copy.deepcopy(unit.rich_source[0])
        for leaf in target.flatten():
            if isinstance(leaf, StringElem) and leaf.sub and isinstance(leaf.sub[0], str):
                leaf.sub = [change(leaf.sub[0])]
        unit.rich_target = [target]
        unit.markfuzzy(False)
        n += 1
    store.savefile(str(path))
    return n


def approve_all(path: Path) -> int:
    """A reviewer who accepts every target as it is."""
    store = factory.getobject(str(path))
    for unit in store.units:
        if unit.istranslated() or unit.isfuzzy():
            unit.markfuzzy(False)
            if hasattr(unit, "markapproved"):
                unit.markapproved(True)
    store.savefile(str(path))
    return len(store.units)


@pytest.fixture
def twin(tmp_path):
    """A second copy of the example site, to translate the usual way and compare."""
    return copy_example_site(tmp_path / "twin")


@pytest.fixture
def example(tmp_path, monkeypatch):
    site = copy_example_site(tmp_path / "site")
    monkeypatch.chdir(site)
    return site


def test_xliff_round_trip_equals_a_tag_keeping_engine(runner, example, twin, monkeypatch):
    result = invoke(runner, "export", "-o", "es.xlf")
    assert result.exit_code == 0, result.output
    store = xliff.xlifffile.parsefile(str(example / "es.xlf"))
    units = [u for u in store.units if u.source]
    assert len(units) > 40 and not any(u.target for u in units)  # nothing translated yet
    assert any(u.xmlelement.find(u.namespaced("source")).findall(u.namespaced("g")) for u in units)
    assert fill_xliff(example / "es.xlf") == len(units)
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 0, result.output
    assert f"{len(units)} units imported" in result.output
    # the same translations from an engine that keeps tags, written by l10n translate
    monkeypatch.chdir(twin)
    assert invoke(runner, "translate", "--engine", "tagkeeping").exit_code == 0
    same_files(markdown_files(example / "content"), markdown_files(twin / "content"))
    monkeypatch.chdir(example)
    assert {c.status for c in cells(example).values()} == {"reviewed"}


def test_approving_an_export_of_machine_drafts_reproduces_them(runner, example):
    assert invoke(runner, "translate").exit_code == 0  # pseudo
    before = markdown_files(example / "content")
    assert {c.status for c in cells(example).values()} == {"machine"}
    for fmt, name in (("xliff", "es.xlf"), ("po", "es.po")):
        assert invoke(runner, "export", "--format", fmt, "-o", name).exit_code == 0
    text = (example / "es.xlf").read_text(encoding="utf-8")
    assert 'state="needs-review-translation" state-qualifier="mt-suggestion"' in text
    # importing drafts nobody touched changes nothing and approves nothing
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 0 and "0 units imported" in result.output
    assert {c.status for c in cells(example).values()} == {"machine"}
    approve_all(example / "es.xlf")
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 0, result.output
    same_files(markdown_files(example / "content"), before)  # byte for byte what pseudo wrote
    assert {c.status for c in cells(example).values()} == {"reviewed"}
    # a person's work now: a later run with another engine keeps it
    assert invoke(runner, "translate", "--engine", "copy").exit_code == 0
    assert markdown_files(example / "content") == before


def test_po_export_passes_msgfmt_and_pofilter_and_round_trips(runner, example, tmp_path):
    need("msgfmt")
    assert invoke(runner, "translate").exit_code == 0
    before = markdown_files(example / "content")
    assert invoke(runner, "export", "--format", "po", "-o", "es.po").exit_code == 0
    path = example / "es.po"
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    catalog = po.pofile.parsefile(str(path))
    units = [u for u in catalog.units if not u.isheader()]
    assert units and all(u.isfuzzy() for u in units if u.target)  # machine drafts
    assert all(u.getcontext() for u in units)  # the unit ids
    pofilter = shutil.which("pofilter") or str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "pofilter")
    report = tmp_path / "pofilter.po"
    ran = subprocess.run([pofilter, "--nofuzzy", str(path), str(report)], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    approve_all(path)
    result = invoke(runner, "import", "es.po")
    assert result.exit_code == 0, result.output
    same_files(markdown_files(example / "content"), before)
    assert {c.status for c in cells(example).values()} == {"reviewed"}


def _retarget(path: Path, unit_id: str, change) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(f'<trans-unit id="{unit_id}"')
    end = text.index("</trans-unit>", start)
    path.write_text(text[:start] + change(text[start:end]) + text[end:], encoding="utf-8")


def test_a_unit_with_a_broken_inline_code_is_rejected_the_others_applied(runner, example):
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    fill_xliff(example / "es.xlf")
    text = (example / "es.xlf").read_text(encoding="utf-8")
    units = re.findall(r'<trans-unit id="([0-9a-f.]+)".*?<target[^>]*>(.*?)</target>', text, flags=re.S)
    broken = next(uid for uid, target in units if '<x id="x1"' in target)
    misnested = next(uid for uid, target in units if uid != broken and re.search(r"</g>.*<x ", target))
    # a tool that lost a code, and a translator who moved a code into a pair
    _retarget(example / "es.xlf", broken, lambda unit: re.sub(r'(<target[^>]*>.*?)<x id="x1"[^>]*/>', r"\1", unit,
                                                                count=1, flags=re.S))
    _retarget(example / "es.xlf", misnested, lambda unit: re.sub(
        r'(<target[^>]*>.*?)</g>(.*?)(<x [^>]*/>)', r"\1\2\3</g>", unit, count=1, flags=re.S))
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 3
    assert f"unit {broken} " in result.output and "inline codes are not the source's" in result.output
    assert f"unit {misnested} " in result.output and "not nested as in the source" in result.output
    assert "2 refused" in result.output
    applied = int(re.search(r"(\d+) units imported", result.output).group(1))
    assert applied > 40
    page = (example / "content" / "getting-started.es.md").read_text(encoding="utf-8")
    assert "INSTALL THE TOOL" in page
    source = (example / "content" / "getting-started.md").read_text(encoding="utf-8")
    assert_same_structure(source.split("---", 2)[2], page.split("---", 2)[2])
    # the refused units keep no half: their segments are as before (the source's words)
    store = xliff.xlifffile.parsefile(str(example / "es.xlf"))
    for unit in store.units:
        if unit.getid().endswith(broken) or unit.getid().endswith(misnested):
            words = re.sub(r"\s+", " ", unit.source).split(" ")[:3]
            assert any(" ".join(words) in " ".join(p.read_text(encoding="utf-8").split())
                       for p in (example / "content").rglob("*.es.md")), words


def test_reexport_keeps_ids_and_shows_stale_units(runner, example):
    assert invoke(runner, "translate").exit_code == 0
    assert invoke(runner, "export", "-o", "old.xlf").exit_code == 0
    edit(example / "content" / "getting-started.md", "Create a virtual environment", "Make a virtual environment")
    assert invoke(runner, "export", "-o", "new.xlf").exit_code == 0
    old = {u.getid(): u for u in xliff.xlifffile.parsefile(str(example / "old.xlf")).units}
    new = {u.getid(): u for u in xliff.xlifffile.parsefile(str(example / "new.xlf")).units}
    gone, added = set(old) - set(new), set(new) - set(old)
    assert len(gone) == 1 and len(added) == 1 and len(old) == len(new)
    changed = new[added.pop()]
    assert "Make a virtual environment" in changed.source
    notes = changed.getnotes()
    assert "source of this segment changed" in notes
    assert changed.xmlelement.find(changed.namespaced("target")).get("state") == "needs-review-translation"
    # the old file's unit for it is stale: reported, not applied; --force applies it
    fill_xliff(example / "old.xlf")
    result = invoke(runner, "import", "old.xlf")
    assert result.exit_code == 3 and "1 stale" in result.output
    assert "its source changed since the export" in result.output
    assert cells(example)["content/getting-started.es.md"].status == "stale"  # still: that line is old
    page = example / "content" / "getting-started.es.md"
    assert "CREATE A VIRTUAL" not in page.read_text(encoding="utf-8")
    assert "INSTALL THE TOOL" in page.read_text(encoding="utf-8")
    result = invoke(runner, "import", "--force", "old.xlf")
    assert result.exit_code == 0, result.output
    assert "CREATE A VIRTUAL" in page.read_text(encoding="utf-8")


def test_import_keeps_a_persons_edit_made_after_the_export_unless_forced(runner, example):
    assert invoke(runner, "translate").exit_code == 0
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    fill_xliff(example / "es.xlf")
    page = example / "content" / "getting-started.es.md"
    edit(page, "⟦", "⟦ ")  # a person edited the sibling's title after the export
    edited = page.read_text(encoding="utf-8").split("\n")[1]
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 3, result.output
    # the title's unit is refused, named with its reason; every other unit of the page is applied
    assert re.search(r"unit \w+ \(content/getting-started.es.md:2\) not imported: the page's translation there is a "
                     r"person's and changed since the export", result.output), result.output
    text = page.read_text(encoding="utf-8")
    assert text.split("\n")[1] == edited and "INSTALL THE TOOL" in text
    assert invoke(runner, "import", "--force", "es.xlf").exit_code == 0
    assert "GETTING STARTED" in page.read_text(encoding="utf-8")


def test_po_keeps_deliberate_changes_and_refuses_broken_structure(runner, blog):
    assert invoke(runner, "export", "--format", "po", "-o", "es.po", "content/post.md").exit_code == 0
    catalog = po.pofile.parsefile(str(blog / "es.po"))
    answers = {
        "Getting started": "Primeros pasos",
        "Install the package with pip and run it once.": "- Instale el paquete con pip.",  # a list now: refused
        "Configure": "Configurar",
        "Set the targets in `l10n.toml` and read the [manual](https://example.org/manual).":
            "Defina los destinos en `l10n.toml` y lea el [manual](https://example.org/es/manual).",
        "Run it again: nothing changes the second time.": "Ejecútelo otra vez: **nada cambia la segunda vez.",
    }
    for unit in catalog.units:
        if unit.source in answers:
            unit.target = answers[unit.source]
    catalog.savefile(str(blog / "es.po"))
    result = invoke(runner, "import", "es.po")
    assert result.exit_code == 3, result.output
    assert "would change the page's block structure" in result.output
    assert "markup is unbalanced" in result.output
    text = (blog / "content" / "post.es.md").read_text(encoding="utf-8")
    assert 'title: "Primeros pasos"' in text and "## Configurar" in text
    assert "[manual](https://example.org/es/manual)" in text  # a person's localized link, kept
    assert "Install the package with pip and run it once." in text  # the refused ones stay as they were
    assert "Run it again: nothing changes" in text
    # check reports the changed link as a finding for a person to confirm
    result = invoke(runner, "check", "content/post.es.md")
    assert "link target changed" in result.output
    assert cells(blog)["content/post.es.md"].status != "reviewed"  # two segments are not a person's yet


def _po4a_fill(msgid: str, code: bool = False) -> str:
    """A translator's Markdown: words changed, code, URLs, shortcodes and HTML as they were;
    in a code block (``code``), only its comments translated."""
    if code:
        return "".join(line.upper() if line.lstrip().startswith("# ") else line
                       for line in msgid.splitlines(keepends=True))
    keep = re.compile(r"(`[^`]*`|\]\([^)]*\)|\{\{[<%].*?[>%]\}\}|<[^>]*>|https?://\S+|\[[^\]]*\]\[[^\]]*\]|&\w+;)")
    parts = keep.split(msgid)
    return "".join(p if i % 2 else p.upper() for i, p in enumerate(parts))


_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s")
_VERBATIM = re.compile(r"\{\{<\s*(code-toggle|highlight|code)\b(?:(?!/>\}\}).)*?>\}\}.*?\{\{<\s*/\1\s*>\}\}", re.S)


def _shows(output: str, translation: str) -> bool:
    """Whether a page shows a message's translation: every line of it, quote markers,
    indentation and line wrapping aside."""
    page = " ".join(re.sub(r"(?m)^[ >]+", " ", output).split())
    lines = [" ".join(line.lstrip(" >").split()) for line in translation.splitlines()]
    return all(line in page for line in lines if re.search(r"[A-Z]{2}", line))


@pytest.mark.parametrize("wrap", [False, True])
def test_po4a_catalogs_import_as_many_segments_as_po4a_applies(runner, site, wrap, tmp_path):
    """po4a's own catalogs (``-f text -o markdown``), filled as a translator would, give
    l10n siblings with every prose message and code block po4a applies, and the source's structure."""
    need("po4a-updatepo", "po4a-translate")
    pages = ["getting-started/quick-start.md", "content-management/front-matter.md", "configuration/menus.md",
             "configuration/languages.md", "shortcodes/figure.md", "shortcodes/details.md"]
    pages = [p for p in pages if (CORPUS / "hugodocs" / p).exists()]
    assert len(pages) >= 3
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["fr"]\n', encoding="utf-8")
    work = tmp_path / "po4a"
    work.mkdir()
    options = ["-o", "markdown"] + ([] if wrap else ["-o", "neverwrap"])
    by_po4a, by_l10n, prose = set(), set(), []
    for name in pages:
        src = site / "content" / name.replace("/", "-")
        shutil.copy(CORPUS / "hugodocs" / name, src)
        with src.open("a", encoding="utf-8") as page:  # a code block whose comment a translator translates
            page.write("\nBuild it:\n\n```sh\n# Build the site into public/\nhugo build\n```\n")
        pot = work / (src.stem + ".po")
        subprocess.run(["po4a-updatepo", "-f", "text", *options, "-m", str(src), "-M", "utf-8", "-p", str(pot)],
                       check=True, capture_output=True)
        catalog = po.pofile.parsefile(str(pot))
        for unit in catalog.units:
            if not unit.isheader():
                unit.target = _po4a_fill(unit.source, "Fenced code" in "".join(unit.getnotes("developer")))
        catalog.settargetlanguage("fr")
        catalog.savefile(str(pot))
        out = work / (src.stem + ".fr.md")
        subprocess.run(["po4a-translate", "-f", "text", *options, "-m", str(src), "-M", "utf-8", "-p", str(pot),
                        "-l", str(out), "-k", "0"], check=True, capture_output=True)
        po4a_text = out.read_text(encoding="utf-8")
        verbatim = [m.span() for m in _VERBATIM.finditer(src.read_text(encoding="utf-8"))]
        for unit in catalog.units:
            fenced = "Fenced code" in "".join(unit.getnotes("developer"))
            if ("markdown-text" not in "".join(unit.typecomments) and not fenced) or unit.target == unit.source:
                continue
            # what l10n leaves as it is by design: link definitions, code inside code shortcodes
            lines = [line for line in unit.source.splitlines() if line.strip()]
            if all(_DEFINITION.match(line) for line in lines):
                continue
            text = src.read_text(encoding="utf-8")
            starts = [m.start() for line in lines for m in [re.search(r"\s+".join(map(re.escape, line.split()[:4])), text)]
                      if m]
            if any(a <= at < b for at in starts for a, b in verbatim):
                continue
            if True:
                prose.append((src, unit.source, unit.target))
                if _shows(po4a_text, unit.target):
                    by_po4a.add((src.name, unit.source))
    result = invoke(runner, "import", "--to", "fr", *[str(p) for p in sorted(work.glob("*.po"))])
    assert result.exit_code in (0, 3), result.output
    for src, source, target in prose:
        if _shows(src.with_suffix(".fr.md").read_text(encoding="utf-8"), target):
            by_l10n.add((src.name, source))
    print(f"prose messages {len(prose)}: po4a applies {len(by_po4a)}, l10n {len(by_l10n)}")
    Path("/tmp/missing.txt").write_text("\n=====\n".join(f"{a}: {b}" for a, b in sorted(by_po4a - by_l10n)))
    assert by_po4a - by_l10n == set(), sorted(by_po4a - by_l10n)[:5]
    for name in pages:
        src = site / "content" / name.replace("/", "-")
        target = src.with_suffix(".fr.md")
        body = target.read_text(encoding="utf-8").split("---", 2)[2]
        assert "# BUILD THE SITE INTO PUBLIC/\nhugo build\n" in body  # the translated comment, the code as it was
        body = body.replace("# BUILD THE SITE INTO PUBLIC/", "# Build the site into public/")
        assert_same_structure(src.read_text(encoding="utf-8").split("---", 2)[2], body, str(target))


def test_close_memory_matches_in_export_and_review(runner, blog):
    assert invoke(runner, "translate", "--engine", "reversing").exit_code == 0  # fills the memory
    edit(blog / "content" / "post.md", "Run it again: nothing changes the second time.",
         "Run it again: nothing changes the third time.")
    assert invoke(runner, "export", "-o", "es.xlf", "content/post.md").exit_code == 0
    store = xliff.xlifffile.parsefile(str(blog / "es.xlf"))
    stale = [u for u in store.units if "third time" in u.source]
    assert len(stale) == 1
    alt = stale[0].xmlelement.findall(stale[0].namespaced("alt-trans"))
    assert alt and 70 <= int(alt[0].get("match-quality")) < 100
    assert "second time" in alt[0].find(stale[0].namespaced("source")).text
    result = invoke(runner, "review", "--problems", "content/post.md")
    assert re.search(r"memory \d\d%: Run it again: nothing changes the second time\. -> ", result.output)


def test_human_siblings_are_adopted_without_force(runner, blog):
    (blog / "content" / "post.es.md").write_text("""\
---
title: "Primeros pasos"
lang: es
translations: [en, es]
---

Instale el paquete con pip y ejecútelo una vez.

## Configurar

Defina los destinos en `l10n.toml` y lea el [manual](https://example.org/manual).

Ejecútelo otra vez: nada cambia la segunda vez.
""", encoding="utf-8")
    (blog / "content" / "other.es.md").write_text("""\
---
title: "Otra página"
lang: es
translations: [en, es]
---

Instale el paquete con pip y ejecútelo una vez.

## Configurar

Ejecútelo otra vez: nada cambia la segunda vez.
""", encoding="utf-8")
    statuses = {c.target: c.status for c in cells(blog).values()}
    assert set(statuses.values()) == {"human"}
    result = invoke(runner, "check")
    lines = [line for line in result.output.splitlines() if "other.es.md" in line and ": error:" in line]
    assert len(lines) == 1 and "has no translation" in lines[0], result.output  # one missing paragraph, one finding
    assert not [line for line in result.output.splitlines() if "post.es.md" in line and ": error:" in line]
    result = invoke(runner, "review", "--approve")
    assert "content/post.es.md: approved" in result.output
    assert "content/other.es.md: not approved: 1 error" in result.output
    assert cells(blog)["content/post.es.md"].status == "reviewed"


def test_a_catalogs_code_block_translation_is_applied_whole_or_refused(runner, site):
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["fr"]\n', encoding="utf-8")
    (site / "content" / "a.md").write_text("Run it:\n\n```sh\n# Build the site\nhugo build\n```\n\nThen:\n\n"
                                           "```sh\n# Serve it\nhugo server\n```\n", encoding="utf-8")
    (site / "fr.po").write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                'msgid "Run it:"\nmsgstr "Lancez-le :"\n\n'
                                'msgid "# Build the site\\nhugo build\\n"\nmsgstr "# Construire le site\\nhugo build\\n"\n\n'
                                'msgid "# Serve it\\nhugo server\\n"\nmsgstr "# Servir\\n```\\nhugo server\\n"\n',
                                encoding="utf-8")
    result = invoke(runner, "import", "fr.po")
    assert result.exit_code == 3, result.output
    assert "opens or closes a fence" in result.output
    text = (site / "content" / "a.fr.md").read_text(encoding="utf-8")
    assert "Lancez-le :" in text and "```sh\n# Construire le site\nhugo build\n```" in text
    assert "```sh\n# Serve it\nhugo server\n```" in text  # refused: as it was


def test_a_later_import_keeps_code_blocks_a_catalog_translated(runner, site):
    test_a_catalogs_code_block_translation_is_applied_whole_or_refused(runner, site)
    assert invoke(runner, "export", "-o", "fr.xlf").exit_code == 0
    text = (site / "fr.xlf").read_text(encoding="utf-8").replace(">Then:<", ">Ensuite :<")
    (site / "fr.xlf").write_text(text.replace('<trans-unit id=', '<trans-unit approved="yes" id='), encoding="utf-8")
    result = invoke(runner, "import", "fr.xlf")
    assert result.exit_code == 0, result.output
    page = (site / "content" / "a.fr.md").read_text(encoding="utf-8")
    assert "# Construire le site" in page and "Ensuite :" in page


def test_the_same_paragraph_in_two_articles_is_two_messages(runner, blog):
    assert invoke(runner, "translate").exit_code == 0
    assert invoke(runner, "export", "--format", "po", "-o", "es.po").exit_code == 0
    catalog = po.pofile.parsefile(str(blog / "es.po"))
    same = [u for u in catalog.units if u.source == "Install the package with pip and run it once."]
    assert sorted(u.getcontext().split("#")[0] for u in same) == ["content/other.md", "content/post.md"]
    for unit in catalog.units:
        unit.markfuzzy(False)
        if unit in same and unit.getcontext().startswith("content/other.md"):
            unit.target = "Instale el paquete con pip."
    catalog.savefile(str(blog / "es.po"))
    assert invoke(runner, "import", "es.po").exit_code == 0
    assert "Instale el paquete con pip." in (blog / "content" / "other.es.md").read_text(encoding="utf-8")
    assert "Instale el paquete" not in (blog / "content" / "post.es.md").read_text(encoding="utf-8")


def test_a_link_title_imported_alone_reaches_the_page(runner, blog):
    edit(blog / "content" / "post.md", "[manual](https://example.org/manual)",
         '[manual](https://example.org/manual "The manual")')
    assert invoke(runner, "translate").exit_code == 0
    assert invoke(runner, "export", "-o", "es.xlf", "content/post.md").exit_code == 0
    text = (blog / "es.xlf").read_text(encoding="utf-8")
    unit = re.search(r'<trans-unit id="([0-9a-f.]+)"[^>]*>\s*<source>The manual</source>', text).group(1)
    _retarget(blog / "es.xlf", unit, lambda u: re.sub(r"<target[^>]*>.*?</target>",
                                                      '<target state="translated">El manual</target>', u, flags=re.S))
    result = invoke(runner, "import", "es.xlf")
    assert result.exit_code == 0 and "1 units imported" in result.output, result.output
    assert '"El manual")' in (blog / "content" / "post.es.md").read_text(encoding="utf-8")


def test_foreign_inline_codes_fuzzy_catalogs_and_partial_imports_say_so(runner, example):
    assert invoke(runner, "translate").exit_code == 0
    assert invoke(runner, "export", "-o", "es.xlf").exit_code == 0
    fill_xliff(example / "es.xlf")
    text = (example / "es.xlf").read_text(encoding="utf-8")
    uid = re.search(r'<trans-unit id="([0-9a-f.]+)"[^>]*>\s*<source>Install</source>', text).group(1)
    _retarget(example / "es.xlf", uid, lambda u: re.sub(r"<target[^>]*>.*?</target>",
                                                        '<target state="translated"><ph id="9">{{&lt; x &gt;}}</ph></target>',
                                                        u, flags=re.S))
    result = invoke(runner, "import", "--as", "edited", "es.xlf")
    assert result.exit_code == 3 and f"unit {uid} " in result.output and "<ph> element" in result.output, result.output
    assert "ph9" not in (example / "content" / "getting-started.es.md").read_text(encoding="utf-8")
    assert {c.status for c in cells(example).values()} == {"edited"}  # a person's, not yet approved
    assert invoke(runner, "translate", "--force").exit_code == 0  # machine drafts again
    assert invoke(runner, "export", "--format", "po", "-o", "es.po").exit_code == 0
    result = invoke(runner, "import", "es.po")  # nothing but drafts: said, and nothing done
    assert result.exit_code == 3 and "every translation in it is fuzzy" in result.output


def test_a_catalogs_pairs_are_taken_by_a_later_translate_before_the_engine(runner, blog):
    (blog / "content" / "other.md").unlink()
    (blog / "es.po").write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                'msgid "Run it again: nothing changes the second time."\n'
                                'msgstr "Ejecútelo otra vez: nada cambia la segunda vez."\n', encoding="utf-8")
    result = invoke(runner, "import", "es.po")
    assert "1 pairs put into the memory" in result.output, result.output
    assert not (blog / "content" / "post.es.md").exists()  # one segment of five makes no page
    assert invoke(runner, "translate", "--engine", "reversing").exit_code == 0
    text = (blog / "content" / "post.es.md").read_text(encoding="utf-8")
    assert "Ejecútelo otra vez: nada cambia la segunda vez." in text  # the person's, not the engine's
    assert "Install the package with pip" not in text  # the rest: the engine's


def test_a_catalogs_code_lands_where_the_translator_put_it(runner, blog):
    """Code is a name to an engine (X1, X2): the translation memory keeps a person's
    sentence with the same names for the same code, whatever order they put it in."""
    (blog / "content" / "other.md").unlink()
    post = blog / "content" / "post.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nSet `draft` to `true` in the file.\n", encoding="utf-8")
    (blog / "es.po").write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                'msgid "Set `draft` to `true` in the file."\n'
                                'msgstr "En el archivo, `true` es el valor de `draft`."\n', encoding="utf-8")
    assert "1 pairs put into the memory" in invoke(runner, "import", "es.po").output
    assert invoke(runner, "translate", "--engine", "reversing").exit_code == 0
    text = (blog / "content" / "post.es.md").read_text(encoding="utf-8")
    assert "En el archivo, `true` es el valor de `draft`." in text, text


def test_a_pair_whose_code_the_translator_changed_stays_out_of_the_memory(runner, blog):
    """A stand-in the translation does not have (a localised label, code written as
    prose) would come out of the memory as text: such a pair is not kept."""
    (blog / "es.po").write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                'msgid "Click `OK` to close the dialog."\n'
                                'msgstr "Haz clic en `Aceptar` para cerrar el diálogo."\n\n'
                                'msgid "Use foo here."\nmsgstr "Usa `foo` aquí."\n\n'
                                'msgid "Run `foo` now. Then run `bar`."\n'
                                'msgstr "Luego ejecuta `bar`. Ejecuta `foo` ahora."\n\n'
                                'msgid "Set `draft` to `true`."\nmsgstr "Pon `true` en `draft`."\n', encoding="utf-8")
    assert "1 pairs put into the memory" in invoke(runner, "import", "es.po").output


# --------------------------------------------------------------------------
# Real catalogs, as po4a, msgmerge and Weblate write them


def _msgmerged(site: Path, source_pot: str, translated: str, steps: list[tuple[str, str]]) -> Path:
    """A catalog taken through msgmerge --previous the way po4a and Weblate keep one up
    to date: each step changes the template, leaving fuzzy entries with their previous
    msgid (``#|``) and, once a message is gone, obsolete ones that keep it (``#~|``)."""
    need("msgmerge", "msgfmt")
    pot, po_file = site / "t.pot", site / "fr.po"
    pot.write_text(source_pot, encoding="utf-8")
    po_file.write_text(translated, encoding="utf-8")
    for old, new in steps:
        text = pot.read_text(encoding="utf-8")
        pot.write_text(text.replace(old, new) if new is not None else
                       re.sub(rf'\n\nmsgid "{re.escape(old)}"\nmsgstr ""', "", text), encoding="utf-8")
        subprocess.run(["msgmerge", "-q", "--previous", "-o", str(po_file), str(po_file), str(pot)], check=True)
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_file)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    return po_file


POT = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
       'msgid "Install the package with pip and run it once."\nmsgstr ""\n\n'
       'msgid "Configure"\nmsgstr ""\n\n'
       'msgid "Feed the starter every day."\nmsgstr ""\n\n'
       'msgid "One apple"\nmsgid_plural "%d apples"\nmsgstr[0] ""\nmsgstr[1] ""\n')
FRENCH = ('msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
          'msgid "Install the package with pip and run it once."\nmsgstr "Installez le paquet avec pip et lancez-le."\n\n'
          'msgid "Configure"\nmsgstr "Configurer"\n\n'
          'msgid "Feed the starter every day."\nmsgstr "Nourrissez le levain chaque jour."\n\n'
          'msgid "One apple"\nmsgid_plural "%d apples"\nmsgstr[0] "Une pomme"\nmsgstr[1] "%d pommes"\n')


def test_a_catalog_msgmerge_kept_up_to_date_is_read(runner, blog):
    (blog / "l10n.toml").write_text('source = "en"\ntargets = ["es", "fr"]\n', encoding="utf-8")
    (blog / "content" / "other.md").unlink()
    assert invoke(runner, "translate", "--to", "fr").exit_code == 0  # machine drafts: the catalog's words replace them
    catalog = _msgmerged(blog, POT, FRENCH, [("every day", "every morning"), ("Feed the starter every morning.", None)])
    text = catalog.read_text(encoding="utf-8")
    assert "#~| msgid" in text and "#~ msgid" in text  # an obsolete message with its previous msgid
    result = invoke(runner, "import", "fr.po")
    assert "not a readable PO catalog" not in result.output, result.output
    assert "1 plural message left out" in result.output
    page = (blog / "content" / "post.fr.md").read_text(encoding="utf-8")
    assert "Installez le paquet avec pip et lancez-le." in page and "## Configurer" in page
    assert "Nourrissez" not in page  # obsolete: no translation of anything now


def test_a_catalog_error_names_its_line_as_msgfmt_does(runner, blog):
    (blog / "fr.po").write_text(FRENCH.replace('msgid "Configure"', 'msgid "Configure"\nmsgctxt "late"'),
                                encoding="utf-8")
    result = invoke(runner, "import", "--to", "es", "fr.po", str(Path(__file__)))
    assert result.exit_code == 1, result.output
    assert "fr.po:10: error: not a readable PO catalog (missing msgstr for msgid 'Configure')" in result.output


def test_plural_only_catalogs_and_empty_files_say_so(runner, blog):
    (blog / "es.po").write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                'msgid "One apple"\nmsgid_plural "%d apples"\nmsgstr[0] "Una"\nmsgstr[1] "%d"\n',
                                encoding="utf-8")
    result = invoke(runner, "import", "es.po")
    assert result.exit_code == 3 and "1 plural message left out" in result.output, result.output


def test_the_po_header_names_no_template_placeholders(runner, blog):
    need("msgfmt")
    assert invoke(runner, "export", "--format", "po", "-o", "es.po").exit_code == 0
    text = (blog / "es.po").read_text(encoding="utf-8")
    assert "ORGANIZATION" not in text and "FIRST AUTHOR" not in text and "PROJECT VERSION" not in text
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(blog / "es.po")], capture_output=True, text=True)
    assert check.returncode == 0 and "initial default value" not in check.stderr, check.stderr


def test_refused_messages_never_reach_the_memory(runner, blog):
    (blog / "content" / "other.md").unlink()
    (blog / "es.po").write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                'msgid "Run it again: nothing changes the second time."\n'
                                'msgstr "- Una lista: refusada."\n', encoding="utf-8")
    result = invoke(runner, "import", "es.po")
    assert "0 units imported" in result.output and "pairs put into the memory" not in result.output, result.output
    assert invoke(runner, "translate", "--engine", "reversing").exit_code == 0
    assert "refusada" not in (blog / "content" / "post.es.md").read_text(encoding="utf-8")
