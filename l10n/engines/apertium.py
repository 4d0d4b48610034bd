"""Rule-based translation with Apertium: offline, fast, installed pair by pair (Debian's apertium-*).

Apertium translates text and gives no alignment, so l10n places markup by
locating each span's own translation in the sentence's. Pairs are found in
Apertium's modes folder (``/usr/share/apertium/modes/eng-spa.mode`` and the
like, or ``[apertium] modes_dir``); a batch goes through one ``apertium``
pipeline, texts separated by blank lines, which Apertium keeps apart.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Sequence

from .. import langs
from ..errors import EngineError

#: Where Debian's Apertium packages put their modes.
MODES_DIR = Path("/usr/share/apertium/modes")
#: Apertium names languages by ISO 639-3 codes (and a few by their two letters).
_THREE = {"eng": "en", "spa": "es", "cat": "ca", "fra": "fr", "glg": "gl", "por": "pt", "ita": "it", "oci": "oc",
          "eus": "eu", "deu": "de", "nld": "nl", "ron": "ro", "arg": "an", "ast": "ast", "nob": "nb", "nno": "nn",
          "swe": "sv", "dan": "da", "isl": "is", "epo": "eo", "bel": "be", "rus": "ru", "ukr": "uk", "cym": "cy",
          "bre": "br", "srd": "sc", "hbs": "sh", "mlt": "mt", "kaz": "kk", "tat": "tt", "urd": "ur", "hin": "hi"}
_BLANK = re.compile(r"\n[ \t]*\n")


class ApertiumEngine:
    """Rule-based machine translation with Apertium's installed language pairs."""

    parallel = False
    memory = True

    def __init__(self, modes_dir: str | Path | None = None, command: str = "apertium"):
        self.modes_dir = Path(modes_dir) if modes_dir else MODES_DIR
        self.command = command
        self.model = "apertium"

    # -- pairs -------------------------------------------------------------------------

    def pairs(self) -> dict[tuple[str, str], str]:
        """(source code, target code) -> mode name, for every installed pair (plain
        variants first: eng-cat before eng-cat_valencia)."""
        found: dict[tuple[str, str], str] = {}
        modes = sorted(self.modes_dir.glob("*.mode"), key=lambda p: ("_" in p.stem, p.stem)) if self.modes_dir.is_dir() else []
        for mode in modes:
            parts = mode.stem.split("-")
            if len(parts) != 2:
                continue
            source, target = (_code(p.split("_", 1)[0]) for p in parts)
            if source and target:
                found.setdefault((source, target), mode.stem)
        return found

    def mode(self, source: str, target: str) -> str:
        pair = (langs.base(source), langs.base(target))
        mode = self.pairs().get(pair)
        if mode is None:
            names = [_three(c) for c in pair]
            raise EngineError(
                f"no Apertium pair for {source}->{target} in {self.modes_dir}: install it "
                f"(Debian: apt-get install apertium-{names[0]}-{names[1]}; some pairs are packaged the other way "
                f"round, apertium-{names[1]}-{names[0]})")
        if shutil.which(self.command) is None:
            raise EngineError(f"{self.command} is not on PATH (Debian: apt-get install apertium)")
        return mode

    def check_pair(self, source: str, target: str) -> None:
        self.mode(source, target)

    def model_for(self, source: str, target: str) -> str:
        """The pair and a digest of its mode file: a new version of the pair is a new model."""
        mode = self.mode(source, target)
        data = (self.modes_dir / f"{mode}.mode").read_bytes()
        return f"{mode} {hashlib.blake2b(data, digest_size=6).hexdigest()}"

    # -- the engine protocol -----------------------------------------------------------

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        mode = self.mode(source, target)
        items = [" ".join(t.split()) for t in texts]
        out: list[str] = list(texts)
        todo = [i for i, t in enumerate(items) if t]
        if not todo:
            return out
        pieces = self._run(mode, "\n\n".join(items[i] for i in todo))
        if len(pieces) != len(todo):  # texts that did not stay apart: one by one
            pieces = [self._run(mode, items[i])[0] if items[i] else "" for i in todo]
        for i, piece in zip(todo, pieces):
            out[i] = piece
        return out

    def _run(self, mode: str, text: str) -> list[str]:
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        try:
            done = subprocess.run([self.command, "-u", "-d", str(self.modes_dir.parent), mode], input=text.encode("utf-8"),
                                  capture_output=True, timeout=600, env=env)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"apertium {mode} failed: {exc}") from None
        if done.returncode != 0:
            raise EngineError(f"apertium {mode} failed: {done.stderr.decode('utf-8', 'replace').strip()[:200]}")
        output = done.stdout.decode("utf-8", "replace").strip("\n")
        return [" ".join(part.split()) for part in _BLANK.split(output)]


def _code(name: str) -> str | None:
    name = name.lower()
    if name in _THREE:
        return _THREE[name]
    return name if len(name) == 2 and langs.is_code(name) else None


def _three(code: str) -> str:
    return next((three for three, two in _THREE.items() if two == code), code)
