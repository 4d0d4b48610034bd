"""A real LibreTranslate server for tests, fully offline.

Two halves:

* building: ``build_package`` makes the copy-model ``.argosmodel`` of
  ``argos_package.py`` (a verbatim copy of the project's tests/argos_package.py
  beside this file) and adds what LibreTranslate's argostranslate
  (``argos-translate-lt``) needs so that it never downloads anything: a MiniSBD
  sentence model, ``minisbd/<from>.onnx``, here a rule-based ONNX graph (a
  sentence ends after ``. ! ? 。 ！ ？ …`` followed by whitespace or the end of
  the text). Building needs numpy, sentencepiece, ctranslate2 and onnx; the
  LibreTranslate venv has all four (``pip install libretranslate onnx``).
* serving: ``serve(packages_dir)`` starts ``libretranslate`` on 127.0.0.1 on a
  free port with a private HOME/XDG/TMPDIR/cwd and an environment that blocks
  every known network path, waits for ``/health`` and stops it afterwards.
  This half is standard library only, so the project's own test environment
  can use it against the separate LibreTranslate venv.

Command line (run it with the venv's python for ``build``)::

    python libre_fixture.py build PACKAGES_DIR en:es es:en
    python libre_fixture.py serve PACKAGES_DIR [extra libretranslate args]
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Iterable, Iterator, Sequence

HERE = Path(__file__).resolve().parent

#: Where .ci/run puts the servers' virtual environments (L10N_SERVERS to change it).
SERVERS = Path(os.environ.get("L10N_SERVERS") or Path.home() / ".cache" / "l10n-servers")
#: Where the LibreTranslate venv is; L10N_LIBRETRANSLATE names its executable.
DEFAULT_VENV = SERVERS / "libretranslate"

LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ja": "Japanese", "zh": "Chinese", "ru": "Russian",
}

#: Characters after which (when whitespace or the end follows) a sentence ends.
SENTENCE_TERMINALS = ".!?。！？…"

#: A closed loopback port: whatever still tries the network gets "connection refused" at once.
_DEAD_END = "http://127.0.0.1:9"

#: Imported by the server's Python at start-up (PYTHONPATH): refuses, and
#: records in $L10N_NETWORK_LOG, every name lookup or connection that is not
#: loopback (Python-level only: native code is covered by ORT_DISABLE_TELEMETRY
#: and, to prove it, by running under ``unshare -rn``); with L10N_QUIET_ARGOS
#: drops argostranslate's per-request INFO lines (about 9 a request).
_SITECUSTOMIZE = r"""
import ipaddress, logging, os, socket

_log = os.environ.get("L10N_NETWORK_LOG")
_LOCAL = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}

def _loopback(host):
    if host is None or host == "" or str(host).lower() in _LOCAL:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False

def _refuse(what):
    if _log:
        with open(_log, "a") as f:
            f.write(what + "\n")
    raise OSError(101, "network access blocked in tests: " + what)

_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if not _loopback(host if not isinstance(host, bytes) else host.decode()):
        _refuse("getaddrinfo %r" % (host,))
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = getaddrinfo

_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
_DEAD_END_PORT = 9  # the closed port that the proxy variables and ARGOS_PACKAGE_INDEX point to

def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        if not _loopback(address[0]):
            _refuse("connect %r" % (address,))
        if address[1] == _DEAD_END_PORT:
            _refuse("connect %r (the dead-end proxy/index: something tried to go online)" % (address,))
def connect(self, address):
    _check(self, address)
    return _connect(self, address)
def connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)
socket.socket.connect, socket.socket.connect_ex = connect, connect_ex

if os.environ.get("L10N_QUIET_ARGOS"):
    logging.getLogger("argostranslate.utils").addFilter(lambda record: record.levelno >= logging.WARNING)
