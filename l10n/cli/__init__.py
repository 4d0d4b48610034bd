"""The ``l10n`` command: thin commands over the library, and the one error edge.

Every command reads its options, makes one library call and prints the
result. Errors from the library arrive as L10nError and leave here as one
line on stderr and an exit code.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..errors import safe, where
from . import exchange, findings, models, serve
from .common import (
    EXIT_FAILED,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    languages_option,
    print_problems,
    split_values,
)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import L10nError

        try:
            return super().invoke(ctx)
        except L10nError as exc:
            click.echo(f"l10n: error: {exc.format()}", err=True)
            for line in getattr(exc, "hint", "").splitlines():
                click.echo(f"    {line}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            # what was written is recorded (the commands save it on the way out); requests
            # in flight were cut, so nothing is waited for
            click.echo("\nl10n: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="l10n")
def cli() -> None:
    """Offline translation for static-site content.

    Translates Markdown articles where the site generator reads them (Hugo's
    post.es.md, Docusaurus's i18n/es/..., MkDocs's page.es.md) with their
    structure intact: code, links, shortcodes, MDX, tables and front matter
    survive, and only prose and chosen front-matter values change.
    """


@cli.command(short_help='Translate articles into sibling files.')
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--to", "to", multiple=True, callback=split_values, metavar="LANG[,LANG...]",
              help="Target languages, comma-separated or repeated (default: targets in l10n.toml or the site's config).")
@click.option("--from", "source", metavar="LANG", help="Source language of every article (default: each article's lang, else the config).")
@click.option("--engine", metavar="NAME",
              help="Translation engine: argos (default), apertium, libretranslate, openai, pseudo, copy, or one installed through the l10n.engines entry point.")
@click.option("--beam-size", type=click.IntRange(min=1), help="argos: beam search width (default 2; 1 is greedy, fastest).")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), help="argos: where CTranslate2 runs (default cpu).")
@click.option("--layout", type=click.Choice(["suffix", "dir"]), help="suffix: post.es.md beside post.md (default); dir: content/es/post.md (remembered in l10n.toml).")
@click.option("--force", is_flag=True, help="Overwrite translations a person edited or reviewed, or that l10n did not write.")
@click.option("--replace", is_flag=True,
              help="With --engine: replace machine translations another engine made too (by default a one-off "
                   "engine leaves them as they are).")
@click.option("--merge", is_flag=True,
              help="Reviewed or person-edited translations whose source changed: translate the changed segments, keep the rest.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing and call no engine.")
@click.option("--trust-declared", is_flag=True,
              help="Translate articles whose text reads as another language than their lang says (default: skip them).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes for engines that allow them (default: one per CPU).")
@click.option("-v", "--verbose", is_flag=True, help="List unchanged files too.")
def translate(paths: tuple[str, ...], to, source, engine, beam_size, device, layout, force, replace, merge, dry_run,
              trust_declared, as_json, jobs, verbose) -> None:
    """Translate the Markdown articles under PATHS (default: content/) into sibling files.

    Each language with its engine: --engine for all (this run only), else
    $L10N_ENGINE, else its own in l10n.toml ([languages.fr] engine), else the
    site's. A translation is remade when its source changed, or when its
    language's configured engine changed; a one-off --engine leaves another
    engine's translations as they are unless --replace. One a person edited or
    approved (l10n review --approve) is reported and kept: --merge updates it
    segment by segment when its source changed, --force overwrites it. A
    language no engine can serve is said, and the others are translated.
    Exit status: 0 all done, 1 some files failed, 2 bad usage or
    configuration (a language left out), 130 interrupted.
    """
    from ..commands.translate import TranslateOptions, run_translate

    if replace and not engine:
        raise click.UsageError("--replace goes with --engine (a one-off engine)")
    options = TranslateOptions(
        paths=tuple(paths), to=tuple(to or ()), source=source, engine=engine, layout=layout, force=force,
        merge=merge, dry_run=dry_run, trust_declared=trust_declared, jobs=jobs,
        engine_options=(("beam_size", beam_size), ("device", device)), replace=replace,
    )
    bar = _Progress(enabled=not as_json and sys.stderr.isatty())
    report = run_translate(options, progress=bar.update, on_total=bar.start)
    bar.finish()
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_report(report, verbose)
    sys.exit(EXIT_USAGE if report.unusable else EXIT_FAILED if report.failed else EXIT_OK)


def _print_report(report, verbose: bool) -> None:
    repeats: dict[str, int] = {}
    for outcome in report.outcomes:
        if outcome.action == "failed":
            seen = repeats[outcome.reason] = repeats.get(outcome.reason, 0) + 1
            if seen <= 3:  # an engine failing for a whole language pair: said three times, then counted
                click.echo(f"l10n: error: {outcome.format()}", err=True)
        elif outcome.action != "unchanged" or verbose:
            click.echo(outcome.format())
    for reason, seen in repeats.items():
        if seen > 3:
            click.echo(f"l10n: error: {seen - 3} more files failed the same way: {safe(reason)}", err=True)
    said: dict[str, int] = {}
    for notice in report.notices:  # a warning repeated over many files: said three times, then counted
        seen = said[notice.message] = said.get(notice.message, 0) + 1
        if seen <= 3:
            click.echo(f"l10n: {notice.format()}", err=True)
    for message, seen in said.items():
        if seen > 3:
            click.echo(f"l10n: {seen - 3} more like it: {safe(message)}", err=True)
    for line in report.unusable:
        click.echo(f"l10n: error: {line}", err=True)
    verb = "dry run" if report.dry_run else "translated"
    targets = ", ".join(report.targets)
    memory = ""
    if report.memory_hits or report.memory_misses:
        memory = f"; translation memory: {report.memory_hits} found, {report.memory_misses} sent to the engine"
    click.echo(f"{verb} into {targets} with {report.engine}: {report.summary()}{memory} ({report.seconds:.2f}s)", err=True)
    if report.usage:
        click.echo(safe(report.usage), err=True)


class _Progress:
    """A progress bar on a terminal, nothing elsewhere."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def start(self, total: int) -> None:
        if self.enabled and total > 400:
            self.bar = click.progressbar(length=total, label="translating", file=sys.stderr)
            self.bar.__enter__()

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command(short_help="Confirm each article's language.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--check", is_flag=True, help="Exit with status 3 when a file's text is not in its declared language (mismatch or untranslated).")
@click.option("--fix", is_flag=True, help="Set lang to the detected language where it is confidently wrong; nothing else in the file changes.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {path, declared, detected, confidence, status}.")
@click.option("--min-words", type=click.IntRange(min=1), default=None, metavar="N",
              help="Fewer words of prose than this is 'undetermined' (default 20).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per CPU).")
