"""``l10n export`` and ``l10n import``: translation units out to translators' tools and back."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import safe
from .common import (
    EXIT_FAILED,
    EXIT_FINDINGS,
    EXIT_OK,
    languages_option,
    print_problems,
)


@click.command("export", short_help="Translation units for translators' tools (XLIFF, PO).")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@languages_option("Languages to export")
@click.option("--format", "fmt", type=click.Choice(["xliff", "po"]), default="xliff", show_default=True,
              help="XLIFF 1.2 (inline markup as <g>/<x/> codes) or PO (the Markdown of each segment).")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path),
              help="The file to write (one language), or a folder (default: l10n-LANG.xlf or .po here).")
@click.option("--per-article", is_flag=True, help="One file per article and language, in the --output folder.")
@click.option("--no-matches", is_flag=True, help="Leave out close matches from the translation memory.")
def export(paths, to, fmt, out, per_article, no_matches) -> None:
    """Write every segment of the articles under PATHS as translation units.

    Each unit holds the source, the current translation if there is one, its
    state (new, machine, stale, edited, reviewed) and notes for the
    translator: file and line, the findings of l10n check, close matches
    from the translation memory. Unit ids are digests of the source text, so
    a re-export after a source change keeps the translator's work lined up.
    Bring the file back with l10n import. Exit status: 0; 1 when files could
    not be read.
    """
    from ..commands.export import run_export

    report = run_export(paths, to, fmt=fmt, out=out, per_article=per_article, matches=not no_matches)
    print_problems(report.errors)
    for path, units, done in report.written:
        click.echo(safe(f"{path}: {units} units, {done} with a translation"))
    sys.exit(EXIT_FAILED if report.errors else EXIT_OK)


@click.command("import", short_help="Translations from XLIFF or PO files into the siblings.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str, exists=True, dir_okay=False))
@click.option("--to", "to", metavar="LANG", help="The files' language (default: the language the file names).")
@click.option("--as", "status", type=click.Choice(["reviewed", "edited"]), default="reviewed", show_default=True,
              help="How the imported translations are recorded: approved, or a person's draft.")
@click.option("--fuzzy", is_flag=True, help="PO: use fuzzy entries too.")
@click.option("--force", is_flag=True,
              help="The file wins: a person's targets replace a person's words where the page changed since the "
                   "export, units whose source changed go to the segment in their place, a file for another "
                   "language is imported into --to. Drafts never replace a person's words.")
def import_(files, to, status, fuzzy, force) -> None:
    """Write the translations in FILES (XLIFF from l10n export, or PO catalogs
    from l10n, po4a, mdpo or Weblate) into the site's sibling files.

    Run in the site, like every other command. A unit changes a page only when
    a person changed it: a machine draft as exported changes nothing; a
    person's target replaces machine words, and a person's words only where
    the page still says what the file was made from (else it is a conflict,
    named). Every unit is judged alone: one refused (inline codes missing or
    moved, a PO message that would change the page's blocks, too long) is
    named with its reason, and the page's other units applied. A page holding
    a person's words changes only where units change it. Imported text is
    recorded as a person's work: l10n translate keeps it. Catalog pairs a
    person translated also go into the translation memory.
    Exit status: 0; 3 when units were refused, in conflict or stale, or pages
    or files left out; 1 when files could not be read or written; 2 for bad
    usage or a language the site does not have.
    """
    from ..commands.exchange import run_import

    report = run_import(files, to, force=force, status=status, fuzzy=fuzzy)
    for problem in report.problems:
        click.echo(f"l10n: {problem.format()}", err=True)
    for outcome in report.outcomes:
        if outcome.action != "unchanged" or outcome.role == "translation":
            click.echo(safe(outcome.format()))
    summary = f"{report.applied} units imported"
    for count, what in ((report.rejected, "refused"), (report.stale, "stale"),
                        (report.drafts, "drafts as exported (nothing to import)"),
                        (report.skipped, "pages or files left out (see above)"),
                        (report.unreadable, "files unreadable"),
                        (report.unmatched, "catalog entries matching no segment"),
                        (report.remembered, "pairs put into the memory")):
        if count:
            summary += f", {count} {what}"
    click.echo(summary, err=True)
    if report.failed:
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_FINDINGS if report.rejected or report.stale or report.skipped else EXIT_OK)
