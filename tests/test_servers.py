"""Server engines against real servers on 127.0.0.1: LibreTranslate serving the
fixture's Argos packages, and llama.cpp's OpenAI-compatible server with a GGUF
model built here that answers one fixed text (tests/gguf_model.py).

Both servers live in virtual environments of their own that ``.ci/run``
installs (``~/.cache/l10n-servers``; ``L10N_SERVERS`` moves it), because their
pins clash with the project's. A throttling or failing server is a small
proxy in front of the real one.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import fake_servers
import libre_server
import llama_server
import pytest
from conftest import copy_example_site
from helpers import assert_same_structure, invoke, records

from l10n import markdown
from l10n.engines.libretranslate import LibreTranslateEngine
from l10n.engines.openai import OpenAIEngine
from l10n.engines.server import Server, TooBigError
from l10n.errors import EngineError, RefusedError
from l10n.markdown import tags

HERE = Path(__file__).resolve().parent
LLAMA_PYTHON = os.environ.get("L10N_LLAMA_PYTHON") or str(libre_server.SERVERS / "llama" / "bin" / "python")


def _need(path: str, what: str) -> None:
    if not os.access(path, os.X_OK):
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"{what} is not installed at {path} (.ci/run installs it)")


# --------------------------------------------------------------------------
# Servers


@pytest.fixture(scope="session")
def libretranslate(tmp_path_factory):
    """A LibreTranslate serving en->es and es->en copy models: its base URL."""
    try:
        executable = libre_server.libretranslate_executable()
    except FileNotFoundError:
        executable = str(libre_server.DEFAULT_VENV / "bin" / "libretranslate")
    _need(executable, "LibreTranslate")
    packages = libre_server.ensure_packages(tmp_path_factory.mktemp("libre-packages"))
    with libre_server.serve(packages) as url:
        yield url


@contextmanager
def llama(tmp_path: Path, reply: str):
    """llama.cpp's server with a model that answers ``reply`` to anything: its /v1 URL."""
    _need(LLAMA_PYTHON, "llama-cpp-python's server")
    model = tmp_path / "fixed.gguf"
    subprocess.run([LLAMA_PYTHON, str(HERE / "gguf_model.py"), str(model), reply], check=True, capture_output=True)
    with llama_server.serve(model, alias="fixed", python=LLAMA_PYTHON) as url:
        yield url


class _Proxy(http.server.ThreadingHTTPServer):
    """Forwards to a real server; first answers the statuses in ``script`` (429, 500...)."""

    def __init__(self, upstream: str, script: list[int]):
        self.upstream = re.match(r"https?://[^/]+", upstream).group(0)  # paths go through as they come
        self.script, self.seen = list(script), []
        super().__init__(("127.0.0.1", 0), _Forward)


class _Forward(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, method: str) -> None:
        server: _Proxy = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server.seen.append((method, self.path, body))
        if server.script:
            status = server.script.pop(0)
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Type", "application/json")
            data = json.dumps({"error": {"message": f"scripted {status}"}}).encode()
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        request = urllib.request.Request(server.upstream + self.path, data=body if method == "POST" else None,
                                         method=method, headers={"Content-Type": "application/json"})
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=60) as response:
            data = response.read()
            self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._answer("GET")

    def do_POST(self):
        self._answer("POST")


@contextmanager
def proxy(upstream: str, script: list[int] = ()):
    server = _Proxy(upstream, list(script))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        path = upstream.split("://", 1)[1].split("/", 1)[1] if "/" in upstream.split("://", 1)[1] else ""
        yield server, f"http://{host}:{port}" + (f"/{path}" if path else "")
    finally:
        server.shutdown()
        server.server_close()


def site_with(tmp_path: Path, settings: str) -> Path:
    os.environ.pop("L10N_ENGINE", None)  # the file names the engine (the environment would win over it)
    site = copy_example_site(tmp_path / "site")
    toml = site / "l10n.toml"
    toml.write_text(re.sub(r'engine = "\w+"\n', "", toml.read_text(encoding="utf-8")) + "\n" + settings,
                    encoding="utf-8")
    return site


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


# --------------------------------------------------------------------------
# LibreTranslate


