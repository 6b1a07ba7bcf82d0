"""`feecalc serve` for real: gunicorn on a free loopback port, requests over a socket, then stopped."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import feecalc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_over_a_socket_and_stops():
    port = free_port()
    env = {**os.environ, "FEECALC_API_KEYS": "k1"}
    proc = subprocess.Popen([sys.executable, "-m", "feecalc", "serve", "--port", str(port), "--workers", "1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as r:
                    health = json.load(r)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(proc.stderr.read1().decode() if proc.poll() is not None else "no answer")
        assert health["tables"] == len(feecalc.all_tables())  # discovered from the folder
        body = json.dumps({"price": "24.99", "length": 10, "width": 6, "height": 3, "weight": 1.2,
                           "category": "home_and_kitchen", "on": "2026-05-01"}).encode()
        req = urllib.request.Request(f"{base}/v1/quotes", data=body, headers={
            "Content-Type": "application/json", "Authorization": "Bearer k1", "X-Request-ID": "live-1"})
        with urllib.request.urlopen(req, timeout=5) as r:
            assert r.headers["X-Request-ID"] == "live-1" and r.headers["Server"] == "gunicorn"
            assert json.load(r)["total"] == {"amount": "9.36", "currency": "USD"}
        try:
            urllib.request.urlopen(urllib.request.Request(f"{base}/v1/quotes", data=body, headers={
                "Content-Type": "application/json"}), timeout=5)
        except urllib.error.HTTPError as err:
            assert err.code == 401 and err.headers["Content-Type"] == "application/problem+json"
        else:
            raise AssertionError("a request without a key was accepted")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    log = proc.stderr.read().decode()
    assert '"path": "/v1/quotes", "status": 200' in log and '"request_id": "live-1"' in log
