"""Throughput of our pages against the floor, measured in the same run.

Sets up the demo in a temporary CIVICBRIDGE_HOME, serves it with gunicorn (2 workers, as
`civicbridge serve`), signs an administrator in, and runs wrk against:

- /healthz        a view that touches no database (the floor of this machine)
- /readyz         one SQLite query
- the dashboard, the demo exchange page, a group itinerary, a place page (阜四社区),
  a pairing page and the exchange list, signed in.

    .venv/bin/python benchmarks/pages.py [--seconds 10] [--connections 16]

Needs wrk (Debian package `wrk`). Only 127.0.0.1 is loaded.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "civicbridge"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django_shell(env, code: str) -> str:
    out = subprocess.run(
        [str(CLI), "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def wrk(url: str, cookie: str | None, seconds: int, connections: int) -> tuple[float, float]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    factor = {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} failed responses")
    return rps, float(p50.group(1)) * factor


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    home = Path(tempfile.mkdtemp(prefix="cb-bench-"))
    env = {**os.environ, "CIVICBRIDGE_HOME": str(home), "CIVICBRIDGE_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    subprocess.run([str(CLI), "demo", "--no-serve"], env=env, check=True, capture_output=True)
    ids = django_shell(
        env,
        "from django.contrib.auth import get_user_model;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY;"
        "from civicbridge.demo.visit2016 import demo_exchange;"
        "from civicbridge.directory.models import Place;"
        "from civicbridge.pairings.models import Pairing;"
        "u=get_user_model().objects.get(username='admin');"
        "s=SessionStore(); s[SESSION_KEY]=str(u.pk);"
        "s[BACKEND_SESSION_KEY]='django.contrib.auth.backends.ModelBackend';"
        "s[HASH_SESSION_KEY]=u.get_session_auth_hash(); s.create();"
        "e=demo_exchange(); g=e.groups.order_by('order').first();"
        "print(s.session_key, e.pk, g.pk, Place.objects.get(code='110108021014').pk, Pairing.objects.order_by('id').first().pk)",
    )
    session, exchange, group, place, pairing = ids.split()
    port = free_port()
    server = subprocess.Popen(
        [str(CLI), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        cookie = f"sessionid={session}; django_language=zh-hans"
        pages = [
            ("floor: /healthz (no database)", "/healthz", None),
            ("floor: /readyz (one query)", "/readyz", None),
            ("dashboard", "/", cookie),
            ("exchange list", "/exchanges/", cookie),
            ("demo exchange page", f"/exchanges/{exchange}/", cookie),
            ("group itinerary", f"/exchanges/{exchange}/groups/{group}/", cookie),
            ("place page (阜四社区)", f"/directory/places/{place}/", cookie),
            ("pairing page", f"/pairings/{pairing}/", cookie),
            ("statistics page", "/statistics/", cookie),
        ]
        rows = []
        for label, path, c in pages:
            wrk(base + path, c, 2, args.connections)  # warm up
            rps, p50 = wrk(base + path, c, args.seconds, args.connections)
            rows.append((label, path, rps, p50))
        floor = rows[0][2]
        print("| page | path | req/s | median ms | share of floor |\n|---|---|---:|---:|---:|")
        for label, path, rps, p50 in rows:
            print(f"| {label} | `{path}` | {rps:,.0f} | {p50:.1f} | {rps / floor:.0%} |")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