def test_libretranslate_translates_a_site_as_argos_does_in_process(runner, libretranslate, tmp_path, monkeypatch):
    """The same Argos model, on a server and in process, gives the same files."""
    site = site_with(tmp_path, f'[libretranslate]\nurl = "{libretranslate}"\nconcurrency = 4\n')
    monkeypatch.chdir(site)
    with proxy(libretranslate) as (counter, url):
        (site / "l10n.toml").write_text((site / "l10n.toml").read_text().replace(libretranslate, url))
        result = invoke(runner, "translate", "--engine", "libretranslate")
        assert result.exit_code == 0, result.output
        sent = [json.loads(body) for method, path, body in counter.seen if path == "/translate"]
        assert sent and all(set(p) == {"q", "source", "target", "format"} and p["format"] == "text" for p in sent)
        assert len({p["q"] for p in sent}) == len(sent)  # each distinct sentence once
        assert sum(1 for _m, path, _b in counter.seen if path == "/languages") == 1
        # a rerun: the memory answers, the server is not asked
        before = len(counter.seen)
        assert invoke(runner, "translate", "--engine", "libretranslate", "--force").exit_code == 0
        assert [p for _m, p, _b in counter.seen[before:] if p == "/translate"] == []
    served = contents(site / "content")
    # the same packages, in process
    twin = copy_example_site(tmp_path / "twin")
    monkeypatch.chdir(twin)
    packages = tmp_path / "argos"
    libre_server.ensure_packages(packages)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    assert invoke(runner, "translate", "--engine", "argos").exit_code == 0
    assert contents(twin / "content") == served
    page = (site / "content" / "getting-started.es.md").read_text(encoding="utf-8")
    assert_same_structure((site / "content" / "getting-started.md").read_text(encoding="utf-8").split("---", 2)[2],
                          page.split("---", 2)[2])


def test_libretranslate_missing_pair_and_server_down_are_one_clear_error(runner, libretranslate, tmp_path,
                                                                        monkeypatch):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    (site / "l10n.toml").write_text(f'source = "en"\ntargets = ["es"]\n[libretranslate]\nurl = "{libretranslate}"\n',
                                    encoding="utf-8")
    monkeypatch.chdir(site)
    result = invoke(runner, "translate", "--engine", "libretranslate", "--to", "fr")
    assert result.exit_code == 2
    assert f"libretranslate at {libretranslate} has no en->fr model (it offers en->es, es->en)" in result.output
    (site / "l10n.toml").write_text((site / "l10n.toml").read_text().replace(libretranslate, "http://127.0.0.1:9")
                                    + "retries = 1\n")
    result = invoke(runner, "translate", "--engine", "libretranslate")
    assert result.exit_code != 0
    assert "libretranslate at http://127.0.0.1:9/languages: cannot connect" in result.output
    assert not list((site / "content").rglob("*.es.md"))  # nothing written


def test_no_url_no_request(runner, tmp_path, monkeypatch):
    site = site_with(tmp_path, "")
    monkeypatch.chdir(site)
    for engine in ("libretranslate", "openai"):
        result = invoke(runner, "translate", "--engine", engine)
        assert result.exit_code != 0
        assert f"no server URL; set [{engine}] url in l10n.toml" in result.output


def test_libretranslate_retries_429_and_500(runner, libretranslate, tmp_path, monkeypatch):
    with proxy(libretranslate, [429, 500, 503]) as (counter, url):
        site = site_with(tmp_path, f'[libretranslate]\nurl = "{url}"\nconcurrency = 1\n')
        monkeypatch.chdir(site)
        result = invoke(runner, "translate", "--engine", "libretranslate", "content/getting-started.md")
        assert result.exit_code == 0, result.output
        assert counter.script == [] and (site / "content" / "getting-started.es.md").exists()


# --------------------------------------------------------------------------
# OpenAI-compatible: llama.cpp's server


ARTICLE = """\
---
lang: en
---

# Welcome

Read the **manual** before you run `l10n init`.

It is [here](https://example.org/manual) and on paper.
"""


def _openai_site(tmp_path: Path, url: str, extra: str = "") -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    (site / "l10n.toml").write_text(f'source = "en"\ntargets = ["es"]\n\n[openai]\nurl = "{url}"\n'
                                    f'model = "fixed"\nretries = 1\n{extra}', encoding="utf-8")
    return site


