"""``l10n serve`` in a real browser (Debian's chromium and chromedriver, driven by Selenium), and its HTTP guard.

Every scenario ends by reading the file on disk and ``l10n status``: what the
page says it did is what the site holds.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import urllib.error
import urllib.request

import pytest
from conftest import need
from helpers import cells, edit, invoke

from l10n.commands.serve import CSP, start

PAGE = "content/post.es.md"
OTHER = """\
---
title: "Another page"
---

Run it again: nothing changes the third time.

Keep the settings in `hugo.toml` and read the [guide](https://example.org/guide).
"""


@pytest.fixture
def served(runner, blog):
    """The blog translated by an engine that says how sure it is (memory and confidence),
    with a link a person localised on purpose, approved; served on a free port."""
    (blog / "content" / "other.md").write_text(OTHER, encoding="utf-8")
    assert invoke(runner, "translate", "--engine", "scoring").exit_code == 0
    edit(blog / PAGE, "(https://example.org/manual)", "(https://example.org/es/manual)")
    assert invoke(runner, "review", "--approve", "--force", "content/post.md").exit_code == 0
    server = start(port=0, check=False)
    yield server
    server.stop()


@pytest.fixture
def browser():
    need("chromium", "chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="l10n-chromium-")
    options = Options()
    options.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                "--window-size=1300,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_script_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait(driver, condition, timeout: float = 15):
    """``condition(driver)`` once it is true; the page redraws a page after a write, so an
    element found a moment before may be gone: looked for again."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException, StopIteration)).until(
        lambda d: condition(d))


def open_page(driver, served, target: str = PAGE) -> None:
    from selenium.webdriver.common.by import By

    driver.get(served.url)
    item = wait(driver, lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, "#pages li")
                                        if li.find_element(By.CSS_SELECTOR, ".path").text == target), None))
    item.click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".seg"))


def seg(driver, contains: str):
    from selenium.webdriver.common.by import By

    return next(s for s in driver.find_elements(By.CSS_SELECTOR, ".seg")
                if contains in s.find_element(By.CSS_SELECTOR, ".src").text)


def message(driver, contains: str):
    from selenium.webdriver.common.by import By

    return wait(driver, lambda d: seg(d, contains).find_element(By.CSS_SELECTOR, ".message").text)


def test_edit_approve_accept_and_insert_in_the_browser(runner, served, browser, blog):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, served)
    # edit a segment: typed after its words, saved with Ctrl+S
    editor = seg(browser, "Install the package").find_element(By.CSS_SELECTOR, ".tgt")
    editor.click()
    editor.send_keys(Keys.END, " hoy")
    editor.send_keys(Keys.CONTROL, "s")
    assert message(browser, "Install the package") == "saved"
    assert "once. hoy" in (blog / PAGE).read_text(encoding="utf-8").replace("ó", "o").replace("é", "e")
    # approve a segment from the keyboard: j to it, a to approve
    body = browser.find_element(By.TAG_NAME, "body")
    browser.execute_script("document.activeElement.blur()")
    index = int(seg(browser, "Run it again").get_attribute("data-index"))
    for _ in range(index + 1):
        body.send_keys("j")
    assert "current" in seg(browser, "Run it again").get_attribute("class")
    body.send_keys("a")
    assert message(browser, "Run it again") == "approved"
    # accept the finding of the localised link
    link = seg(browser, "Set the targets")
    assert "link target changed" in link.text
    link.find_element(By.CSS_SELECTOR, "button.accept").click()
    assert message(browser, "Set the targets").startswith("accepted")
    assert wait(browser, lambda d: "(accepted)" in seg(d, "Set the targets").text)
    assert invoke(runner, "check").exit_code == 0
    # insert a suggestion from the memory (the other page's sentence), then save it
    wait(browser, lambda d: seg(d, "Run it again").find_element(By.CSS_SELECTOR, "button.insert")).click()
    suggestion = wait(browser, lambda d: seg(d, "Run it again").find_element(By.CSS_SELECTOR, ".matches li span").text)
    editor = seg(browser, "Run it again").find_element(By.CSS_SELECTOR, ".tgt")
    assert editor.text == suggestion and "third" in suggestion.replace("í", "i")
    editor.send_keys(Keys.CONTROL, "s")
    assert message(browser, "Run it again") == "saved"
    # the file, status and the page agree
    written = (blog / PAGE).read_text(encoding="utf-8")
    assert suggestion in written and "(https://example.org/es/manual)" in written
    status = cells(blog)[PAGE]
    assert status.status == "edited" and "a person's translation" in status.detail
    browser.refresh()
    open_page(browser, served)
    assert seg(browser, "Run it again").find_element(By.CSS_SELECTOR, ".tgt").text == suggestion


