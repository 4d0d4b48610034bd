"""``l10n models``: Argos Translate packages listed, installed from the index or a file, and removed."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group(short_help='Argos Translate models: list, install, remove.')
def models() -> None:
    """Argos Translate models: list, find, install and remove them.

    Packages live in Argos Translate's folder (ARGOS_PACKAGES_DIR, else
    ~/.local/share/argos-translate/packages) and in models_dir of l10n.toml's
    [argos] section. Installing from a file works offline.
    """


def _model_dirs():
    from ..config import find_root, load
    from ..engines.packages import package_dirs

    cfg = load(find_root(Path.cwd()))
    extra = dict(cfg.engine_options).get("models_dir")
    return package_dirs([Path(extra)] if extra else [])


@models.command("list", short_help='List installed packages and where they are.')
def models_list() -> None:
    """List installed packages: languages, version and folder."""
    from ..engines.packages import installed

    dirs = _model_dirs()
    found = installed(dirs)
    for package in found:
        click.echo(f"{package.from_code}\t{package.to_code}\t{package.version}\t{package.path}")
    click.echo(f"{len(found)} packages installed; looked in " + ", ".join(
        f"{folder}{'' if folder.is_dir() else ' (does not exist)'}" for folder in dirs), err=True)


@models.command("available", short_help='List the Argos package index (online).')
def models_available() -> None:
    """List the packages of the Argos package index (needs the network)."""
    from ..engines.packages import fetch_index

    for entry in fetch_index():
        size = f"{int(entry['size']) / 1e6:.0f} MB" if str(entry.get("size", "")).isdigit() else ""
        click.echo(f"{entry.get('from_code')}\t{entry.get('to_code')}\t{entry.get('package_version', '')}\t{size}")


@models.command("install", short_help='Install a package from the index or a file.')
@click.argument("what", nargs=-1, required=True, metavar="FROM TO | FILE.argosmodel")
@click.option("--dir", "folder", type=click.Path(path_type=Path), help="Install into this folder (default: Argos's package folder).")
def models_install(what, folder) -> None:
    """Install a package: FROM TO downloads it from the Argos index (needs the
    network); FILE.argosmodel installs a file, offline."""
    from ..engines.packages import download, install_file

    if len(what) == 1:
        if not Path(what[0]).suffix and not Path(what[0]).exists():
            raise click.UsageError(f"{what[0]!r} is no file: give FROM TO (two language codes, downloaded from the "
                                   "Argos index) or one FILE.argosmodel")
        package = install_file(Path(what[0]), folder)
    elif len(what) == 2:
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None and sys.stderr.isatty():
                bar = click.progressbar(length=total or None, label=f"downloading ({total / 1e6:.0f} MB)", file=sys.stderr)
                bar.__enter__()
            if bar is not None:
                bar.update(done - bar.pos)

        try:
            package = download(what[0], what[1], folder, progress)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    else:
        raise click.UsageError("give FROM TO (two language codes) or one FILE.argosmodel")
    click.echo(f"installed {package.label} in {package.path}")


@models.command("remove", short_help='Remove the installed packages for a pair.')
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
def models_remove(source, target) -> None:
    """Remove the installed packages for FROM -> TO."""
    from ..engines.packages import remove

    for package in remove(source, target, _model_dirs()):
        click.echo(f"removed {package.label} from {package.path}")