def _sent() -> list[str]:
    """What l10n sends the engine for ARTICLE: its tagged segments."""
    return [tags.engine_text(s) for s in markdown.parse(ARTICLE).segments()]


def test_openai_translates_through_a_real_server(runner, tmp_path, monkeypatch):
    sent = _sent()
    assert sent == ["Welcome", "Read the <g1>manual</g1> before you run <x1/>.",
                    "It is <g1>here</g1> and on paper."]
    reply = json.dumps({"1": "Bienvenida", "2": "Lea el <g1>manual</g1> antes de ejecutar <x1/>.",
                        "3": "Está <g1>aquí</g1> y en papel."}, ensure_ascii=False)
    with llama(tmp_path, reply) as upstream, proxy(upstream) as (counter, url):
        site = _openai_site(tmp_path, url, "seed = 7\n")
        monkeypatch.chdir(site)
        result = invoke(runner, "translate", "--engine", "openai")
        assert result.exit_code == 0, result.output
        page = (site / "content" / "post.es.md").read_text(encoding="utf-8")
        assert "# Bienvenida" in page
        assert "Lea el **manual** antes de ejecutar `l10n init`." in page
        assert "Está [aquí](https://example.org/manual) y en papel." in page
        chats = [json.loads(b) for _m, p, b in counter.seen if p.endswith("/chat/completions")]
        assert len(chats) == 1
        body = chats[0]
        assert body["temperature"] == 0 and body["seed"] == 7 and body["model"] == "fixed"
        assert json.loads(body["messages"][1]["content"]) == {"1": sent[0], "2": sent[1], "3": sent[2]}
        assert "from en into es" in body["messages"][0]["content"]
        assert re.search(r"openai: 1 requests, [\d,]+ tokens sent, [\d,]+ received", result.output)
        # llama.cpp's server gives log-probabilities only with top_logprobs; the fixed model is sure
        assert body["logprobs"] is True and body["top_logprobs"] == 1
        assert records(site)["targets"]["content/post.es.md"]["confidence"] == "100 100 100"
        # the memory in front: a rerun asks nothing
        assert invoke(runner, "translate", "--engine", "openai", "--force").exit_code == 0
        assert len([p for _m, p, _b in counter.seen if p.endswith("/chat/completions")]) == 1


def test_openai_confidence_is_each_values_mean_token_logprob():
    """Each value's tokens, found by their bytes in the reply; a reply the tokens do not spell gives none."""
    from l10n.engines.openai import value_logprobs

    content = '{"1": "Hola", "2": "Adiós ñu"}'
    pieces = ['{"1": "', "Hola", '", "2": "', "Adi", "ós", " ñu", '"}']
    logprobs = [0.0, -0.1, 0.0, -2.0, -1.0, -3.0, 0.0]
    tokens = [{"token": t, "logprob": lp} for t, lp in zip(pieces, logprobs)]
    found = value_logprobs(content, tokens, {"1": "Hola", "2": "Adiós ñu"})
    assert found["1"] == pytest.approx((0.0 - 0.1 + 0.0) / 3)  # the quotes' tokens touch the value
    assert found["2"] == pytest.approx((0.0 - 2.0 - 1.0 - 3.0 + 0.0) / 5)
    tokens[3] = {"bytes": list("Adi".encode()), "logprob": -2.0}
    assert value_logprobs(content, tokens, {"1": "Hola", "2": "Adiós ñu"}) == found
    assert value_logprobs(content, tokens[:-1], {"1": "Hola"}) == {}  # they do not spell the reply
    assert value_logprobs(content, [{"token": content, "logprob": "x"}], {"1": "Hola"}) == {}


def test_openai_wrong_replies_are_asked_again_then_one_by_one(runner, tmp_path, monkeypatch):
    # id 3 missing, id 2's tags broken: both asked again together, then one per request
    reply = json.dumps({"1": "Bienvenida", "2": "Lea el manual antes de ejecutar."}, ensure_ascii=False)
    with llama(tmp_path, reply) as upstream, proxy(upstream) as (counter, url):
        site = _openai_site(tmp_path, url)
        monkeypatch.chdir(site)
        result = invoke(runner, "translate", "--engine", "openai")
        assert result.exit_code == 0, result.output
        chats = [json.loads(json.loads(b)["messages"][1]["content"]) for _m, p, b in counter.seen
                 if p.endswith("/chat/completions")]
        assert len(chats[0]) == 3 and len(chats[1]) == 2 and all(len(c) == 1 for c in chats[2:4])
        page = (site / "content" / "post.es.md").read_text(encoding="utf-8")
        # what came back broken went the plain way: the markup is all there
        assert_same_structure(ARTICLE.split("---", 2)[2], page.split("---", 2)[2])
        assert "# Bienvenida" in page