def detect(paths, check, fix, as_json, min_words, jobs) -> None:
    """Detect the language of every article and translation under PATHS (default: content/).

    Each file is confirmed, mismatch (its text is confidently in another
    language than its lang field or file name says), untranslated (a
    translation still in its source's language), mixed (long passages in
    another language), undetermined (too little prose, or no clear answer) or
    undeclared (no lang). Only prose is read: code, URLs, HTML and shortcodes
    are left out. Exit status: 0, or 3 with --check when there is a mismatch
    or an untranslated file, 1 when files could not be read, 2 bad usage.
    """
    from ..commands.detect import run_detect
    from ..detect import MIN_WORDS

    report = run_detect(paths, min_words=min_words or MIN_WORDS, fix=fix, jobs=jobs)
    print_problems(report.errors)
    if as_json:
        click.echo(json.dumps([f.to_dict(fixing=fix) for f in report.files], indent=2, ensure_ascii=False))
    else:
        _print_table(report.files)
    fixed = sum(1 for f in report.files if f.fixed)
    summary = ", ".join(f"{n} {status}" for status, n in report.summary().items()) or "no articles"
    click.echo(f"detected {len(report.files)} files: {summary}{f'; fixed {fixed}' if fixed else ''} ({report.seconds:.2f}s)", err=True)
    if report.errors:
        sys.exit(EXIT_FAILED)
    if check and report.count("mismatch", "untranslated"):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _print_table(findings) -> None:
    rows = [("PATH", "DECLARED", "DETECTED", "CONFIDENCE", "STATUS")]
    for f in findings:
        status = f.status + (" (fixed)" if f.fixed else f" ({f.note})" if f.note else "")
        rows.append((safe(f.path), f.declared or "-", f.detected or "-", f"{f.confidence:.2f}", status))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        click.echo("  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4])


@cli.command(short_help='Where every translation stands.')
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@languages_option("Languages")
@click.option("--json", "as_json", is_flag=True, help="Print every article's cells and the totals as JSON.")
@click.option("--check", is_flag=True,
              help="Exit with status 3 when a translation is missing, orphaned, stale or untranslated (a stub; "
                   "allow_untranslated = true in l10n.toml lets stubs ship).")
@click.option("--weakest", is_flag=True,
              help="Articles whose weakest segment the engine was least sure of first, with that confidence.")
@click.option("-v", "--verbose", is_flag=True, help="Say why for every cell (who made it, what changed).")
def status(paths, to, as_json, check, weakest, verbose) -> None:
    """Where every translation of the articles under PATHS stands.

    A table of articles by language; each cell is missing, machine (made by
    an engine, not reviewed), reviewed, stale (its source changed since it was
    made or reviewed: the changed segments' lines are listed), edited (changed
    by a person, not yet approved) or untranslated (still in the source
    language). Totals per language count articles and their words. Exit
    status: 0, or 3 with --check when a translation is missing, orphaned,
    stale or still in the source language (allow_untranslated lets it be), 1
    when files could not be read. --weakest orders the articles by the
    engine's confidence in their weakest segment (lowest first) and shows it
    beside each status (machine 43%).
    """
    from ..commands.status import run_status
    from ..terminal import fitted, status_table

    report = run_status(paths, to, weakest=weakest)
    print_problems(report.errors)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        for line in status_table(report, width, confidence=weakest):
            click.echo(line)
        for cell in report.cells():
            if cell.detail and (verbose or cell.status in ("stale", "edited", "untranslated")):
                for line in fitted(safe(f"{cell.target}: {cell.status}: {cell.detail}"), width):
                    click.echo(line)
        for lang, by in report.totals().items():
            articles = sum(v["articles"] for v in by.values())
            parts = ", ".join(f"{v['articles']} {s} ({v['words']} words)" for s, v in by.items())
            click.echo(f"{lang}: {articles} articles: {parts or 'none'}", err=True)
    click.echo(f"status of {len(report.rows)} articles in {', '.join(report.targets)} ({report.seconds:.2f}s)", err=True)
    if report.errors:
        sys.exit(EXIT_FAILED)
    if check and report.failing:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


@cli.command(short_help='Source and translation side by side; approval.')
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@languages_option("Languages")
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write a self-contained HTML report to this file instead.")
@click.option("--problems", is_flag=True, help="Show only segments with findings or a changed source.")
@click.option("--weakest", is_flag=True,
              help="Translations whose weakest segment the engine was least sure of first (see l10n status --weakest).")
@click.option("--approve", is_flag=True, help="Mark the translations shown as reviewed.")
@click.option("--force", is_flag=True, help="--approve: approve translations with check errors or a changed source too.")
def review(paths, to, html_file, problems, weakest, approve, force) -> None:
    """Source and translation side by side, segment by segment, for the articles under PATHS.

    Each front-matter value, heading, paragraph, list item and table cell
    stands beside its translation, with the findings of l10n check and the
    segments whose source changed since the translation was made or reviewed
    marked, and the engine's confidence in each segment (0-100%).
    Paged in a terminal; --html FILE writes one offline HTML file.
    --approve records the translations as reviewed: l10n translate then
    keeps them, and status shows them reviewed until their source changes.
    Approval refuses a translation with check errors (accepted findings
    aside: l10n check --accept) or a changed source unless --force. Exit
    status: 0; 3 when an approval was refused; 1 when files could not be read.
    """
    from ..commands.review import run_review
    from ..terminal import review_lines

    report = run_review(paths, to, html_file=html_file, approve_all=approve, force=force, weakest=weakest)
    print_problems(report.errors)
    if report.html is not None:
        click.echo(f"{safe(report.html)}: {len(report.items)} translations, {len(report.missing)} missing", err=True)
    elif not approve:
        width = shutil.get_terminal_size((120, 40)).columns
        click.echo_via_pager(line + "\n" for line in review_lines(report.items, report.missing, width, problems))
    for path, ok, why in report.approvals:
        click.echo(safe(f"{path}: approved" if ok else f"{path}: not approved: {why}"))
    if report.errors:
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_FINDINGS if report.refused else EXIT_OK)


