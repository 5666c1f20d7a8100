"""Export → import → export of the directory: wall-clock time and peak memory of each step.

    .venv/bin/python benchmarks/interchange.py [--only CODE,...] [--database-url URL]
                                               [--keep DIR]

Builds a throwaway database (migrate + ``import-directory``, the whole national directory
unless ``--only`` names a subtree; timed too, as the baseline), then runs each step as its
own ``civicbridge`` process, so that the peak resident set size (``ru_maxrss`` from
``wait4``, with its CPU time: on a shared machine the wall-clock time varies with the load,
the CPU time much less) is that step's alone:

1. ``export --no-timestamp`` of the directory to a file;
2. ``import`` of that file into a second, freshly migrated database;
3. ``export`` of the second database, compared byte for byte with the first file.

A bare ``civicbridge check`` is measured too: the memory of Python + Django + our apps,
which every step carries whatever the size of the data. With ``--database-url`` (a
PostgreSQL URL) the two databases are ``<name>`` and ``<name>_b``; they must exist and
be empty. Results are printed as a Markdown table (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(label: str, args: list[str], env: dict[str, str]) -> dict:
    """Run ``civicbridge ARGS`` and return its wall-clock seconds and peak RSS (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "civicbridge", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{label} failed ({process.returncode}):\n{stderr}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"label": label, "seconds": seconds, "cpu": cpu, "rss_mb": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="import-directory --only CODE,... (default: everything)")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite files)")
    parser.add_argument("--keep", help="directory for the databases and files (kept)")
    args = parser.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="civicbridge-interchange-"))
    work.mkdir(parents=True, exist_ok=True)
    base = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    first_env = {**base, "CIVICBRIDGE_HOME": str(work / "a")}
    second_env = {**base, "CIVICBRIDGE_HOME": str(work / "b")}
    if args.database_url:
        first_env["DATABASE_URL"] = args.database_url
        second_env["DATABASE_URL"] = args.database_url.rstrip("/") + "_b"
    first, second = work / "first.json", work / "second.json"

    only = ["--only", args.only] if args.only else []
    steps = [run("civicbridge check (baseline)", ["check"], first_env)]
    run("migrate", ["migrate", "--verbosity", "0"], first_env)
    steps.append(run("import-directory", ["import-directory", *only], first_env))
    steps.append(
        run("export (streamed)", ["export", "--no-timestamp", "-o", str(first)], first_env)
    )
    run("migrate (second database)", ["migrate", "--verbosity", "0"], second_env)
    steps.append(run("import (streamed)", ["import", str(first)], second_env))
    steps.append(run("export again", ["export", "--no-timestamp", "-o", str(second)], second_env))

    identical = first.read_bytes() == second.read_bytes()
    size_mb = first.stat().st_size / 1e6
    digest = hashlib.sha256(first.read_bytes()).hexdigest()[:16]
    print(
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; database: {'PostgreSQL' if args.database_url else 'SQLite'}"
    )
    print(f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; subtree: {args.only or 'everything'}")
    print(f"Export: {size_mb:.0f} MB, sha256 {digest}…; second export identical: {identical}\n")
    print("| step | wall s | CPU s | peak RSS MB |")
    print("|---|---:|---:|---:|")
    for step in steps:
        print(
            f"| {step['label']} | {step['seconds']:.1f} | {step['cpu']:.1f} | "
            f"{step['rss_mb']:.0f} |"
        )
    if not identical:
        sys.exit("The second export differs from the first.")


if __name__ == "__main__":
    main()
