"""A request within its deadline and size, cut when its batch is cancelled: against
servers on 127.0.0.1 that drip, hang, answer hundreds of megabytes or close mid-answer.

No test asserts a duration (these machines are shared and noisy): a call that
should end is run in a thread given tens of seconds, far beyond what it needs
and far below what the old per-read timeout took, and the test says whether
it ended at all.
"""

from __future__ import annotations

import json
import os
import threading
import tracemalloc

import fake_servers as fake
import pytest

from l10n.engines import transport
from l10n.engines.server import Server, answer_limit
from l10n.errors import EngineError, RefusedError

#: Seconds a call that should end at once (or at its 1-second deadline) is given.
ENDS = 30.0


def ended(call, *args):
    """Run ``call`` in a thread; (whether it ended within ENDS seconds, its result or exception)."""
    out: list = []

    def run():
        try:
            out.append(call(*args))
        except BaseException as exc:  # noqa: BLE001 - the test looks at it
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(ENDS)
    return (not thread.is_alive()), (out[0] if out else None)


def server(url: str, **settings) -> Server:
    settings = {"timeout": 1, "retries": 0, "retry_wait": 0.01, **settings}
    return Server(url, name="libretranslate", setting="[libretranslate] url", **settings)


def test_a_server_that_drips_is_cut_at_the_deadline():
    """One byte a second, for ever: urllib's timeout (per read) never fires; the deadline does."""
    with fake.serve(fake.drip(0.5)) as srv:
        done, result = ended(server(srv.url).get, "/languages")
        assert done, "a dripping answer held the request past its deadline"
        assert isinstance(result, EngineError)
        assert "no complete answer within 1 s" in str(result)
        assert fake.eventually(lambda: srv.closed)  # the connection was closed, not left to drip


def test_a_server_that_drips_its_headers_is_cut_too():
    with fake.serve(fake.drip(0.5, body=b"[]" * 100)) as srv:
        done, result = ended(server(srv.url, timeout=1.5).get, "/languages")
        assert done and isinstance(result, EngineError) and "no complete answer within 1.5 s" in str(result)


def test_a_server_that_never_answers_is_cut_at_the_deadline_and_retried():
    with fake.serve(fake.hang) as srv:
        done, result = ended(server(srv.url, retries=1).get, "/languages")
        assert done and isinstance(result, EngineError)
        assert "no complete answer within 1 s after 2 tries" in str(result)
        assert len(srv.seen) == 2


def test_a_huge_answer_is_not_read_into_memory():
    """200 MB of JSON without a length: read up to the limit, then refused."""
    with fake.serve(fake.huge(200 * 1024 * 1024)) as srv:
        s = server(srv.url, timeout=30)
        tracemalloc.start()
        try:
            done, result = ended(s.post, "/translate", {"q": "Hello."})
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert done and isinstance(result, EngineError)
        assert "more than l10n reads for this request" in str(result)
        limit = answer_limit(len(json.dumps({"q": "Hello."}).encode()))
        assert f"({limit:,} bytes)" in str(result)
        assert peak < 4 * limit  # a few times the limit, never the answer (200 MB)


def test_a_huge_answer_that_says_its_length_is_refused_before_reading():
    with fake.serve(fake.huge(300 * 1024 * 1024, length=True)) as srv:
        done, result = ended(server(srv.url, timeout=30).post, "/translate", {"q": "Hello."})
        assert done and isinstance(result, EngineError)
        assert "the answer is 314,572,800 bytes, more than l10n reads" in str(result)


@pytest.mark.parametrize("broken", [fake.cut, fake.silent_close], ids=["IncompleteRead", "RemoteDisconnected"])
def test_a_connection_closed_mid_answer_is_tried_again(broken):
    with fake.serve(fake.first(2, broken, fake.libre())) as srv:
        s = server(srv.url, retries=2)
        assert s.post("/translate", {"q": "Hello."}) == {"translatedText": "ES Hello."}
        assert s.retried == 2 and len(srv.seen) == 3
    with fake.serve(broken) as srv:
        with pytest.raises(EngineError, match=r"the answer broke off \(\w+\) after 2 tries"):
            server(srv.url, retries=1).post("/translate", {"q": "Hello."})


def test_a_failed_request_cancels_its_batch_at_once():
    """One request gets 400 while three others hang: the batch fails at once, and the
    connections of the hanging ones are closed, not waited for (their deadline is 60 s)."""
    with fake.serve(fake.first(3, fake.hang, fake.status(400, {"error": "bad request"}))) as srv:
        s = server(srv.url, timeout=60, concurrency=4)
        done, result = ended(s.map, lambda q: s.post("/translate", {"q": q}), ["a", "b", "c", "d"])
        assert done and isinstance(result, RefusedError) and "HTTP 400: bad request" in str(result)
        assert len(srv.seen) == 4
        assert fake.eventually(lambda: len(srv.closed) == 3)


def test_a_cancelled_scope_cuts_a_request_in_flight():
    with fake.serve(fake.hang) as srv:
        scope = transport.Scope()
        request = transport.urllib.request.Request(srv.url + "/x")
        threading.Timer(0.5, scope.cancel).start()
        done, result = ended(transport.exchange, transport.opener_for(srv.url), request, 60, 1000, scope)
        assert done and isinstance(result, transport.Cancelled)
        with pytest.raises(transport.Cancelled):  # and nothing new starts in it
            transport.exchange(transport.opener_for(srv.url), request, 60, 1000, scope)


@pytest.fixture
def tls(tmp_path, monkeypatch):
    """A TLS server context, its certificate trusted by the clients made after this."""
    try:
        context, cert = fake.tls_context(tmp_path)
    except FileNotFoundError:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("openssl is not installed (Debian: openssl)")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return context


def test_over_tls_a_dripping_answer_and_a_silent_handshake_are_cut_at_the_deadline(tls):
    with fake.serve(fake.libre(), tls) as srv:
        assert server(srv.url).post("/translate", {"q": "Hi."}) == {"translatedText": "ES Hi."}
    with fake.serve(fake.drip(0.5), tls) as srv:
        done, result = ended(server(srv.url).get, "/languages")
        assert done and isinstance(result, EngineError) and "no complete answer within 1 s" in str(result)
    with fake.serve(fake.hang) as srv:  # TCP, but no TLS: the handshake waits for ever
        done, result = ended(server(srv.url.replace("http:", "https:")).get, "/languages")
        assert done and isinstance(result, EngineError) and "no complete answer within 1 s" in str(result)


def test_a_certificate_that_does_not_verify_is_not_retried(tls, monkeypatch):
    with fake.serve(fake.libre(), tls) as srv:
        monkeypatch.delenv("SSL_CERT_FILE")
        s = server(srv.url, retries=3)
        with pytest.raises(EngineError, match="its TLS certificate does not verify"):
            s.get("/languages")
        assert s.requests == 1
