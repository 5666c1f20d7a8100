"""Write the tiers section of ARCHITECTURE.md from the import-linter contract.

The contract in ``pyproject.toml`` (``[tool.importlinter]``) is what CI enforces
(``lint-imports``); the picture and the table of ARCHITECTURE.md are written from it, between
the markers ``<!-- tiers:begin -->`` and ``<!-- tiers:end -->``, so they cannot drift:

    .venv/bin/python scripts/architecture.py          # rewrite the section
    .venv/bin/python scripts/architecture.py --check  # exit 1 if the section is stale (CI)

What each tier holds is written below (``HOLDS``), next to the contract's module names: a tier
in the contract without a line here, or a line here for a tier the contract does not name, is
an error.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
BEGIN = "<!-- tiers:begin (written by scripts/architecture.py from pyproject.toml; do not edit) -->"
END = "<!-- tiers:end -->"

# What each tier holds (one line each; the contract gives the order).
HOLDS = {
    "civicbridge.demo": "the 22 April 2016 visit as data (`demo/visit2016.toml`) and its loader; "
    "`civicbridge demo`, `serve`, `load-demo`",
    "civicbridge.pages": "pages that compose several domains: the dashboard, site search, the "
    "place, person and organisation pages, the exchange page and the views that render into it, "
    "health checks",
    "civicbridge.api": "the REST API `/api/v1/` (django-ninja) and the whole-database JSON "
    "export/import (`api/interchange.py`)",
    "civicbridge.documents": "certificates, programmes, calendars, news briefs, rosters and "
    "spreadsheets (PDF, Word, Excel, CSV, .ics)",
    "civicbridge.statistics": "the figures leaders ask for (exchanges, people, pairings, "
    "appointments, topics, commitments per year and scope), read across the domains, and their "
    "charts (server-rendered SVG)",
    "civicbridge.reports": "sources (news reports) and the provenance of records; facts "
    "documents turned into records (`civicbridge record-facts`)",
    "civicbridge.attendance": "sign-in at activities: signed, expiring check-in links per "
    "member and activity, attendance records",
    "civicbridge.releases": "published versions of an itinerary, their changelog (from → to) "
    "and the change notices sent to members who opted in",
    "civicbridge.approvals": "the reception plan (接待方案) with its cost lines, submitted, "
    "approved or returned, flagged for re-approval after a change; the reception list (接待清单)",
    "civicbridge.logistics": "a visit's logistics per member: travel legs, hotel and room, "
    "dietary and medical notes, vehicles and seats; permits (台胞证, 入台证) and their warnings",
    "civicbridge.pairings": "appointments of honorary directors, pairings of any kind (batches "
    "with placeholders), agreements, alliances, commitments, the pairing channel, pairing health",
    "civicbridge.forums": "the topic taxonomy and topics discussed anywhere, forums, speakers at "
    "any activity, agenda, outcomes",
    "civicbridge.programmes": "programmes and series (一日里长, 双城交流), their figures per "
    "period, links between exchanges (return visits, earlier visits)",
    "civicbridge.exchanges": "exchanges in either direction, their places, delegations, "
    "composition and groups, members, itineraries, statements, labels, gifts, photos; the "
    "personal-data rule (it reads rosters)",
    "civicbridge.accounts": "roles and their scopes, API tokens, the audit trail, sign-in "
    "throttling; the role predicates and the directory's permissions",
    "civicbridge.directory": "sides, the place tree, people and their aliases, positions, organisations; the "
    "national importer, search, resolution, the type-ahead widget",
    "civicbridge.core": "abstract bases, Simplified/Traditional conversion (`core/hans_hant.py`), "
    "uploads, validation, part of day, HTMX helpers, layout; knows no domain app",
}


# The tier each layer belongs to (the picture's left margin).
TIER = {
    "civicbridge.demo": "entry point",
    "civicbridge.pages": "page tier",
    "civicbridge.api": "other forms",
    "civicbridge.documents": "other forms",
}
DOMAIN = "domain apps"


def contracts() -> list[dict]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _short(module: str) -> str:
    return module.removeprefix("civicbridge.")


def _layers(contract: dict) -> list[list[str]]:
    """Each layer as its list of sibling modules (``a | b`` independent, ``a : b`` not)."""
    rows = []
    for layer in contract["layers"]:
        parts = [p.strip() for p in layer.replace(":", "|").split("|")]
        rows.append([p for p in parts if p])
    return rows


def render() -> str:
    found = contracts()
    layered = [c for c in found if c["type"] == "layers"]
    forbidden = [c for c in found if c["type"] == "forbidden"]
    if len(layered) != 1:
        raise SystemExit("expected exactly one layers contract in pyproject.toml")
    rows = _layers(layered[0])
    modules = [m for row in rows for m in row]
    missing = [m for m in modules if m not in HOLDS]
    extra = [m for m in HOLDS if m not in modules]
    if missing or extra:
        raise SystemExit(
            f"scripts/architecture.py HOLDS and the contract differ: missing {missing}, "
            f"not in the contract {extra}"
        )
    width = max(len(" | ".join(_short(m) for m in row)) for row in rows) + 6
    margin = max(len(t) for t in [*TIER.values(), DOMAIN]) + 2
    lines = [BEGIN, "", f"**{layered[0]['name']}** (contract `{layered[0]['id']}`):", "", "```"]
    lines.append(" " * margin + "┌" + "─" * width + "┐")
    previous = None
    for i, row in enumerate(rows):
        label = " | ".join(_short(m) for m in row)
        tier = TIER.get(row[0], DOMAIN)
        left = (tier if tier != previous else "").ljust(margin)
        previous = tier
        lines.append(left + "│   " + label.ljust(width - 3) + "│")
        if i < len(rows) - 1:
            half = width // 2
            lines.append(" " * margin + "├" + "─" * (half - 1) + "▼" + "─" * (width - half) + "┤")
    lines.append(" " * margin + "└" + "─" * width + "┘")
    lines += [
        "```",
        "",
        "Read from the top: each box may import every box below it (▼), never one above.",
        "",
    ]
    lines += ["| tier | holds |", "|---|---|"]
    for row in rows:
        for module in row:
            lines.append(f"| `{_short(module)}` | {HOLDS[module]} |")
    for contract in forbidden:
        sources = ", ".join(f"`{_short(m)}`" for m in contract["source_modules"])
        targets = ", ".join(f"`{_short(m)}`" for m in contract["forbidden_modules"])
        lines += [
            "",
            f"**{contract['name']}** (contract `{contract['id']}`): {sources} may not import "
            f"{targets}.",
        ]
    lines += ["", END]
    return "\n".join(lines)


def updated(text: str) -> str:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0:
        raise SystemExit(f"ARCHITECTURE.md has no {BEGIN!r} … {END!r} section")
    return text[:start] + render() + text[end + len(END) :]


def main(argv: list[str]) -> int:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in argv:
        if new != text:
            print(
                "ARCHITECTURE.md is stale: run .venv/bin/python scripts/architecture.py",
                file=sys.stderr,
            )
            return 1
        return 0
    ARCHITECTURE.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
