"""Site generators: each recognised by its own config at the site root (``GENERATORS``, in the order they are tried)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from . import docusaurus, hugo, mkdocs, starlight
from .generator import Generator, Language, Tree, read_settings

__all__ = ["GENERATORS", "Generator", "Language", "Tree", "by_name", "config_names", "recognise", "read_settings"]

#: Every generator module; a site is the first whose config is at its root.
GENERATORS: tuple[ModuleType, ...] = (docusaurus, starlight, mkdocs, hugo)


def recognise(root: Path) -> tuple[ModuleType, Path] | None:
    """The generator of the site at ``root``, and its config file."""
    for generator in GENERATORS:
        path = generator.find_config(root)
        if path is not None:
            return generator, path
    return None


def config_names() -> tuple[str, ...]:
    """Every file name a generator's config may have (how a site root is found)."""
    return tuple(name for generator in GENERATORS for name in generator.NAMES)


def by_name(name: str) -> ModuleType:
    return next(g for g in GENERATORS if g.NAME == name)
