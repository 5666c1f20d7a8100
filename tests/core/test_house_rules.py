"""House rules that are checked on the code itself: every function-local import carries a
listed reason, and ARCHITECTURE.md's tiers are the ones the import contract enforces."""

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "civicbridge"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"

NOQA = re.compile(r"#\s*noqa:\s*PLC0415\b(?P<rest>.*)$")
REASON = re.compile(r"^\s*\((?P<reason>[a-z-]+)\)")


def listed_reasons() -> set[str]:
    """The reasons ARCHITECTURE.md lists under "Function-local imports" (``- `(heavy)` …``)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("### Function-local imports", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^- `\(([a-z-]+)\)`", section, re.M))


def local_import_marks() -> list[tuple[str, int, str]]:
    """Every ``# noqa: PLC0415`` in src, as (file, line, what follows the code)."""
    marks = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = NOQA.search(line)
            if found:
                marks.append((str(path.relative_to(ROOT)), number, found["rest"]))
    return marks


def test_architecture_lists_the_reasons():
    assert listed_reasons() == {"heavy", "app-ready", "bootstrap", "optional"}


def test_every_local_import_gives_a_listed_reason():
    reasons = listed_reasons()
    unexplained = []
    for path, number, rest in local_import_marks():
        found = REASON.match(rest)
        if found is None or found["reason"] not in reasons:
            unexplained.append(f"{path}:{number}:{rest.strip()}")
    assert unexplained == []


def test_architecture_md_is_written_from_the_contract():
    script = runpy.run_path(str(ROOT / "scripts" / "architecture.py"))
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert script["updated"](text) == text
