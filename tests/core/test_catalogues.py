"""The translation catalogues (简体中文, 繁體中文, English) are complete, compiled and current.

The catalogues live in src/civicbridge/locale/<locale>/LC_MESSAGES/django.po with their
compiled django.mo committed next to them; scripts/translate_catalogues.py fills them.
"""

from __future__ import annotations

import gettext as gettext_module
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PACKAGE_DIR = LOCALE_DIR.parent
LOCALES = {
    # locale: (Language header, Plural-Forms header, nplurals)
    "zh_Hans": ("zh_Hans", "nplurals=1; plural=0;", 1),
    "zh_Hant": ("zh_Hant", "nplurals=1; plural=0;", 1),
    "en": ("en", "nplurals=2; plural=(n != 1);", 2),
}
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxX]|%[-#0 +]*\d*(?:\.\d+)?[sdifrxX]|%%"
)
TAG = re.compile(r"</?[a-zA-Z][^>]*>|&[a-z]+;")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


# --------------------------------------------------------------------------- a tiny PO reader


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


def read_po(path: Path) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr (a dict of form → text), flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"msgctxt": None, "msgid": None, "msgid_plural": None, "flags": set()}
        entry["msgstr"] = {}
        key = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                if isinstance(key, int):
                    entry["msgstr"][key] += _unquote(line)
                else:
                    entry[key] += _unquote(line)
            else:
                keyword, token = line.split(" ", 1)
                match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                if match:
                    key = int(match.group(1))
                    entry["msgstr"][key] = _unquote(token)
                elif keyword == "msgstr":
                    key = 0
                    entry["msgstr"][0] = _unquote(token)
                else:
                    key = keyword
                    entry[key] = _unquote(token)
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


