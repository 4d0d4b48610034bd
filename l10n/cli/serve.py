"""``l10n serve``: the review desk in a browser, on 127.0.0.1 only."""

from __future__ import annotations

import click

from ..errors import safe
from .common import languages_option


@click.command("serve", short_help="Review and edit translations in the browser (127.0.0.1 only).")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@languages_option("Languages")
@click.option("--port", type=click.IntRange(0, 65535), default=8470, show_default=True,
              help="The port on 127.0.0.1 (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the URL in the default browser.")
@click.option("--no-check", is_flag=True, help="Do not check the pages not yet checked in the background.")
def serve(paths, to, port, open_browser, no_check) -> None:
    """Review the translations of the articles under PATHS in the browser.

    A local web application on 127.0.0.1 (never another address): pages by
    language and state, filters (stale, with findings, weakest confidence
    first) and search; a page's segments side by side with their inline
    markup as tags that cannot be broken, check findings, notes, memory
    suggestions and the engine's confidence. Edit a segment, approve a
    segment or the page, accept a finding: every write goes through the same
    checks, writer, lock and records as l10n import and l10n review
    --approve. The URL printed holds a token made at this start; requests
    without it are refused. Ctrl-C stops it.
    """
    from ..commands.serve import run_serve

    def ready(served) -> None:
        click.echo(f"l10n serve: {len(served.desk.rows())} pages in {', '.join(served.desk.targets)}; open "
                   f"{served.url}", err=True)
        click.echo(safe(served.url))
        if open_browser:
            import webbrowser

            webbrowser.open(served.url)

    run_serve(paths, to, port, ready, check=not no_check)