@cli.command(short_help='The build step: detect, translate, catalogs, check.')
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@languages_option("Target languages")
@click.option("--engine", metavar="NAME",
              help="One engine for every language, this run only (default: each language's, else the site's, "
                   "else argos); it leaves another engine's translations as they are unless --replace.")
@click.option("--replace", is_flag=True, help="With --engine: replace machine translations another engine made too.")
@click.option("--merge", is_flag=True,
              help="Update reviewed or person-edited translations whose source changed, segment by segment.")
@click.option("--json", "as_json", is_flag=True, help="Print every step and the status as JSON.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes for engines that allow them.")
@click.option("-v", "--verbose", is_flag=True, help="List every file each step touched.")
def build(paths, to, engine, replace, merge, as_json, jobs, verbose) -> None:
    """The build step before the site generator: detect, translate, catalogs, check, status.

    Detects the language of what changed, translates what is missing or
    stale (reviewed and person-edited translations are never touched unless
    --merge), updates, machine-translates, compiles and exports the UI-string
    catalogs (Hugo's i18n/<lang>.yaml, Docusaurus's i18n/<locale>/*.json,
    MkDocs's nav_translations) when the site has UI strings or a
    babel.cfg, checks every translation and prints the status. A rerun with
    nothing changed writes nothing. Exit status: 0; 3 when a person is
    needed (a translation missing or stale, a check error, a page in another
    language than it declares); 1 when something failed; 2 bad usage.

        l10n build --to es && hugo
    """
    from ..commands.build import run_build

    if replace and not engine:
        raise click.UsageError("--replace goes with --engine (a one-off engine)")
    report = run_build(paths, to, engine=engine, merge=merge, jobs=jobs, replace=replace)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for step in report.steps:
            click.echo(f"{step.name}: {step.summary}")
            shown = step.lines if verbose or step.failed else [
                line for line in step.lines if "error" in line or ": skipped" in line or step.name in ("detect", "catalogs")]
            for line in shown:
                click.echo(f"  {safe(line)}")
        assert report.status is not None
        for lang, by in report.status.totals().items():
            click.echo(f"status {lang}: " + ", ".join(f"{v['articles']} {s}" for s, v in by.items()))
        for line in report.attention:
            click.echo(f"needs a person: {safe(line)}", err=True)
    verdict = "failed" if report.failed else "needs a person" if report.attention else "ok"
    click.echo(f"build: {verdict} ({report.seconds:.2f}s)", err=True)
    sys.exit(EXIT_FAILED if report.failed else EXIT_FINDINGS if report.attention else EXIT_OK)


