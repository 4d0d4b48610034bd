"""How soon `l10n serve` shows its first screen on a site of 10,000 articles.

Replicates the Hugo documentation to --files articles (as bench_status.py),
translates them into Spanish with the pseudo engine, then prints, in the
same run:

- `python -m l10n serve` in a fresh process: from its start to the URL
  printed (the site opened, every page judged from provenance hashes);
- the first screen in headless Chromium (Debian's, through Selenium): from
  opening the URL to the first 100 pages of the list drawn, and from there to
  a page's segments drawn after a click;
- the answers behind them: the list's first 100 rows, with a filter and a
  search, and one page's segments (median of --rounds calls).

Target: the first screen in under a second (the URL printed, then the list
drawn, start-up aside).

    python benchmarks/bench_serve.py [--files 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_translate import ROOT, replicate


def fetch(url: str, token: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"X-L10n-Token": token}), timeout=60) as answer:
        json.loads(answer.read())
    return time.perf_counter() - started


def browser_first_screen(url: str) -> tuple[float, float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    profile = tempfile.mkdtemp(prefix="bench-serve-chromium-")
    options = Options()
    options.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        driver.get("about:blank")  # the browser's own start is not the server's
        started = time.perf_counter()
        driver.get(url)
        WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#pages li")) >= 100)
        listed = time.perf_counter() - started
        started = time.perf_counter()
        driver.find_elements(By.CSS_SELECTOR, "#pages li")[50].click()
        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".seg"))
        opened = time.perf_counter() - started
        return listed, opened
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "L10N_ENGINE": "pseudo"}
    server = None
    try:
        site = folder / "site"
        files = replicate(site, args.files)
        (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\nengine = "pseudo"\n', encoding="utf-8")
        print(f"{len(files)} articles in {site}; translating them (setup) ...", flush=True)
        subprocess.run([sys.executable, "-m", "l10n", "translate", "--from", "en"], cwd=site, env=env, check=True,
                       capture_output=True)
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "l10n", "serve", "--port", "0", "--no-check"], cwd=site,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        ready = time.perf_counter() - started
        token = url.split("token=", 1)[1]
        base = url.split("?", 1)[0].rstrip("/")
        print(f"l10n serve, a fresh process, to its URL printed: {ready:.2f} s")
        listed, opened = browser_first_screen(url)
        print(f"first screen in Chromium: the list's first 100 pages drawn {listed:.2f} s after opening the URL; "
              f"a page's segments drawn {opened:.2f} s after a click")
        calls = {
            "the list, first 100 rows": f"{base}/api/pages?lang=es&offset=0&limit=100",
            "the list, weakest first, searched": f"{base}/api/pages?lang=es&sort=weakest&q=copy001&limit=100",
            "the list, 100 rows at offset 9,000": f"{base}/api/pages?lang=es&offset=9000&limit=100",
            "one page's segments": f"{base}/api/page?source=" + urllib.request.quote(
                str(files[len(files) // 2].relative_to(site))) + "&lang=es",
        }
        for name, call in calls.items():
            times = [fetch(call, token) for _ in range(args.rounds)]
            print(f"  {name}: median {1000 * statistics.median(times):.0f} ms")
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