"""


# --------------------------------------------------------------------------
# building


def minisbd_model(lang: str = "en", terminals: str = SENTENCE_TERMINALS) -> bytes:
    """A MiniSBD ``.onnx`` model: a rule-based sentence splitter as an ONNX graph.

    MiniSBD (minisbd/inference.py, modules/inference.py) feeds the graph
    ``units`` (int64 [batch, chars], ids from the vocab in the model's
    metadata; every whitespace is a " " by then) and ``features`` (float32
    [batch, chars, n]) and takes the argmax over 5 classes per character:
    0 inside a token, 1 token ends here, 2 sentence ends here (3, 4: the same
    for multi-word tokens, never used here). The graph says 2 for a terminal
    followed by whitespace/padding, 1 for any other non-space followed by
    whitespace/padding, else 0. MiniSBD itself forces 2 on the last character.
    """
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    units = ["<PAD>", "<UNK>", " ", *dict.fromkeys(terminals)]
    unit2id = {u: i for i, u in enumerate(units)}
    size = len(units)
    separator = np.zeros(size, np.float32)
    separator[[unit2id["<PAD>"], unit2id[" "]]] = 1
    terminal = np.zeros(size, np.float32)
    terminal[[unit2id[c] for c in terminals]] = 1
    not_space = np.ones(size, np.float32)
    not_space[unit2id[" "]] = 0

    constants = {
        "separator_table": separator, "terminal_table": terminal, "not_space_table": not_space,
        "one": np.array([1], np.int64), "to_end": np.array([2**62], np.int64),
        "pad_right": np.array([0, 0, 0, 1], np.int64), "f0": np.array(0.0, np.float32),
        "f_half": np.array(0.5, np.float32), "f1": np.array(1.0, np.float32),
        "f2": np.array(2.0, np.float32), "axis2": np.array([2], np.int64),
    }
    node = helper.make_node
    nodes = [
        node("Gather", ["separator_table", "units"], ["separator"]),
        node("Gather", ["terminal_table", "units"], ["terminal"]),
        node("Gather", ["not_space_table", "units"], ["not_space"]),
        # is the next character whitespace or padding? (past the end: yes)
        node("Slice", ["separator", "one", "to_end", "one"], ["separator_after"]),
        node("Pad", ["separator_after", "pad_right", "f1"], ["next_separator"]),
        node("Mul", ["next_separator", "not_space"], ["token_end"]),
        node("Mul", ["terminal", "next_separator"], ["terminal_end"]),
        node("Mul", ["terminal_end", "f2"], ["sentence_end"]),
        node("Mul", ["token_end", "f0"], ["zero"]),
        node("Add", ["zero", "f_half"], ["inside"]),
        *[node("Unsqueeze", [x, "axis2"], [f"{x}_3d"]) for x in ("inside", "token_end", "sentence_end", "zero")],
        node("Concat", ["inside_3d", "token_end_3d", "sentence_end_3d", "zero_3d", "zero_3d"], ["logits"], axis=2),
    ]
    graph = helper.make_graph(
        nodes, "rule_based_sbd",
        [helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "chars"]),
         helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "chars", "feats"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "chars", 5])],
        [numpy_helper.from_array(value, name) for name, value in constants.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="l10n-tests")
    model.ir_version = 8  # loadable by any onnxruntime >= 1.10 (minisbd's floor)
    config = {"skip_newline": False, "max_seqlen": 1000, "no_ssplit": False, "batch_size": 32,
              "feat_funcs": ["space_before"], "use_dictionary": False, "num_dict_feat": 0}
    vocab = {"lang": lang, "idx": 0, "cutoff": 0, "lower": False, "_unit2id": unit2id, "_id2unit": units}
    helper.set_model_props(model, {"lang_code": lang, "config": json.dumps(config),
                                   "vocab": json.dumps(vocab), "lexicon": "null"})
    onnx.checker.check_model(model, full_check=True)
    return model.SerializeToString()


def build_package(dest: Path, from_code: str = "en", to_code: str = "es", *, from_name: str | None = None,
                  to_name: str | None = None, **kwargs) -> Path:
    """A copy-model ``.argosmodel`` in ``dest`` that LibreTranslate uses without any download.

    ``kwargs`` go to argos_package.build_package (size, quantization, target_prefix, version).
    """
    sys.path.insert(0, str(HERE))
    try:
        from argos_package import build_package as build_copy_package
    finally:
        sys.path.remove(str(HERE))
    archive = build_copy_package(Path(dest), from_code, to_code, **kwargs)
    root = archive.stem  # translate-en_es-1_0
    with tempfile.TemporaryDirectory() as work:
        rebuilt = Path(work) / archive.name
        with zipfile.ZipFile(archive) as old, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_STORED) as new:
            for item in old.infolist():
                data = old.read(item)
                if item.filename == f"{root}/metadata.json":
                    metadata = json.loads(data)
                    metadata["from_name"] = from_name or LANGUAGE_NAMES.get(from_code, from_code)
                    metadata["to_name"] = to_name or LANGUAGE_NAMES.get(to_code, to_code)
                    data = json.dumps(metadata, indent=2).encode()
                new.writestr(item, data)
            new.writestr(f"{root}/minisbd/{from_code}.onnx", minisbd_model(from_code))
        shutil.move(rebuilt, archive)
    return archive


def install_package(archive: Path, packages_dir: Path) -> Path:
    """Unpack an archive into a packages folder, as argostranslate's install_from_path does."""
    packages_dir = Path(packages_dir)
    packages_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(packages_dir)
    return packages_dir / Path(archive).stem