def test_an_edit_that_drops_a_tag_is_refused_in_the_page(served, browser, blog):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    other = "content/other.es.md"
    before = (blog / other).read_bytes()
    open_page(browser, served, other)
    # a segment whose markup a person changed (the localised link) is shown, not edited
    editor = seg(browser, "Keep the settings").find_element(By.CSS_SELECTOR, ".tgt")
    editor.click()
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("Guarde los ajustes y lea la guía.", Keys.CONTROL, "s")
    said = message(browser, "Keep the settings")
    assert "inline codes are not the source's" in said
    assert "fail" in seg(browser, "Keep the settings").find_element(By.CSS_SELECTOR, ".message").get_attribute("class")
    assert (blog / other).read_bytes() == before and cells(blog)[other].status == "machine"
    editor = seg(browser, "Keep the settings").find_element(By.CSS_SELECTOR, ".tgt")
    assert editor.text == "Guarde los ajustes y lea la guía."  # the person's text stays in the editor


def test_two_tabs_editing_one_page_lose_neither_edit(served, browser, blog):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, served)
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    open_page(browser, served)
    second = browser.current_window_handle
    # tab 1 edits one segment, tab 2 (loaded before) another: both are written
    browser.switch_to.window(first)
    editor = seg(browser, "Install the package").find_element(By.CSS_SELECTOR, ".tgt")
    editor.click()
    editor.send_keys(Keys.END, " uno", Keys.CONTROL, "s")
    assert message(browser, "Install the package") == "saved"
    browser.switch_to.window(second)
    editor = seg(browser, "Run it again").find_element(By.CSS_SELECTOR, ".tgt")
    editor.click()
    editor.send_keys(Keys.END, " dos", Keys.CONTROL, "s")
    assert message(browser, "Run it again") == "saved"
    written = (blog / PAGE).read_text(encoding="utf-8")
    assert " uno" in written and " dos" in written
    # tab 1 never saw tab 2's edit: its save of that segment is refused, tab 2's text stays
    browser.switch_to.window(first)
    editor = seg(browser, "Run it again").find_element(By.CSS_SELECTOR, ".tgt")
    editor.click()
    editor.send_keys(Keys.END, " tres", Keys.CONTROL, "s")
    assert "changed since you loaded it" in message(browser, "Run it again")
    written = (blog / PAGE).read_text(encoding="utf-8")
    assert " dos" in written and " tres" not in written and " uno" in written


def test_a_request_without_the_token_is_refused(served, browser, blog):
    base = served.url.split("?")[0]
    browser.get(base)
    assert "no token" in browser.find_element("tag name", "body").text
    open_page(browser, served)
    # the page's own script without the header: refused
    status = browser.execute_async_script(
        "const done = arguments[0]; fetch('/api/pages').then(r => done(r.status));")
    assert status == 403
    posted = browser.execute_async_script(
        "const done = arguments[0]; fetch('/api/approve-page', {method: 'POST', headers: {'Content-Type': "
        "'application/json'}, body: '{}'}).then(r => done(r.status));")
    assert posted == 403