def test_openai_reply_that_is_not_json_writes_nothing(runner, tmp_path, monkeypatch):
    with llama(tmp_path, "Sorry, I cannot help with that.") as url:
        site = _openai_site(tmp_path, url)
        monkeypatch.chdir(site)
        result = invoke(runner, "translate", "--engine", "openai")
        assert result.exit_code == 1
        assert f"openai at {url}: the model gave no usable translation" in result.output
        assert not (site / "content" / "post.es.md").exists()


def test_openai_throttled_and_failing_server_costs_retries(runner, tmp_path, monkeypatch):
    reply = json.dumps({"1": "Bienvenida", "2": "Lea el <g1>manual</g1> antes de ejecutar <x1/>.",
                        "3": "Está <g1>aquí</g1> y en papel."}, ensure_ascii=False)
    with llama(tmp_path, reply) as upstream, proxy(upstream, [429, 500]) as (counter, url):
        site = _openai_site(tmp_path, url)
        (site / "l10n.toml").write_text((site / "l10n.toml").read_text().replace("retries = 1", "retries = 3"))
        monkeypatch.chdir(site)
        result = invoke(runner, "translate", "--engine", "openai")
        assert result.exit_code == 0, result.output
        assert counter.script == [] and len(counter.seen) == 3
        assert "Lea el **manual**" in (site / "content" / "post.es.md").read_text(encoding="utf-8")
    with llama(tmp_path, reply) as upstream, proxy(upstream, [500, 500, 500, 500]) as (counter, url):
        site2 = tmp_path / "second"
        site2.mkdir()
        site = _openai_site(site2, url)
        monkeypatch.chdir(site)
        result = invoke(runner, "translate", "--engine", "openai")
        assert result.exit_code == 1
        assert "HTTP 500: scripted 500 after 2 tries" in result.output
        assert not (site / "content" / "post.es.md").exists()


def test_a_redirect_is_refused_and_no_key_goes_elsewhere(monkeypatch):
    class Redirect(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "secret")
    from l10n.engines.libretranslate import LibreTranslateEngine
    from l10n.errors import EngineError

    try:
        engine = LibreTranslateEngine(f"http://127.0.0.1:{server.server_address[1]}", retries=0)
        with pytest.raises(EngineError, match="HTTP 302.*redirected to http://127.0.0.1:9/elsewhere"):
            engine.languages()
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------
# Hostile servers (tests/fake_servers.py): keys, time and size bounds, wrong answers


TWO_PAGES = {"first.md": "---\ntitle: First\n---\n\nThe first page.\n",
             "second.md": "---\ntitle: Second\n---\n\nThe second page, which is longer.\n"}


def _fake_site(tmp_path: Path, section: str, url: str, extra: str = "") -> Path:
    os.environ.pop("L10N_ENGINE", None)  # the file names the engine (the environment would win over it)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    for name, text in TWO_PAGES.items():
        (site / "content" / name).write_text(text, encoding="utf-8")
    model = 'model = "m"\n' if section == "openai" else ""
    retries = "" if "retries" in extra else "retries = 0\n"
    (site / "l10n.toml").write_text(f'source = "en"\ntargets = ["es"]\nengine = "{section}"\n\n[{section}]\n'
                                    f'url = "{url}"\n{model}{retries}{extra}', encoding="utf-8")
    return site


