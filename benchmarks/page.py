"""Benchmark: the page at / answering as the user types.  `feecalc serve` (gunicorn, 2 workers) on a free loopback
port, Debian's headless Chromium driven by Playwright (as the browser tests); an item is typed, then its weight edited
N times (default 60), each edit waiting for its fees on screen.  Per edit: the time from the input event to the fees
rendered (the page's own measure, `data-latency-ms`: the 10 ms debounce, the request and the rendering), and the
request alone (the browser's resource timing of POST /v1/quotes).

Run: python benchmarks/page.py [N]        (needs: apt-get install chromium; pip install -e '.[test]')
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent  # off sys.path: benchmarks/http.py would stand for the standard library's http
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE.parent / "tests" / "browser")]

import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402

from pagetest import CHROMIUM, FLAGS  # noqa: E402

ITEM = "?on=2026-03-01&price=24.99&length=10&width=6&height=3&weight=1.2&category=home_and_kitchen"
DEBOUNCE_MS = 10  # the page's delay after the last keystroke before it asks (app.js, onItemInput)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    feecalc = Path(sys.executable).with_name("feecalc")
    proc = subprocess.Popen([str(feecalc), "serve", "--port", str(port), "--workers", "2", "--no-access-log"],
                            stderr=subprocess.DEVNULL, env={**os.environ, "FEECALC_API_KEYS": ""})
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("feecalc serve did not answer")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(n: int = 60) -> None:
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    server = serve(port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/{ITEM}")
            page.wait_for_selector("#quote-result tr[data-line=total]")
            typed, request, parts = [], [], []
            for i in range(n):
                page.evaluate("""() => { delete document.getElementById('quote-result').dataset.latencyMs;
                                        performance.clearResourceTimings(); }""")
                page.fill("#weight", f"1.{2 + i % 7}")
                expect(page.locator("#quote-result")).to_have_attribute("data-latency-ms", re.compile(r"^\d+$"))
                timings = page.evaluate("() => ({...document.getElementById('quote-result').dataset})")
                typed.append(float(timings["latencyMs"]))
                parts.append({k: float(timings[k]) for k in ("waitMs", "requestMs", "renderMs")})
                request.append(page.evaluate("""() => performance.getEntriesByType('resource')
                    .filter(e => e.name.includes('/v1/quotes')).map(e => e.duration).pop()"""))
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    report = {"edits": n, "debounce_ms": DEBOUNCE_MS,
              "input_to_fees_on_screen_ms": {"median": statistics.median(typed), "p95": percentile(typed, 0.95),
                                             "max": max(typed)},
              "request_ms": {"median": round(statistics.median(request), 1),
                             "p95": round(percentile(request, 0.95), 1)},
              "parts_median_ms": {k: statistics.median(p[k] for p in parts) for k in parts[0]}}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