@cli.group(short_help='Gettext catalogs for UI strings (Babel).')
def catalog() -> None:
    """Gettext catalogs for UI strings (menu labels, "Read more"...), kept with Babel.

    extract builds locales/messages.pot from the site's UI strings (Hugo's
    i18n/<source>.yaml, Docusaurus's i18n/<defaultLocale>/*.json, MkDocs's nav
    titles) and a Babel mapping file (babel.cfg); update keeps
    locales/<locale>/LC_MESSAGES/messages.po in step; translate fills them by
    machine translation, fuzzy; compile writes .mo files; export writes them
    where the site generator reads them. Run them from the site root.
    """


def _catalog_report(report, check: bool = False) -> None:
    for path in report.written:
        click.echo(f"{safe(path)}: written")
    for notice in report.notices:
        click.echo(f"l10n: {safe(notice)}", err=True)
    for st in report.stats:
        if st.locale != "template":
            click.echo(f"{safe(st.path)}: {st.translated} translated, {st.fuzzy} fuzzy, {st.untranslated} untranslated", err=True)
    for finding in report.findings:
        click.echo(f"l10n: {safe(finding)}", err=True)
    for problem in report.errors:
        click.echo(f"l10n: error: {where(problem.path, problem.line)}: {safe(problem.message)}", err=True)
    if report.errors:
        sys.exit(1)
    if check and report.findings:
        sys.exit(EXIT_FINDINGS)


@catalog.command("extract", short_help='Build locales/messages.pot from the UI strings.')
@click.option("--check", is_flag=True, help="Write nothing; exit 3 when locales/messages.pot is out of date.")
def catalog_extract(check) -> None:
    """Build locales/messages.pot from the site's UI strings.

    Sources: the Hugo table i18n/<source language>.yaml|toml|json (each id
    becomes the message context, its text the msgid, plural forms a plural
    message), Docusaurus's i18n/<defaultLocale>/*.json (npm run
    write-translations -- --locale en makes them; the context is file:id, the
    description a comment), MkDocs's nav titles, and, if the site has a babel.cfg, templates and code through
    Babel's extractors (python, jinja2, and hugo for {{ i18n "id" }}).
    """
    from ..commands.catalog import run_catalog_extract

    _catalog_report(run_catalog_extract(check=check), check)


