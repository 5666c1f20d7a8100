"""Report ingestion over the development reports and the seed, scored by the project's scorer.

Builds (or reuses) a database holding the national directory, reads every report of
``shared/reports/dev/`` and ``shared/seed/`` (the development set) and of
``benchmarks/heldout/reports/`` (the held-out set: reports the project wrote in the genre's
styles, with hand-made readings in ``benchmarks/heldout/gold/``, never used to tune the rules
before their first scored run — see its README) with ``civicbridge.reports.reading``, writes
the readings to a folder, and scores each set with ``shared/reports/score.py`` (recall,
precision, attributes and resolution per fact type). Also prints the gazetteer's load time and size,
the process's memory before and after loading it, and the seconds each report took.

    .venv/bin/python benchmarks/ingest.py                          # a throwaway SQLite database
    .venv/bin/python benchmarks/ingest.py --home DIR --reuse       # an existing CIVICBRIDGE_HOME
    DATABASE_URL=postgres://…/cb_bench .venv/bin/python benchmarks/ingest.py --reuse

The seed has no publication date in its file: it is read as the command reads it, without one
(its date fact cannot be read; its register lookups use the term its named chiefs share).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "civicbridge"
SHARED = Path(os.environ.get("CIVICBRIDGE_SHARED", ROOT.parent / "shared"))
REPORTS = SHARED / "reports"
HELDOUT = ROOT / "benchmarks" / "heldout"


def run(env, *args):
    subprocess.run([str(CLI), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def rss_mb() -> float:
    """The process's peak resident memory so far (Linux: kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", help="CIVICBRIDGE_HOME to use (default: a new temporary one)")
    parser.add_argument("--reuse", action="store_true", help="the database is loaded already")
    parser.add_argument("--out", help="folder for the readings (default: a temporary one)")
    parser.add_argument(
        "--set", choices=("dev", "heldout", "all"), default="all", help="which reports to read"
    )
    args = parser.parse_args()
    home = Path(args.home or tempfile.mkdtemp(prefix="cb-ingest-"))
    os.environ["CIVICBRIDGE_HOME"] = str(home)
    os.environ.setdefault("CIVICBRIDGE_LOG_LEVEL", "ERROR")
    env = dict(os.environ)
    if not args.reuse:
        run(env, "migrate", "-v0")
        run(env, "import-directory")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    django.setup()
    from civicbridge.reports.reading import places  # noqa: PLC0415 (bootstrap)
    from civicbridge.reports.reading.extract import read_report  # noqa: PLC0415 (bootstrap)
    from civicbridge.reports.reading.source import load_report  # noqa: PLC0415 (bootstrap)

    before = rss_mb()
    gazetteer = places.gazetteer()
    after = rss_mb()
    out = Path(args.out or tempfile.mkdtemp(prefix="cb-readings-"))
    sets = {
        "dev": (
            sorted((REPORTS / "dev").glob("*.txt")) + sorted((SHARED / "seed").glob("*.txt")),
            REPORTS / "gold",
        ),
        "heldout": (sorted((HELDOUT / "reports").glob("*.txt")), HELDOUT / "gold"),
    }
    print(
        f"Gazetteer: {gazetteer.size:,} keys loaded in {gazetteer.seconds:.2f} s; "
        f"peak memory {before:.0f} MB before, {after:.0f} MB after (+{after - before:.0f} MB)."
    )
    for name, (files, gold) in sets.items():
        if args.set not in (name, "all"):
            continue
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        timings = []
        for path in files:
            started = time.perf_counter()
            report = load_report(path)
            document = read_report(report.text, published=report.published, url=report.url)
            timings.append((path.stem, time.perf_counter() - started, len(document["facts"])))
            (folder / f"{path.stem}.json").write_text(
                json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        print_scores(name, gold, folder, timings)
    print(f"\nReadings written to {out}")


def print_scores(name: str, gold: Path, folder: Path, timings: list) -> None:
    scored = subprocess.run(
        [sys.executable, str(REPORTS / "score.py"), str(gold), str(folder), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    scores = json.loads(scored.stdout)["scores"]
    print(f"\n### {name}: {len(timings)} reports\n")
    print("| type | gold | read | recall | precision | attributes | resolution |")
    print("|---|---:|---:|---:|---:|---:|---:|")

    def cell(value):
        return "–" if value is None else f"{value:.2f}"

    for kind, row in sorted(scores.items(), key=lambda item: (item[0] == "ALL", item[0])):
        label = f"**{kind}**" if kind == "ALL" else kind
        print(
            f"| {label} | {row['gold']} | {row['read']} | {cell(row['recall'])} "
            f"| {cell(row['precision'])} | {cell(row['attributes'])} | {cell(row['resolution'])} |"
        )
    print()
    print("| report | seconds | facts |")
    print("|---|---:|---:|")
    for stem, seconds, count in timings:
        print(f"| {stem} | {seconds:.2f} | {count} |")
    total = sum(t[1] for t in timings)
    print(
        f"| all {len(timings)} | {total:.2f} (mean {total / len(timings):.2f}) "
        f"| {sum(t[2] for t in timings)} |"
    )


if __name__ == "__main__":
    main()
