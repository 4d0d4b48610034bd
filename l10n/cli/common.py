"""What every ``l10n`` command shares: exit codes, list options, problem lines."""

from __future__ import annotations

import click

#: Exit codes (documented in the README).
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
#: --check found something a person must look at.
EXIT_FINDINGS = 3
#: Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130


def split_values(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str] | None:
    items = [v.strip() for chunk in value for v in chunk.split(",") if v.strip()]
    return items or None


def languages_option(what: str):
    """The --to option of the commands that look at a site's translations."""
    return click.option("--to", "to", multiple=True, callback=split_values, metavar="LANG[,LANG...]",
                        help=f"{what} (default: targets in l10n.toml, else the Hugo config's languages).")


def print_problems(problems) -> None:
    """Files a run could not read or write, one line each, on stderr."""
    for problem in problems:
        click.echo(f"l10n: {problem.format()}", err=True)