def _http(url: str, headers: dict | None = None, data: bytes | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_the_guard_token_host_origin_and_policy(served, blog):
    base = served.url.split("?")[0].rstrip("/")
    host = base.split("//")[1]
    token = {"X-L10n-Token": served.token}
    assert _http(base + "/api/pages")[0] == 403
    assert _http(base + "/api/pages", {"X-L10n-Token": "guess"})[0] == 403
    status, headers, body = _http(base + "/api/pages", token)
    assert status == 200 and json.loads(body)["total"] == 2
    assert headers["Content-Security-Policy"] == CSP and "script-src 'self'" in CSP and "unsafe" not in CSP
    # DNS rebinding: another name for 127.0.0.1 sends its own Host
    assert _http(base + "/api/pages", {**token, "Host": "evil.example:80"})[0] == 403
    body = json.dumps({"source": "content/post.md", "lang": "es", "version": "x"}).encode()
    json_kind = {"Content-Type": "application/json"}
    assert _http(base + "/api/approve-page", {**json_kind}, body)[0] == 403
    assert _http(base + "/api/approve-page", {**token, **json_kind, "Origin": "http://evil.example"}, body)[0] == 403
    assert _http(base + "/api/approve-page", {**token, "Content-Type": "text/plain"}, body)[0] == 403
    status, _headers, answer = _http(base + "/api/approve-page", {**token, **json_kind, "Origin": f"http://{host}"},
                                     body)
    assert status == 409 and "changed since you loaded it" in json.loads(answer)["message"]
    assert json.loads(_http(base + "/api/pages", token)[2])["total"] == 2
    # the printed URL sets the cookie the page is served with, and the token leaves the address
    status, headers, _body = _http(served.url)
    assert served.server.server_address[0] == "127.0.0.1"
    page = _http(base + "/", {"Cookie": f"l10n_token={served.token}"})
    assert page[0] == 200 and b'<script src="/app.js"' in page[2] and b"<script>" not in page[2]


def test_a_request_body_is_bounded(served):
    """A negative or oversized Content-Length is answered at once, never read."""
    import http.client

    port = served.server.server_address[1]
    for length, status in (("-1", 400), (str(64 * 1024 * 1024), 413)):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("POST", "/api/edit", skip_accept_encoding=True)
        for name, value in (("X-L10n-Token", served.token), ("Content-Type", "application/json"),
                            ("Content-Length", length)):
            connection.putheader(name, value)
        connection.endheaders()
        answer = connection.getresponse()
        assert answer.status == status, (length, answer.status)
        connection.close()



def test_saving_one_segment_keeps_what_was_typed_unsaved_in_another(served, browser, blog):
    """The page is drawn again after a write: a person's unsaved text in another segment
    stays in its editor, never replaced by the machine's."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, served)
    editor = seg(browser, "Install the package").find_element(By.CSS_SELECTOR, ".tgt")
    editor.click()
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("Instale el paquete, sin guardar.")
    editor = seg(browser, "Run it again").find_element(By.CSS_SELECTOR, ".tgt")
    editor.click()
    editor.send_keys(Keys.END, " dos", Keys.CONTROL, "s")
    assert message(browser, "Run it again") == "saved"
    kept = seg(browser, "Install the package").find_element(By.CSS_SELECTOR, ".tgt")
    assert kept.text == "Instale el paquete, sin guardar."
    assert "sin guardar" not in (blog / PAGE).read_text(encoding="utf-8")
    kept.click()
    kept.send_keys(Keys.CONTROL, "s")  # then saved, as it was typed
    assert message(browser, "Install the package") == "saved"
    assert "Instale el paquete, sin guardar." in (blog / PAGE).read_text(encoding="utf-8")


def test_bidi_overrides_and_controls_are_shown_as_codes_and_kept(runner, blog, browser):
    """A path or a text with a right-to-left override is shown with it as a code, not
    reversed; an editor keeps it as a chip, and a save writes it back as it was."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    name = "content/a\u202egpj.md"
    (blog / name).write_text("Read \u202eesrever\u202c here.\n", encoding="utf-8")
    assert invoke(runner, "translate", "--engine", "scoring").exit_code == 0
    target = "content/a\u202egpj.es.md"
    assert "\u202e" in (blog / target).read_text(encoding="utf-8")
    server = start(port=0, check=False)
    try:
        browser.get(server.url)
        item = wait(browser, lambda d: next(li for li in d.find_elements(By.CSS_SELECTOR, "#pages li")
                                            if "gpj" in li.text))
        assert "\\u202e" in item.text and "\u202e" not in item.text
        item.click()
        source = wait(browser, lambda d: seg(d, "here").find_element(By.CSS_SELECTOR, ".src").text)
        assert source == "Read \\u202eesrever\\u202c here."
        assert "\\u202e" in browser.find_element(By.CSS_SELECTOR, ".pagehead h1").text
        editor = seg(browser, "here").find_element(By.CSS_SELECTOR, ".tgt")
        assert "\\u202e" in editor.text and "\u202e" not in editor.text
        editor.click()
        editor.send_keys(Keys.END, " hoy", Keys.CONTROL, "s")
        assert message(browser, "here") == "saved"
        written = (blog / target).read_text(encoding="utf-8")
        assert "\u202e" in written and "\u202c" in written and " hoy" in written and "\\u202e" not in written
    finally:
        server.stop()


def test_a_token_that_is_not_ascii_is_refused_not_a_crash(served):
    """Headers are read as Latin-1: a token of other bytes is a 403, never a traceback
    and a dropped connection."""
    import http.client

    port = served.server.server_address[1]
    for method, path, headers in (("GET", "/api/pages", {"X-L10n-Token": "\xe9"}),
                                  ("GET", "/", {"Cookie": "l10n_token=\xe9t\xe9"}),
                                  ("POST", "/api/edit", {"X-L10n-Token": "\xe9", "Content-Type": "application/json"})):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest(method, path)
        for name, value in headers.items():
            connection.putheader(name, value.encode("latin-1"))
        connection.putheader("Content-Length", "2")
        connection.endheaders(b"{}")
        answer = connection.getresponse()
        assert answer.status == 403, (method, path, answer.status)
        connection.close()


def test_approving_the_page_while_a_segment_holds_unsaved_text_is_refused(served, browser, blog):
    """Approve page records the file's text: while an editor shows other, unsaved words,
    the machine's text there is not recorded as the person's approval."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    other = "content/other.es.md"
    open_page(browser, served, other)
    editor = seg(browser, "Run it again").find_element(By.CSS_SELECTOR, ".tgt")
    editor.click()
    editor.send_keys(Keys.END, " hoy")
    browser.find_element(By.ID, "approve-page").click()
    said = wait(browser, lambda d: d.find_element(By.ID, "page-message").text)
    assert "not saved" in said
    assert cells(blog)[other].status == "machine" and " hoy" not in (blog / other).read_text(encoding="utf-8")
    assert seg(browser, "Run it again").find_element(By.CSS_SELECTOR, ".tgt").text.endswith(" hoy")
    # the text given up; a no-break space in the file (which an editor shows as a space) is no unsaved text
    text = (blog / other).read_text(encoding="utf-8")
    assert "Rún ít" in text
    (blog / other).write_text(text.replace("Rún ít", "Rún\u00a0ít"), encoding="utf-8")
    browser.refresh()
    open_page(browser, served, other)
    browser.find_element(By.ID, "approve-page").click()
    assert wait(browser, lambda d: d.find_element(By.ID, "page-message").text) == "approved"
    assert cells(blog)[other].status == "reviewed"


def test_leaving_a_page_with_unsaved_text_asks_first(served, browser, blog):
    from selenium.webdriver.common.by import By

    open_page(browser, served)
    editor = seg(browser, "Install the package").find_element(By.CSS_SELECTOR, ".tgt")
    editor.click()
    editor.send_keys(" Texto sin guardar.")

    def other_row():
        return next(li for li in browser.find_elements(By.CSS_SELECTOR, "#pages li")
                    if li.find_element(By.CSS_SELECTOR, ".path").text == "content/other.es.md")

    other_row().click()
    alert = wait(browser, lambda d: d.switch_to.alert)
    assert "not saved" in alert.text
    alert.dismiss()  # stay: the text is still there
    assert "Texto sin guardar." in seg(browser, "Install the package").find_element(By.CSS_SELECTOR, ".tgt").text
    other_row().click()
    wait(browser, lambda d: d.switch_to.alert).accept()  # leave: the other page is drawn
    wait(browser, lambda d: "other.es.md" in d.find_element(By.CSS_SELECTOR, ".pagehead h1").text)
    assert "Texto sin guardar." not in (blog / PAGE).read_text(encoding="utf-8")  # nothing saved on the way