def make_packages_dir(packages_dir: Path, pairs: Iterable[tuple[str, str]] = (("en", "es"), ("es", "en")),
                      archives_dir: Path | None = None, **kwargs) -> Path:
    """Build and install one package per pair.

    Install at least two packages: with fewer, LibreTranslate's start-up
    (libretranslate/init.py) decides it has no models and goes to update the
    package index and fetch models and MiniSBD models.
    """
    pairs = list(pairs)
    if len(pairs) < 2:
        raise ValueError("LibreTranslate tries to download models when fewer than 2 packages are installed")
    with tempfile.TemporaryDirectory() as work:
        for from_code, to_code in pairs:
            install_package(build_package(Path(archives_dir or work), from_code, to_code, **kwargs), packages_dir)
    return Path(packages_dir)


def venv_python() -> str:
    """The python of the LibreTranslate venv (it has numpy, sentencepiece, ctranslate2 and onnx)."""
    return str(Path(libretranslate_executable()).parent / "python")


def ensure_packages(packages_dir: Path, pairs: Iterable[tuple[str, str]] = (("en", "es"), ("es", "en"))) -> Path:
    """``make_packages_dir`` here if this Python can build, else with the LibreTranslate venv's Python."""
    pairs = list(pairs)
    try:
        import ctranslate2  # noqa: F401
        import numpy  # noqa: F401
        import onnx  # noqa: F401
        import sentencepiece  # noqa: F401
    except ImportError:
        subprocess.run([venv_python(), str(Path(__file__).resolve()), "build", str(packages_dir),
                        *(f"{a}:{b}" for a, b in pairs)], check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "ORT_DISABLE_TELEMETRY": "1"})
        return Path(packages_dir)
    return make_packages_dir(packages_dir, pairs)


# --------------------------------------------------------------------------
# serving


def libretranslate_executable() -> str:
    candidates = [os.environ.get("L10N_LIBRETRANSLATE"), str(DEFAULT_VENV / "bin" / "libretranslate"),
                  shutil.which("libretranslate")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError("no libretranslate executable: set L10N_LIBRETRANSLATE or create " + str(DEFAULT_VENV))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(state: Path, packages_dir: Path, intra_threads: int = 1, inter_threads: int = 1,
               beam_size: int | None = None, extra: dict[str, str] | None = None, quiet: bool = True,
               guard: bool = True) -> dict[str, str]:
    """A clean environment: nothing inherited but PATH, everything under ``state``."""
    home = state / "home"
    site = state / "site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": str(home),
        # argostranslate/settings.py: data (packages, minisbd cache, index.json), config, cache dirs
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(state / "tmp"),  # libretranslate's translate_file upload dir
        "ARGOS_PACKAGES_DIR": str(Path(packages_dir).resolve()),
        # where an index update would go (never with >= 2 packages and no --update-models)
        "ARGOS_PACKAGE_INDEX": _DEAD_END + "/",
        "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_CHUNK_TYPE": "MINISBD",
        "ARGOS_INTRA_THREADS": str(intra_threads),
        "ARGOS_INTER_THREADS": str(inter_threads),
        # onnxruntime (>= 1.2x, Linux) otherwise resolves mobile.events.data.microsoft.com (1DS telemetry)
        "ORT_DISABLE_TELEMETRY": "1",
        # anything else in Python that reaches for the network (urllib, requests) hits a closed port
        "http_proxy": _DEAD_END, "https_proxy": _DEAD_END, "HTTP_PROXY": _DEAD_END, "HTTPS_PROXY": _DEAD_END,
        "all_proxy": _DEAD_END, "ALL_PROXY": _DEAD_END, "no_proxy": "", "NO_PROXY": "",
    }
    if guard or quiet:
        env["PYTHONPATH"] = str(site)
    if guard:
        env["L10N_NETWORK_LOG"] = str(state / "network-attempts.log")
    if quiet:
        env["L10N_QUIET_ARGOS"] = "1"
    if beam_size is not None:
        env["ARGOS_BEAM_SIZE"] = str(beam_size)
    env.update(extra or {})
    for path in (home, state / "tmp", Path(env["XDG_DATA_HOME"]), Path(env["XDG_CONFIG_HOME"]), Path(env["XDG_CACHE_HOME"])):
        path.mkdir(parents=True, exist_ok=True)
    return env