def _subprocess(site: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k != "L10N_ENGINE"}
    environment["PYTHONPATH"] = str(HERE.parent)
    environment.update(env or {})
    return subprocess.Popen([sys.executable, "-m", "l10n", *args], cwd=site, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _written(site: Path) -> list[str]:
    return sorted(p.name for p in (site / "content").glob("*.es.md"))


@pytest.mark.parametrize("section", ["libretranslate", "openai"])
@pytest.mark.parametrize("variable", ["MY_CI_SECRET", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "OPENAI_API_KEY_FILE"])
def test_l10n_toml_cannot_send_any_variable_as_a_key(runner, tmp_path, monkeypatch, section, variable):
    monkeypatch.setenv(variable, "s3cret-value")
    with fake_servers.serve(fake_servers.libre()) as srv:
        site = _fake_site(tmp_path, section, srv.url, f'key_env = "{variable}"\n')
        monkeypatch.chdir(site)
        result = invoke(runner, "translate")
        assert result.exit_code == 2
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"l10n: error: {site / 'l10n.toml'}: [{section}] key_env = ")
        assert f"set L10N_{section.upper()}_KEY_ENV={variable} in the environment" in lines[0]
        assert "s3cret-value" not in result.output and srv.seen == []


@pytest.mark.parametrize("section", ["libretranslate", "openai"])
def test_a_key_comes_from_the_engines_variable_one_named_api_key_or_the_users_choice(runner, tmp_path, monkeypatch,
                                                                                    section):
    behaviour = fake_servers.libre() if section == "libretranslate" else fake_servers.openai()
    default = f"{section.upper()}_API_KEY"
    with fake_servers.serve(behaviour) as srv:
        site = _fake_site(tmp_path, section, srv.url)
        monkeypatch.chdir(site)
        monkeypatch.setenv(default, "usual-key")
        monkeypatch.setenv("TEAM_MT_API_KEY", "team-key")
        monkeypatch.setenv("MY_CI_SECRET", "users-key")
        keys = []
        for settings, env in [("", {}), ('key_env = "TEAM_MT_API_KEY"\n', {}),
                              ('key_env = "TEAM_MT_API_KEY"\n', {f"L10N_{section.upper()}_KEY_ENV": "MY_CI_SECRET"})]:
            (site / "l10n.toml").write_text(re.sub(r'key_env = .*\n', "", (site / "l10n.toml").read_text()) + settings)
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            before = len(srv.seen)
            (site / ".l10n" / "memory.sqlite").unlink(missing_ok=True)  # else the memory answers
            assert invoke(runner, "translate", "--force").exit_code == 0
            keys.append({r.key for r in srv.seen[before:] if not r.path.endswith("/languages")})
        assert keys == [{"usual-key"}, {"team-key"}, {"users-key"}]


@pytest.mark.parametrize("section", ["libretranslate", "openai"])
def test_a_server_that_echoes_the_key_never_prints_it_and_stops_the_run(runner, tmp_path, monkeypatch, section):
    key = "ghp_" + "Z9" * 18
    monkeypatch.setenv(f"{section.upper()}_API_KEY", key)
    behaviour = fake_servers.on("/languages", fake_servers.answer(fake_servers.LANGUAGES), fake_servers.echo_key(401))
    with fake_servers.serve(behaviour) as srv:
        site = _fake_site(tmp_path, section, srv.url, "concurrency = 1\nretries = 3\n")
        monkeypatch.chdir(site)
        for args in ((), ("--json",)):
            result = invoke(runner, "translate", "--force", *args)
            assert result.exit_code == 1
            assert key not in result.output and "ghp_Z9" not in result.output
            assert "HTTP 401: invalid key: Bearer [key]" in result.output and "the run stops" in result.output
        assert len([r for r in srv.seen if not r.path.endswith("/languages")]) == 2  # one a run, never retried
        assert _written(site) == []
        assert not list((site / ".l10n").glob("journal.*"))


def test_ctrl_c_ends_a_run_at_once_whatever_is_in_flight(tmp_path):
    """SIGINT while four requests hang (60 s deadline): the process ends with 130 well before
    that, writes nothing half-done, and the next run finishes the work."""
    with fake_servers.serve(fake_servers.on("/languages", fake_servers.libre(), fake_servers.hang)) as srv:
        site = _fake_site(tmp_path, "libretranslate", srv.url, "timeout = 60\nconcurrency = 4\n")
        process = _subprocess(site, "translate")
        try:
            assert fake_servers.eventually(lambda: len(srv.requests("/translate")) >= 2)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)  # far less than the 60 s deadline
        finally:
            process.kill()
        assert process.returncode == 130, err
        assert "l10n: interrupted" in err and "Traceback" not in err and "Aborted" not in err
        assert _written(site) == [] and not list((site / ".l10n").glob("journal.*"))
        records(site)  # the state reads back whole
        assert fake_servers.eventually(lambda: len(srv.closed) == len(srv.requests("/translate")))  # cut, not left hanging
        srv.behaviour = fake_servers.libre()
        process = _subprocess(site, "translate")
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert _written(site) == ["first.es.md", "second.es.md"]


