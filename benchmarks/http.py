"""Benchmark: the quote service vs a bare Flask endpoint under each WSGI server (gunicorn sync, the one
`feecalc serve` ships; gunicorn gthread; granian where it is installed), one worker per core, driven by wrk from a
second process on loopback for a fixed time; the servers' own CPU time per request and memory; and a 1,000-item list
request.

Targets (issue 17, 2 cores): `feecalc serve` answers single quotes at >= 45% of the requests per second of the bare
endpoint under gunicorn with 2 sync workers, p99 <= 20 ms, zero errors; a 1,000-item list request < 40 ms.  Needs
wrk (apt-get install wrk).

    python benchmarks/http.py [--seconds 60] [--connections 8] [--servers "gunicorn sync,granian"]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py (as the issue asks): keep its folder off the path so that the standard
# library's http package is the one imported below.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse
import importlib.util
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


def group_cpu(pgid: int) -> tuple[float, float]:
    """(CPU seconds, user + system, and resident MiB) of every process in a process group: a server's master and its
    workers, from their own /proc counters."""
    ticks, cpu, rss = os.sysconf("SC_CLK_TCK"), 0.0, 0.0
    page = os.sysconf("SC_PAGE_SIZE")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            cpu += (int(fields[11]) + int(fields[12])) / ticks
            rss += int(fields[21]) * page / 2**20
    return cpu, rss


def servers(workers: str) -> dict[str, tuple[list[str], list[str]]]:
    """Per server: the command of the bare endpoint and of feecalc's API (`--port` or `-b` added later)."""
    py, base = sys.executable, str(HERE / "baseline")
    threads = ["-k", "gthread", "--threads", "4"]
    out = {
        "gunicorn sync": ([py, "-m", "gunicorn", "-w", workers, "--chdir", base, "bare:app"],
                          [py, "-m", "feecalc", "serve", "--workers", workers, "--no-access-log"]),
        "gunicorn gthread": ([py, "-m", "gunicorn", "-w", workers, *threads, "--chdir", base, "bare:app"],
                             [py, "-m", "gunicorn", "-w", workers, *threads, "--preload", "feecalc_api:create_app()"]),
    }
    if importlib.util.find_spec("granian"):
        granian = [py, "-m", "granian", "--interface", "wsgi", "--workers", workers, "--no-ws", "--log-level",
                   "warning", "--host", "127.0.0.1"]
        out["granian"] = ([*granian, "--working-dir", base, "bare:app"],
                          [*granian, "--factory", "feecalc_api:create_app"])
    return out


def bind(cmd: list[str], port: int) -> list[str]:
    if "gunicorn" in cmd:
        return [*cmd, "-b", f"127.0.0.1:{port}"]
    if "granian" in cmd:
        return [*cmd[:-1], "--port", str(port), cmd[-1]]
    return [*cmd, "--port", str(port)]


def measure(cmd: list[str], body: str, seconds: int, connections: int, big: bytes | None) -> dict:
    """wrk against one server for `seconds` (after a warm-up), with the server's CPU per request and memory; and,
    where `big` is given, twenty 1,000-item list requests."""
    port = free_port()
    proc = start(bind(cmd, port), port)
    try:
        url = f"http://127.0.0.1:{port}/v1/quotes"
        wrk(url, body, 2, connections)  # warm up (tables compiled, caches filled)
        cpu0, _ = group_cpu(proc.pid)
        result = wrk(url, body, seconds, connections)
        cpu1, rss = group_cpu(proc.pid)
        done = int(re.search(r"(\d+) requests in", result["raw"]).group(1))
        result.update(cpu_us=(cpu1 - cpu0) / max(done, 1) * 1e6, rss=rss)
        if big is not None:
            times = []
            for _ in range(20):
                req = urllib.request.Request(url, data=big, headers={"Content-Type": "application/json"})
                t0 = time.perf_counter()
                with urllib.request.urlopen(req) as r:
                    data = r.read()
                times.append((time.perf_counter() - t0) * 1000)  # the client's JSON parsing is not timed
                assert len(json.loads(data)["results"]) == 1000
            result["list"] = times
        return result
    finally:
        stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--servers", default="", help="comma-separated server names (default: every one installed)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    workers = str(os.cpu_count() or 1)
    body = json.dumps(ITEM)
    items = [dict({k: v for k, v in ITEM.items() if k != "on"}, id=str(i)) for i in range(1000)]
    big = json.dumps({"items": items, "on": "2026-05-01"}).encode()
    chosen = [n for n in args.servers.split(",") if n] or list(servers(workers))
    results = {}
    for name in chosen:
        bare_cmd, quote_cmd = servers(workers)[name]
        results[name, "bare"] = measure(bare_cmd, body, args.seconds, args.connections, None)
        results[name, "quote"] = measure(quote_cmd, body, args.seconds, args.connections,
                                         big if name == "gunicorn sync" else None)
    print(f"{args.seconds} s per run, {args.connections} connections, {workers} workers, wrk on the same machine")
    for (name, kind), r in results.items():
        print(f"{name:<17} {kind:<6} {r['rps']:8,.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:6.2f} ms  "
              f"errors {r['errors']}  server CPU {r['cpu_us']:6.0f} us/request  RSS {r['rss']:5.0f} MiB")
    baseline = results["gunicorn sync", "bare"]["rps"] if ("gunicorn sync", "bare") in results else None
    for name in chosen:
        quote, bare = results[name, "quote"], results[name, "bare"]
        line = f"{name}: quotes at {quote['rps'] / bare['rps']:.0%} of its own bare endpoint"
        if baseline:
            line += f", {quote['rps'] / baseline:.0%} of the bare endpoint under gunicorn sync (target >= 45%)"
        print(line)
    if ("gunicorn sync", "quote") in results:
        lst = sorted(results["gunicorn sync", "quote"]["list"])
        print(f"1,000-item list request (feecalc serve): median {statistics.median(lst):.1f} ms, max {lst[-1]:.1f} ms "
              f"(20 requests; target < 40 ms)")


if __name__ == "__main__":
    main()
