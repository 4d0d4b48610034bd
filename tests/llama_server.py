"""Start/stop a real llama-cpp-python OpenAI-compatible server for tests.

    from server import serve
    with serve(model_path) as base_url:      # e.g. "http://127.0.0.1:41234/v1"
        requests.post(base_url + "/chat/completions", json={...})

Several models at once (one server; the request's "model" field picks one,
llama-cpp-python swaps the loaded model on demand):

    with serve_models({"a": path_a, "b": path_b}) as base_url: ...
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator, Mapping, Optional, Sequence, Union

__all__ = ["serve", "serve_models", "ServerStartError"]

PathLike = Union[str, "os.PathLike[str]"]


class ServerStartError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _model_settings(model_path: PathLike, alias: Optional[str], n_ctx: int, n_threads: int) -> dict:
    settings = {
        "model": str(model_path),
        "n_ctx": n_ctx,
        "n_batch": 512,
        "n_threads": n_threads,
        "n_threads_batch": n_threads,
        "verbose": False,
    }
    if alias is not None:
        settings["model_alias"] = alias
    return settings


def _wait_ready(proc: subprocess.Popen, url: str, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise ServerStartError(
                f"llama_cpp.server exited with code {proc.returncode}:\n{_tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(url + "/models", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            raise ServerStartError(f"llama_cpp.server not ready after {timeout}s:\n{_tail(log_path)}")
        time.sleep(0.05)


def _tail(path: Path, n: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return ""


def _stop(proc: subprocess.Popen, grace: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace)


@contextlib.contextmanager
def _run(make_argv, *, n_threads: int, python: str, startup_timeout: float,
         log_file: Optional[PathLike], attempts: int = 3) -> Iterator[str]:
    """make_argv(port, tmpdir) -> argv after ``python -m llama_cpp.server``."""
    with tempfile.TemporaryDirectory(prefix="llama-server-") as tmp:
        tmp_path = Path(tmp)
        log_path = Path(log_file) if log_file else tmp_path / "server.log"
        # llama_cpp.server's __main__ lets HOST, PORT and CONFIG_FILE from the
        # environment override the command line: never inherit them.
        env = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "CONFIG_FILE")}
        env.setdefault("OMP_NUM_THREADS", str(n_threads))
        last_error: Optional[Exception] = None
        for _ in range(attempts):  # retry if the free port got taken meanwhile
            port = _free_port()
            argv = [python, "-m", "llama_cpp.server", *make_argv(port, tmp_path)]
            with open(log_path, "ab") as log:
                proc = subprocess.Popen(
                    argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    env=env, start_new_session=True,
                )
            base_url = f"http://127.0.0.1:{port}/v1"
            try:
                _wait_ready(proc, base_url, startup_timeout, log_path)
            except ServerStartError as e:
                _stop(proc)
                last_error = e
                if "address already in use" in str(e).lower():
                    continue
                raise
            try:
                yield base_url
            finally:
                _stop(proc)
            return
        raise last_error  # type: ignore[misc]


def serve(model_path: PathLike, *, alias: Optional[str] = None, n_ctx: int = 16384,
          n_threads: int = 1, python: str = sys.executable, startup_timeout: float = 60.0,
          log_file: Optional[PathLike] = None, extra_args: Sequence[str] = ()):
    """Context manager: run ``python -m llama_cpp.server --model PATH --host 127.0.0.1 --port N ...``
    on a free port; yields the OpenAI base URL ``http://127.0.0.1:N/v1``; stops the server on exit."""

    def argv(port: int, _tmp: Path):
        args = [
            "--model", str(model_path),
            "--host", "127.0.0.1", "--port", str(port),
            "--n_ctx", str(n_ctx), "--n_batch", "512",
            "--n_threads", str(n_threads), "--n_threads_batch", str(n_threads),
            "--verbose", "false",
            "--interrupt_requests", "false",
        ]
        if alias:
            args += ["--model_alias", alias]
        return args + list(extra_args)

    return _run(argv, n_threads=n_threads, python=python, startup_timeout=startup_timeout,
                log_file=log_file)


def serve_models(models: Mapping[str, PathLike], *, n_ctx: int = 16384, n_threads: int = 1,
                 python: str = sys.executable, startup_timeout: float = 60.0,
                 log_file: Optional[PathLike] = None):
    """One server for several models (alias -> path), through ``--config_file``; the request's
    "model" field picks the model (llama-cpp-python reloads on a switch, a few ms for these
    fixtures).  Yields the OpenAI base URL ``http://127.0.0.1:N/v1``."""

    def argv(port: int, tmp: Path):
        config = {
            "host": "127.0.0.1",
            "port": port,
            "interrupt_requests": False,
            "models": [_model_settings(p, alias, n_ctx, n_threads) for alias, p in models.items()],
        }
        cfg = tmp / f"config-{port}.json"
        cfg.write_text(json.dumps(config))
        return ["--config_file", str(cfg)]

    return _run(argv, n_threads=n_threads, python=python, startup_timeout=startup_timeout,
                log_file=log_file)