def test_an_http_400_ends_the_process_at_once(tmp_path):
    refused = fake_servers.status(400, {"error": "Invalid request: unsupported format"})
    # three of the four texts' requests hang (a 60 s deadline), the fourth is refused
    behaviour = fake_servers.on("/languages", fake_servers.libre(), fake_servers.first(3, fake_servers.hang, refused))
    with fake_servers.serve(behaviour) as srv:
        site = _fake_site(tmp_path, "libretranslate", srv.url, "timeout = 60\nconcurrency = 4\n")
        process = _subprocess(site, "translate")
        try:
            out, err = process.communicate(timeout=30)  # not at the hanging requests' 60 s deadline
        finally:
            process.kill()
    assert process.returncode == 1
    assert f"libretranslate at {srv.url}/translate: HTTP 400: Invalid request: unsupported format; the run stops" in err
    assert "Traceback" not in err and _written(site) == []


def test_a_server_that_drips_is_cut_at_the_timeout(tmp_path):
    """One byte every half second, for ever: the request ends at its 2 s timeout."""
    with fake_servers.serve(fake_servers.on("/languages", fake_servers.libre(), fake_servers.drip(0.5))) as srv:
        site = _fake_site(tmp_path, "libretranslate", srv.url, "timeout = 2\n")
        process = _subprocess(site, "translate")
        try:
            out, err = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode == 1
    assert f"libretranslate at {srv.url}/translate: no complete answer within 2 s" in err
    assert _written(site) == []


@pytest.mark.parametrize("broken", [fake_servers.cut, fake_servers.silent_close],
                         ids=["IncompleteRead", "RemoteDisconnected"])
def test_a_connection_closed_mid_answer_is_tried_again(runner, tmp_path, monkeypatch, broken):
    behaviour = fake_servers.on("/languages", fake_servers.libre(), fake_servers.first(1, broken, fake_servers.libre()))
    with fake_servers.serve(behaviour) as srv:
        site = _fake_site(tmp_path, "libretranslate", srv.url, "retries = 1\nconcurrency = 1\n")
        monkeypatch.chdir(site)
        result = invoke(runner, "translate")
        assert result.exit_code == 0, result.output
        assert _written(site) == ["first.es.md", "second.es.md"]


def test_openai_usage_that_is_not_a_number_keeps_the_translations(runner, tmp_path, monkeypatch):
    behaviour = fake_servers.openai(lambda text: text.replace("page", "página"), usage={"prompt_tokens": "many"})
    with fake_servers.serve(behaviour) as srv:
        site = _fake_site(tmp_path, "openai", srv.url)
        monkeypatch.chdir(site)
        result = invoke(runner, "translate")
        assert result.exit_code == 0, result.output
        assert "The first página." in (site / "content" / "first.es.md").read_text(encoding="utf-8")
        assert re.search(r"openai: \d+ requests, 0 tokens sent, 0 received", result.output)


def test_a_translation_many_times_its_source_fails_its_file_alone(runner, tmp_path, monkeypatch):
    long_answer = lambda q: ("ES " + q) if "second" not in q else "bla " * 5000  # noqa: E731
    with fake_servers.serve(fake_servers.libre(long_answer)) as srv:
        site = _fake_site(tmp_path, "libretranslate", srv.url)
        monkeypatch.chdir(site)
        result = invoke(runner, "translate")
        assert result.exit_code == 1
        assert _written(site) == ["first.es.md"]
        assert re.search(r"second\.es\.md: failed: the engine's translation of a text of 33 characters has 20,000, "
                         r"more than l10n takes \(3 times the text plus 40: 139\) \(source line 5\)", result.output)
        assert "bla bla" not in (site / ".l10n" / "memory.sqlite").read_bytes().decode("utf-8", "replace")