class Server:
    """A running LibreTranslate (what ``serve`` yields besides the URL)."""

    def __init__(self, process: subprocess.Popen, url: str, state: Path, log: Path, startup_seconds: float):
        self.process, self.url, self.state, self.log, self.startup_seconds = process, url, state, log, startup_seconds

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def network_attempts(self) -> list[str]:
        """What the server's Python tried to reach beyond loopback (refused)."""
        path = self.state / "network-attempts.log"
        return path.read_text().splitlines() if path.exists() else []


def _get(url: str, timeout: float = 2.0) -> int:
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=timeout) as response:
        return response.status


@contextlib.contextmanager
def start(packages_dir: Path, args: Sequence[str] = (), *, port: int | None = None, threads: int = 4,
          intra_threads: int = 1, inter_threads: int = 1, beam_size: int | None = None,
          env: dict[str, str] | None = None, timeout: float = 60.0, wrapper: Sequence[str] = (),
          state_dir: Path | None = None, keep_state: bool = False, quiet: bool = True,
          guard: bool = True, web_ui: bool = False) -> Iterator[Server]:
    """Start LibreTranslate, yield a ``Server`` once ``/health`` answers, stop it on exit.

    ``args`` are extra command-line options (``--req-limit 5``...);
    ``wrapper`` is put before the command (e.g. ``["strace", "-f", ...]``);
    ``threads`` is waitress's worker count (``--threads``), ``intra_threads``
    and ``inter_threads`` CTranslate2's (ARGOS_INTRA_THREADS: keep 1, the
    default 0 ran 5-15x slower on 2 cores), ``beam_size`` ARGOS_BEAM_SIZE
    (argostranslate's default 4; 1 is greedy and faster, same output for the
    copy model); ``quiet`` drops argostranslate's per-request INFO log lines;
    ``guard`` refuses and records non-loopback access from Python.
    """
    packages_dir = Path(packages_dir)
    if len([p for p in packages_dir.iterdir() if p.is_dir()]) < 2:
        raise ValueError(f"{packages_dir}: install at least 2 packages, or LibreTranslate goes online")
    state = Path(state_dir or tempfile.mkdtemp(prefix="libretranslate-"))
    state.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    command = [*wrapper, libretranslate_executable(), "--host", "127.0.0.1", "--port", str(port),
               "--threads", str(threads), *([] if web_ui else ["--disable-web-ui"]), *args]
    log = state / "server.log"
    started = time.monotonic()
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            command, cwd=state, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
            env=server_env(state, packages_dir, intra_threads, inter_threads, beam_size, env, quiet, guard),
            start_new_session=True)  # its own process group: stopped as a whole
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"libretranslate exited with {process.returncode}:\n{log.read_text(errors='replace')}")
            try:
                if _get(url + "/health") == 200:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"libretranslate not ready after {timeout}s:\n{log.read_text(errors='replace')}")
            time.sleep(0.05)
        yield Server(process, url, state, log, time.monotonic() - started)
    finally:
        _stop(process)
        if not keep_state and state_dir is None:
            shutil.rmtree(state, ignore_errors=True)


def _stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def serve(packages_dir: Path, args: Sequence[str] = (), **kwargs) -> Iterator[str]:
    """``with serve(packages) as base_url: ...``: a LibreTranslate at ``base_url``."""
    with start(packages_dir, args, **kwargs) as server:
        yield server.url


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "build":
        pairs = [tuple(p.split(":")) for p in argv[2:]] or [("en", "es"), ("es", "en")]
        print(make_packages_dir(Path(argv[1]), pairs))
        return 0
    if len(argv) >= 2 and argv[0] == "serve":
        with start(Path(argv[1]), argv[2:]) as server:
            print(f"{server.url} (ready in {server.startup_seconds:.2f}s; log {server.log}); Ctrl-C stops", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                server.process.wait()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
