"""Benchmark: the quote service vs a bare Flask endpoint, both under gunicorn (one worker per core),
driven by wrk from a second process on loopback for a fixed time; and a 1,000-item list request.

Targets (issue 4, 2 cores): quote throughput >= 60% of the bare endpoint's, p99 <= 20 ms, zero
errors in a 60-second run; a 1,000-item list request <= 50 ms.  Needs wrk (apt-get install wrk).

    python benchmarks/http.py [--seconds 60] [--connections 8]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py (as the issue asks): keep its folder off the path so that the standard
# library's http package is the one imported below.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request

ITEM = {"price": "24.99", "length": 10, "width": 6, "height": 3, "weight": 1.2, "category": "home_and_kitchen",
        "on": "2026-05-01"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server did not start: {proc.stderr.read1().decode()}")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def wrk(url: str, body: str, seconds: int, connections: int) -> dict:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                      f"wrk.body = {json.dumps(body)}\n")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
                         capture_output=True, text=True).stdout
    script.unlink()

    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms(50), "p99": ms(99),
            "errors": errors + (int(non2xx.group(1)) if non2xx else 0), "raw": out}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--connections", type=int, default=8)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    workers = str(os.cpu_count() or 1)
    body = json.dumps(ITEM)
    results = {}
    for name, cmd in (
        ("bare Flask", [sys.executable, "-m", "gunicorn", "-w", workers, "--chdir", str(HERE / "baseline"),
                        "bare:app"]),
        ("feecalc quote", [sys.executable, "-m", "feecalc", "serve", "--workers", workers, "--no-access-log"]),
    ):
        port = free_port()
        cmd = cmd + (["-b", f"127.0.0.1:{port}"] if "gunicorn" in cmd else ["--port", str(port)])
        proc = start(cmd, port)
        try:
            url = f"http://127.0.0.1:{port}/v1/quotes"
            wrk(url, body, 2, args.connections)  # warm up
            results[name] = wrk(url, body, args.seconds, args.connections)
            if name == "feecalc quote":
                items = [dict({k: v for k, v in ITEM.items() if k != "on"}, id=str(i)) for i in range(1000)]
                big = json.dumps({"items": items, "on": "2026-05-01"}).encode()
                times = []
                for _ in range(20):
                    req = urllib.request.Request(url, data=big, headers={"Content-Type": "application/json"})
                    t0 = time.perf_counter()
                    with urllib.request.urlopen(req) as r:
                        data = r.read()
                    times.append((time.perf_counter() - t0) * 1000)  # the client's JSON parsing is not timed
                    assert len(json.loads(data)["results"]) == 1000
                results["list"] = times
        finally:
            stop(proc)
    bare, quote = results["bare Flask"], results["feecalc quote"]
    for name in ("bare Flask", "feecalc quote"):
        r = results[name]
        print(f"{name:<14} {r['rps']:8,.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:6.2f} ms  "
              f"errors {r['errors']}  ({args.seconds} s, {args.connections} connections, {workers} workers)")
    print(f"quote throughput: {quote['rps'] / bare['rps']:.0%} of the bare endpoint")
    lst = sorted(results["list"])
    print(f"1,000-item list request: median {statistics.median(lst):.1f} ms, max {lst[-1]:.1f} ms (20 requests)")


if __name__ == "__main__":
    main()