def test_answers_of_many_megabytes_are_not_read(runner, tmp_path, monkeypatch):
    huge = fake_servers.on("/languages", fake_servers.libre(), fake_servers.huge(20 * 1024 * 1024))
    with fake_servers.serve(huge) as srv:
        site = _fake_site(tmp_path, "libretranslate", srv.url, "concurrency = 1\n")
        monkeypatch.chdir(site)
        result = invoke(runner, "translate")
        assert result.exit_code == 1
        assert "more than l10n reads for this request" in result.output
        assert _written(site) == []
        assert (site / ".l10n" / "memory.sqlite").stat().st_size < 1024 * 1024


def test_languages_of_the_wrong_shape_are_one_line(runner, tmp_path, monkeypatch):
    with fake_servers.serve(fake_servers.answer([{"code": "en", "targets": 5}])) as srv:
        site = _fake_site(tmp_path, "libretranslate", srv.url)
        monkeypatch.chdir(site)
        result = invoke(runner, "translate")
        assert result.exit_code == 2
        assert result.output.startswith(f"l10n: error: es: libretranslate at {srv.url}/languages: language 1 is not a "
                                        "code with a list of target codes")
        assert "Traceback" not in result.output and "TypeError" not in result.output


# --------------------------------------------------------------------------
# Keys, refusals and answers of the wrong shape (tests/fake_servers.py)


def _server(url: str, **settings) -> Server:
    settings = {"timeout": 1, "retries": 0, "retry_wait": 0.01, **settings}
    return Server(url, name="libretranslate", setting="[libretranslate] url", **settings)


def test_408_is_tried_again_and_other_4xx_stop_at_once():
    with fake_servers.serve(fake_servers.first(1, fake_servers.status(408), fake_servers.libre())) as srv:
        assert _server(srv.url, retries=1).post("/translate", {"q": "Hi."}) == {"translatedText": "ES Hi."}
    for code in (400, 401, 403, 404):
        with fake_servers.serve(fake_servers.status(code, {"error": f"refused with {code}"})) as srv:
            with pytest.raises(RefusedError, match=f"HTTP {code}: refused with {code}; the run stops"):
                _server(srv.url, retries=3).post("/translate", {"q": "Hi."})
            assert len(srv.seen) == 1  # never tried again
    with fake_servers.serve(fake_servers.status(413, {"error": "payload too large"})) as srv:
        with pytest.raises(TooBigError):
            _server(srv.url, retries=3).post("/translate", {"q": "Hi."})


def test_an_echoed_key_is_taken_out_of_every_message(monkeypatch):
    key = "ghp_Secret/0123+456789"
    monkeypatch.setenv("TEST_ECHO_API_KEY", key)
    with fake_servers.serve(fake_servers.echo_key(401)) as srv:
        engine = OpenAIEngine(srv.url, model="m", key_env="TEST_ECHO_API_KEY", retries=0)
        with pytest.raises(RefusedError) as caught:
            engine.translate_batch(["Hello."] * 3, "en", "es")
        assert srv.seen[0].headers["authorization"] == f"Bearer {key}"  # sent, to this server alone
    message = str(caught.value)
    assert "HTTP 401: invalid key: Bearer [key] (api_key=[key])" in message
    assert key not in message and "ghp_Secret" not in message
    s = engine.server
    for echoed in (key, json.dumps(key), urllib.parse.quote(key, safe=""), "x" * 300 + key):
        assert "ghp_Secret" not in s.quote(echoed) and "ghp_Secret" not in s.quote(echoed.encode())
    assert len(s.quote("word " * 1000)) == 200


def test_a_key_that_a_header_cannot_carry_is_refused_without_showing_it(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "ghp_abc\r\nX-Injected: 1")
    with pytest.raises(EngineError) as caught:
        OpenAIEngine("http://127.0.0.1:9", model="m")
    assert "$OPENAI_API_KEY holds characters an HTTP request cannot carry" in str(caught.value)
    assert "ghp_abc" not in str(caught.value)


