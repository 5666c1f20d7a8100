"""The demo's facts file (src/civicbridge/demo/visit2016.toml): in our own words where it
is not a quote, and shipped with the package."""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from civicbridge.demo.visit2016 import FACTS_FILE, DemoError, _known, facts

ROOT = Path(__file__).resolve().parents[2]
# The source report lies beside the national files (shared/seed), outside the project.
SEED = Path(django_settings.CIVICBRIDGE_DATA_DIR).parent / "seed"
# Fields that describe (as opposed to names and titles, which are the report's).
DESCRIBING = {"summary", "description", "note", "text", "caption", "position_note"}
# The longest run of the report's characters a description may share with it, outside
# “” and the names of places, organisations and people: set phrases such as
# 全国重点文物保护单位 or 2016京台社区大讲堂 are shorter.
LONGEST_SHARED_RUN = 12


def _texts(node, field="", quote=False):
    """(field, text) of every text of the file, except those of records marked as quotes."""
    if isinstance(node, dict):
        quote = quote or node.get("quote", False)
        for key, value in node.items():
            yield from _texts(value, key, quote)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, field, quote)
    elif isinstance(node, str) and not quote:
        yield field, node


def _names(data) -> set[str]:
    names = set(data["places"])
    names |= {li[k] for li in data["taipei_li"] for k in ("name", "report_spelling")}
    names |= {o[k] for o in data["organisations"] for k in ("name", "short_name") if k in o}
    names |= {p["name"] for p in data["officials"]["people"] + data["people"]}
    return names


def _longest_shared_run(text: str, report: str) -> str:
    best = ""
    for i in range(len(text)):
        j = i + len(best) + 1
        while j <= len(text) and text[i:j] in report:
            best = text[i:j]
            j += 1
    return best


def test_descriptions_are_in_our_own_words():
    reports = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if not reports:
        pytest.skip(f"the source report is not in {SEED}")
    report = re.sub(r"\s+", "", "".join(p.read_text(encoding="utf-8") for p in reports))
    data = facts()
    names = sorted(_names(data), key=len, reverse=True)
    copied = []
    for field, text in _texts(data):
        if field not in DESCRIBING:
            continue
        own = re.sub(r"“[^”]*”", "|", text)  # the report's wordings, cited
        for name in names:
            own = own.replace(name, "|")
        run = _longest_shared_run(own, report)
        if len(run) > LONGEST_SHARED_RUN:
            copied.append((field, text, run))
    assert copied == []


def test_descriptions_check_finds_a_copied_sentence():
    """The check above would catch a description taken over from the report."""
    report = "参访团对社区防灾救护、科学知识教育、小区环境建设赞叹不已。"
    text = "参访团对社区防灾救护、科学知识教育、小区环境建设赞叹不已。"
    assert len(_longest_shared_run(text, report)) > LONGEST_SHARED_RUN
    assert list(_texts({"summary": text, "quote": True})) == []


def test_facts_file_ships_with_the_package():
    """package-data in pyproject.toml covers the facts file and the demo's own directory
    rows (a clone, or an installed package, finds them beside the loader)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    package = ROOT / "src" / "civicbridge"
    shipped = {path for pattern in patterns for path in package.glob(pattern) if path.is_file()}
    demo = FACTS_FILE.parent
    wanted = {FACTS_FILE, *(p for p in (demo / "directory").iterdir() if p.is_file())}
    assert wanted <= shipped


def test_a_misspelt_key_in_the_facts_file_is_an_error():
    """A key the loader does not read is an error, not silently ignored."""
    with pytest.raises(DemoError, match="descripton"):
        _known({"title": "参观法海寺", "descripton": "游览"}, "activity", "title", "description")
