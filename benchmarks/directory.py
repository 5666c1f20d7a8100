"""Time the national directory import (``civicbridge import-directory``) and its peak memory,
on SQLite and on PostgreSQL, into an empty database; then the second run (which changes
nothing).

    .venv/bin/python benchmarks/directory.py [--only CODES] [--pg URL | --no-pg] [--write]

Each database is made fresh (migrate, not timed). The import runs as its own process, as a
user runs it, so wall time, CPU time (user + system) and peak RSS are that process's.
PostgreSQL: by default a throwaway database is created on postgres://postgres@127.0.0.1:5432
with ``createdb`` (and dropped afterwards); ``--no-pg`` skips it. ``--write`` puts the
table into docs/benchmarks.md (section "Directory import").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CIVICBRIDGE = str(ROOT / ".venv" / "bin" / "civicbridge")
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Directory import (`benchmarks/directory.py`)"


def run(args: list[str], env: dict) -> dict:
    """Run a command; its wall time, CPU time (user + system) and peak RSS, from wait4 on
    that one process, and its output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=err, cwd=ROOT, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = {"wall": wall, "out": out.read(), "err": err.read()}
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result['err'][-3000:]}")
    result["cpu"] = usage.ru_utime + usage.ru_stime
    result["rss_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return result


def created(out: str) -> int:
    return sum(int(n.replace(",", "")) for n in re.findall(r"created ([\d,]+)", out))


def bench_one(database: str, url: str | None, only: str) -> list[dict]:
    home = tempfile.mkdtemp(prefix="civicbridge-bench-directory-")
    env = {**os.environ, "CIVICBRIDGE_HOME": home}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    run([CIVICBRIDGE, "migrate", "-v0"], env)
    command = [CIVICBRIDGE, "import-directory", "-v0"] + (["--only", only] if only else [])
    rows = []
    try:
        rows = _runs(database, command, env)
    finally:
        shutil.rmtree(home, ignore_errors=True)  # the SQLite database is ~450 MB
    return rows


def _runs(database: str, command: list[str], env: dict) -> list[dict]:
    rows = []
    for label in ("first run (empty database)", "second run (nothing to do)"):
        result = run(command, env)
        rows.append(
            {
                "database": database,
                "run": label,
                "wall": result["wall"],
                "cpu": result["cpu"],
                "rss_mb": result["rss_mb"],
                "created": created(result["out"]),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="codes to pass to import-directory --only")
    parser.add_argument("--pg", help="PostgreSQL server URL without a database name")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    targets: list[tuple[str, str | None]] = [("SQLite", None)]
    dbname = f"cb_bench_directory_{os.getpid()}"
    server = args.pg or "postgres://postgres@127.0.0.1:5432"
    pg_made = False
    if not args.no_pg:
        made = subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8"]
            + ["--locale=C.UTF-8", "-T", "template0", dbname],
            capture_output=True,
            text=True,
        )
        if made.returncode == 0:
            pg_made = True
            targets.append(("PostgreSQL", f"{server}/{dbname}"))
        else:
            print(f"PostgreSQL skipped: {made.stderr.strip()}", file=sys.stderr)
    rows: list[dict] = []
    try:
        for database, url in targets:
            rows += bench_one(database, url, args.only)
    finally:
        if pg_made:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", dbname], capture_output=True
            )

    what = f"`--only {args.only}`" if args.only else "the whole national directory"
    lines = [
        f"### {dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {load:.1f} at the start",
        "",
        f"`civicbridge import-directory` of {what} into a freshly migrated database, "
        "then again (a second run changes nothing). The import includes the search index "
        "(directory/search.py). Wall and CPU time in seconds; peak RSS of the import process.",
        "",
        "| database | run | wall (s) | CPU (s) | peak RSS (MB) | records created |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['database']} | {r['run']} | {r['wall']:.1f} | {r['cpu']:.1f} "
            f"| {r['rss_mb']:.0f} | {r['created']:,} |"
        )
    lines += [
        "",
        "CPU time is the import process's own (on PostgreSQL the server's work is not in it); "
        "on a shared machine the wall time also holds the waits for the other processes "
        "(see the load average).",
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.write:
        write_section(table)


def write_section(table: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    intro = (
        f"{HEADING}\n\n"
        "Target: the national import (673,639 places, 23,332 chief terms) in at most 60 s "
        "and 1 GB on SQLite on the 2-core development machine. Run with "
        "`.venv/bin/python benchmarks/directory.py --write`.\n\n"
    )
    section = intro + table
    if HEADING in text:
        start = text.index(HEADING)
        nxt = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + (text[nxt:] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