def test_the_environment_names_the_key_variable(monkeypatch):
    monkeypatch.setenv("MY_CI_SECRET", "s3cret")
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "the-usual")
    assert LibreTranslateEngine("http://127.0.0.1:9").server.key == "the-usual"
    monkeypatch.setenv("L10N_LIBRETRANSLATE_KEY_ENV", "MY_CI_SECRET")
    assert LibreTranslateEngine("http://127.0.0.1:9").server.key == "s3cret"
    assert OpenAIEngine("http://127.0.0.1:9", model="m").server.key is None  # another engine's setting


@pytest.mark.parametrize("languages, says", [
    ([{"code": "en", "targets": 5}], "language 1 is not a code with a list of target codes"),
    ([{"code": "en", "targets": [1, 2]}], "language 1 is not a code with a list of target codes"),
    ([{"code": None, "targets": ["es"]}], "language 1 is not a code"),
    ([None], "language 1 is not a code"),
    ([["en", ["es"]]], "language 1 is not a code"),
    ({"en": ["es"]}, "not a list of languages"),
    (None, "not a list of languages"),
    ("[" * 100_000 + "]" * 100_000, "the answer is nested too deeply to read"),
    ('{"a": ' * 50_000 + "1" + "}" * 50_000, "the answer is nested too deeply to read"),
    ("[" + "9" * 10_000 + "]", "the answer is not JSON"),
    (b"\xff\xfe", "the answer is not JSON"),
])
def test_languages_of_the_wrong_shape_are_one_engine_error(languages, says):
    with fake_servers.serve(fake_servers.answer(languages)) as srv:
        engine = LibreTranslateEngine(srv.url, retries=0)
        with pytest.raises(EngineError) as caught:
            engine.check_pair("en", "es")
    assert says in str(caught.value) and "\n" not in str(caught.value)
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize("answer", [
    {"choices": [{"message": {"content": 5}}]},
    {"choices": {"0": 1}},
    {"choices": []},
    [1, 2],
    {"choices": [{"message": {"content": "[" * 100_000}}]},
])
def test_openai_answers_of_the_wrong_shape_are_one_engine_error(answer):
    with fake_servers.serve(fake_servers.answer(answer)) as srv:
        engine = OpenAIEngine(srv.url, model="m", retries=0)
        with pytest.raises(EngineError) as caught:
            engine.translate_batch(["Hello."], "en", "es")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("usage", [{"prompt_tokens": "many", "completion_tokens": None}, {"prompt_tokens": 1e300},
                                   {"prompt_tokens": [1]}, "lots", {"prompt_tokens": True}])
def test_openai_usage_that_is_not_a_number_keeps_the_answer(usage):
    with fake_servers.serve(fake_servers.openai(lambda text: "Hola.", usage=usage)) as srv:
        engine = OpenAIEngine(srv.url, model="m", retries=0)
        assert engine.translate_batch(["Hello.", "Hello again."], "en", "es") == ["Hola.", "Hola."]
    assert engine.sent_tokens == 0 and engine.received_tokens == 0


def test_openai_401_stops_at_once_instead_of_smaller_batches():
    """40 texts in batches of 20: a refused key is one request, not 2 + 8 + 40."""
    with fake_servers.serve(fake_servers.status(401, {"error": {"message": "invalid api key"}})) as srv:
        engine = OpenAIEngine(srv.url, model="m", retries=0, concurrency=1)
        with pytest.raises(RefusedError, match="HTTP 401: invalid api key; the run stops"):
            engine.translate_batch([f"Text {n}." for n in range(40)], "en", "es")
        assert len(srv.seen) == 1


def test_openai_context_limit_asks_again_in_smaller_requests():
    too_big = fake_servers.status(400, {"error": {"message": "This model's maximum context length is 4096 tokens"}})
    with fake_servers.serve(fake_servers.first(1, too_big, fake_servers.openai(lambda text: "Hola."))) as srv:
        engine = OpenAIEngine(srv.url, model="m", retries=0, concurrency=1)
        assert engine.translate_batch([f"Text {n}." for n in range(8)], "en", "es") == ["Hola."] * 8
        assert [len(json.loads(r.json()["messages"][1]["content"])) for r in srv.seen] == [8, 5, 3]


def test_a_url_that_is_not_one_is_an_engine_error():
    for url in ("http://127.0.0.1:99999", "http://[::1", "ftp://example.org"):
        with pytest.raises(EngineError, match=r"\[libretranslate\] url = "):
            _server(url)