@catalog.command("update", short_help="Create or update each language's catalog.")
@click.option("--to", "to", multiple=True, callback=split_values, metavar="LANG[,LANG...]",
              help="Languages (default: targets in l10n.toml, else the catalogs that exist).")
@click.option("--check", is_flag=True, help="Write nothing; exit 3 when a catalog is out of date or incomplete.")
def catalog_update(to, check) -> None:
    """Create or update locales/<locale>/LC_MESSAGES/messages.po from the template.

    New messages are added, removed ones made obsolete, changed ones fuzzy;
    plural forms follow each language's rules (CLDR). A new catalog takes the
    translations already in i18n/<lang>.* if there are any.
    """
    from ..commands.catalog import run_catalog_update

    _catalog_report(run_catalog_update(to, check=check), check)


@catalog.command("translate", short_help='Machine-translate empty messages, marked fuzzy.')
@click.option("--to", "to", multiple=True, callback=split_values, metavar="LANG[,LANG...]", help="Languages (default: as for update).")
@click.option("--engine", metavar="NAME", help="Translation engine (default: the site's engine, else argos).")
def catalog_translate(to, engine) -> None:
    """Fill empty translations by machine translation, each marked fuzzy for review.

    Placeholders (%s, %(name)s, {name}, {{ .Count }}, HTML tags) never reach the
    engine; plural messages get every form.
    """
    from ..commands.catalog import run_catalog_fill

    _catalog_report(run_catalog_fill(to, engine))


@catalog.command("compile", short_help='Compile catalogs to .mo files.')
@click.option("--use-fuzzy", is_flag=True, help="Include fuzzy (unreviewed) translations.")
@click.option("--check", is_flag=True, help="Write nothing; exit 3 when a catalog has untranslated or fuzzy messages.")
def catalog_compile(use_fuzzy, check) -> None:
    """Compile every catalog to messages.mo; a format error fails with file and line."""
    from ..commands.catalog import run_catalog_compile

    _catalog_report(run_catalog_compile(use_fuzzy=use_fuzzy, check=check), check)


@catalog.command("export", short_help='Write the UI strings where the site generator reads them.')
@click.option("--format", "fmt", type=click.Choice(["hugo"]), default="hugo", show_default=True,
              help="Kept for scripts: the site's generator decides the format.")
@click.option("--use-fuzzy", is_flag=True, help="Include fuzzy (unreviewed) translations.")
@click.option("--force", is_flag=True, help="Overwrite a table whose strings a person changed.")
def catalog_export(fmt, use_fuzzy, force) -> None:
    """Write every catalog's strings where the site generator reads them.

    Hugo: i18n/<lang>.yaml (or .toml, .json, as the source table); Docusaurus:
    i18n/<locale>/code.json and the theme's files (message and description);
    MkDocs: the language's nav_translations in mkdocs.yml, every other byte kept.
    Every id of the source tables is written; one without a usable translation
    keeps the source text, as the generator itself would show it. A table with a string a
    person changed there (neither the catalog's nor the source's) is kept and
    named, exit 3: put the change into the .po, or --force.
    """
    from ..commands.catalog import run_catalog_export

    _catalog_report(run_catalog_export(use_fuzzy=use_fuzzy, force=force), check=True)


@cli.command(short_help='List the translation engines and the default.')
def engines() -> None:
    """List the translation engines that can be used with --engine, and which is the default.

    The default is --engine, else $L10N_ENGINE, else engine in l10n.toml
    (a language's own in [languages.fr] engine), else argos. Other packages
    add engines through the l10n.engines entry point.
    """
    from ..config import find_root, load
    from ..engines import available, describe

    default = load(find_root(Path.cwd())).engine_name
    found = available()
    width = max(map(len, found))
    for name in found:
        mark = "  (default)" if name == default else ""
        click.echo(f"{name:<{width}}  {describe(name)}{mark}")
    click.echo(f"{len(found)} engines; the default here: {default}", err=True)


def main() -> None:
    cli(prog_name="l10n")


cli.add_command(exchange.export)
cli.add_command(exchange.import_)
cli.add_command(models.models)
cli.add_command(findings.check)
cli.add_command(serve.serve)
