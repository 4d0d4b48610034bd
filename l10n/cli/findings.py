"""``l10n check``: the findings over translations and catalogs, accepted ones apart, and accepting them."""

from __future__ import annotations

import json
import sys

import click

from ..errors import safe
from .common import EXIT_FAILED, EXIT_FINDINGS, EXIT_OK, languages_option, print_problems


@click.command("check", short_help='Quality checks over translations and catalogs.')
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@languages_option("Languages")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--no-catalogs", is_flag=True, help="Leave the gettext catalogs under locales/ out.")
@click.option("--accept", "places", multiple=True, metavar="PATH:LINE[:CHECK]",
              help="Accept the findings at this place of a translation (or a finding's id from --json): they fail "
                   "nothing until the text there changes. Repeatable.")
@click.option("--accepted", "show_accepted", is_flag=True, help="List the accepted findings too.")
def check(paths, to, as_json, no_catalogs, places, show_accepted) -> None:
    """Quality checks over every translation under PATHS and the site's catalogs.

    Errors: URLs, link targets, inline code, shortcodes or HTML tags lost,
    added or changed; a segment without translation; catalog placeholders
    that differ. Warnings: numbers differ, untranslated text, a suspicious
    length ratio, a do-not-translate term translated, a glossary term not
    used, leading/trailing whitespace or final punctuation that differ. Each
    finding is path:line: severity: message [check].

    A finding that is right as it is (a link localised on purpose) is
    accepted with --accept PATH:LINE: it is recorded in provenance, and
    check, review and build no longer fail on it until the source's or the
    translation's text there changes. Exit status: 0, 3 when there are
    errors (or a place named no finding), 1 when files could not be read.
    """
    from ..checks import ERROR
    from ..commands.check import run_accept, run_check

    if places:
        accepted = run_accept(places, paths, to)
        for finding in accepted.accepted:
            click.echo(safe(f"accepted: {finding.format()}"))
        print_problems(accepted.refused)
        click.echo(f"{len(accepted.accepted)} findings accepted", err=True)
        sys.exit(EXIT_FINDINGS if accepted.refused else EXIT_OK)
    report = run_check(paths, to, catalogs=not no_catalogs)
    print_problems(report.errors)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for finding in report.findings:
            click.echo(safe(finding.format()))
        if show_accepted:
            for finding in report.accepted:
                click.echo(safe(f"{finding.format()} (accepted)"))
    accepted_note = f", {len(report.accepted)} accepted" if report.accepted else ""
    click.echo(f"checked {report.checked} files: {report.count(ERROR)} errors, {report.count('warning')} warnings"
               f"{accepted_note} ({report.seconds:.2f}s)", err=True)
    if report.errors:
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_FINDINGS if report.count(ERROR) else EXIT_OK)