def catalogue(locale: str) -> tuple[dict, list[dict]]:
    entries = read_po(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po")
    header, *rest = entries
    assert header["msgid"] == ""
    fields = dict(line.split(": ", 1) for line in header["msgstr"][0].splitlines() if ": " in line)
    return fields, rest


def key(entry: dict) -> tuple:
    return (entry["msgctxt"], entry["msgid"], entry["msgid_plural"])


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


# --------------------------------------------------------------------------- completeness


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_headers_name_language_and_plural_forms(locale):
    fields, _entries = catalogue(locale)
    language, plural_forms, _n = LOCALES[locale]
    assert fields["Language"] == language
    assert fields["Plural-Forms"] == plural_forms
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_every_msgid_translated(locale):
    _fields, entries = catalogue(locale)
    nplurals = LOCALES[locale][2]
    untranslated = []
    for entry in entries:
        forms = range(nplurals) if entry["msgid_plural"] is not None else [0]
        if sorted(entry["msgstr"]) != list(forms) or not all(entry["msgstr"].values()):
            untranslated.append(entry["msgid"])
    assert len(entries) > 500
    assert untranslated == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_no_fuzzy_entries(locale):
    _fields, entries = catalogue(locale)
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_placeholders_and_markup_preserved(locale):
    _fields, entries = catalogue(locale)
    broken = []
    for entry in entries:
        sources = [entry["msgid"]]
        if entry["msgid_plural"] is not None:
            sources.append(entry["msgid_plural"])
        for text in entry["msgstr"].values():
            if placeholders(text) not in [placeholders(s) for s in sources] or tags(text) not in [
                tags(s) for s in sources
            ]:
                broken.append((entry["msgid"], text))
    assert broken == []


def test_catalogues_same_msgids_in_all_languages():
    keys = {locale: {key(e) for e in catalogue(locale)[1]} for locale in LOCALES}
    assert keys["zh_Hant"] == keys["zh_Hans"]
    assert keys["en"] == keys["zh_Hans"]


def test_catalogue_english_is_the_source_text():
    _fields, entries = catalogue("en")
    different = [
        e["msgid"]
        for e in entries
        if e["msgstr"][0] != e["msgid"]
        or (e["msgid_plural"] is not None and e["msgstr"][1] != e["msgid_plural"])
    ]
    assert different == []


def test_catalogue_traditional_is_not_simplified():
    hans = {key(e): e["msgstr"][0] for e in catalogue("zh_Hans")[1]}
    hant = {key(e): e["msgstr"][0] for e in catalogue("zh_Hant")[1]}
    # Traditional differs wherever the Simplified text has a character that converts.
    assert hant[(None, "Sign in", None)] != hans[(None, "Sign in", None)]
    # A li stays 里 in Traditional (never 裡); 社区 becomes 社區, not 社群 (s2twp).
    assert hant[(None, "Home li or community", None)] == "所屬里或社區"
    li_texts = [text for k, text in hant.items() if re.search(r"\bli\b", k[1])]
    assert len(li_texts) > 5
    assert [text for text in li_texts if "裡" in text] == []
    assert not any("社群" in text for text in hant.values())


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_po(locale):
    """The committed django.mo was compiled from the committed django.po."""
    _fields, entries = catalogue(locale)
    with open(LOCALE_DIR / locale / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext_module.GNUTranslations(handle)
    stale = []
    for entry in entries:
        context = entry["msgctxt"]
        if entry["msgid_plural"] is None:
            got = (
                compiled.gettext(entry["msgid"])
                if context is None
                else compiled.pgettext(context, entry["msgid"])
            )
            if got != entry["msgstr"][0]:
                stale.append(entry["msgid"])
        else:
            for n, form in ((1, 0), (2, len(entry["msgstr"]) - 1)):
                got = (
                    compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                    if context is None
                    else compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                )
                if got != entry["msgstr"][form]:
                    stale.append(entry["msgid"])
    assert stale == []


# --------------------------------------------------------------------------- up to date with code


def test_catalogues_match_the_code(tmp_path, settings, monkeypatch):
    """makemessages over a copy of the code finds exactly the msgids of the catalogues."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("gettext tools (xgettext, msgmerge) are not installed: apt-get install gettext")
    copy = tmp_path / "civicbridge"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("static", "__pycache__", "*.pyc", "*.mo", "var"),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=list(LOCALES),
        ignore_patterns=["static/*"],
        no_obsolete=True,
        verbosity=0,
    )
    for locale in LOCALES:
        committed = {key(e) for e in catalogue(locale)[1]}
        fresh = read_po(copy / "locale" / locale / "LC_MESSAGES" / "django.po")[1:]
        fresh_keys = {key(e) for e in fresh}
        assert sorted(fresh_keys - committed, key=str) == []  # new in the code: translate them
        assert sorted(committed - fresh_keys, key=str) == []  # gone from the code: drop them


# --------------------------------------------------------------------------- at run time


def test_translation_simplified_and_traditional_ui_strings():
    expected = {
        "zh-hans": {
            "Dashboard": "仪表板",
            "Exchanges": "交流",
            "Sign in": "登录",
            "Places": "地区",
        },
        "zh-hant": {
            "Dashboard": "儀表板",
            "Exchanges": "交流",
            "Sign in": "登入",
            "Places": "地區",
        },
        "en": {"Dashboard": "Dashboard", "Exchanges": "Exchanges", "Sign in": "Sign in"},
    }
    for language, strings in expected.items():
        with translation.override(language):
            got = {msgid: translation.gettext(msgid) for msgid in strings}
        assert got == strings


def test_translation_plural_forms_in_each_language():
    got = {}
    for language in ("zh-hans", "zh-hant", "en"):
        with translation.override(language):
            got[language] = [
                translation.ngettext("%(n)s pairing", "%(n)s pairings", n) % {"n": n}
                for n in (1, 3)
            ]
    assert got == {
        "zh-hans": ["1 个结对", "3 个结对"],
        "zh-hant": ["1 個結對", "3 個結對"],
        "en": ["1 pairing", "3 pairings"],
    }


@pytest.mark.django_db
def test_translation_sign_in_page_in_the_browser_language(client):
    pages = {
        language: client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for language in ("zh-Hans", "zh-Hant", "en")
    }
    assert "登录" in pages["zh-Hans"]
    assert "登入" in pages["zh-Hant"]
    assert "Sign in" in pages["en"]
