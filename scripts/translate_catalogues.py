"""Keep the translation catalogues complete: 简体中文 (zh_Hans), 繁體中文 (zh_Hant), English (en).

The Simplified catalogue is the translation memory: its msgstrs are written by hand (imported
from a JSON file of ``{msgid: translation}``). The Traditional catalogue is derived from it with
OpenCC ``s2tw`` (not ``s2twp``, which turns 社区 into 社群) plus a small table of Taiwan UI words
(登录 → 登入, 信息 → 資訊 …). English is the source language: msgstr = msgid.

Usage (from the repository root):

    .venv/bin/python scripts/translate_catalogues.py extract   # makemessages for the 3 locales
    .venv/bin/python scripts/translate_catalogues.py missing > todo.json
    #   ... translate todo.json by hand (values = Simplified Chinese) ...
    .venv/bin/python scripts/translate_catalogues.py import todo.json
    .venv/bin/python scripts/translate_catalogues.py derive    # zh_Hant and en from zh_Hans
    .venv/bin/python scripts/translate_catalogues.py compile   # compilemessages (.mo)
    .venv/bin/python scripts/translate_catalogues.py all       # extract, derive, compile

After ``import``/``derive`` run ``extract`` once more before committing: this module writes
entries unwrapped and msgmerge rewraps them, so the committed files stay in gettext's layout.

``missing`` lists Simplified entries that are empty or fuzzy (msgmerge guesses are re-done by
hand). For plural entries the JSON key is the msgid and the value is the single Chinese form.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "civicbridge"
LOCALE = PACKAGE / "locale"
VENV_BIN = ROOT / ".venv" / "bin"

LOCALES = {
    # locale dir: (Language header, Plural-Forms header, nplurals)
    "zh_Hans": ("zh_Hans", "nplurals=1; plural=0;", 1),
    "zh_Hant": ("zh_Hant", "nplurals=1; plural=0;", 1),
    "en": ("en", "nplurals=2; plural=(n != 1);", 2),
}

# Words that OpenCC's s2tw converts character by character but a Taiwanese reader of a user
# interface expects in their local form. UI vocabulary only: never names of places or people.
# Applied in one pass (longest first) to the s2tw output.
TAIWAN_UI_WORDS = {
    "登錄": "登入",
    "退出登入": "登出",
    "信息": "資訊",
    "用戶名": "使用者名稱",
    "用戶": "使用者",
    "默認": "預設",
    "文件": "檔案",
    "文檔": "文件",
    "數據庫": "資料庫",
    "數據": "資料",
    "網絡": "網路",
    "設置": "設定",
    "搜索": "搜尋",
    "賬號": "帳號",
    "賬戶": "帳戶",
    "鏈接": "連結",
    "保存": "儲存",
    "軟件": "軟體",
    "導出": "匯出",
    "導入": "匯入",
    "菜單": "選單",
    "打印": "列印",
    "視頻": "影片",
    "屏幕": "螢幕",
    "短信": "簡訊",
    "郵箱": "電子郵件信箱",
    "字體": "字型",
    "模板": "範本",
    "批量": "批次",
    "質量": "品質",
    "點擊": "點選",
    "服務器": "伺服器",
    "接口": "介面",
    "界面": "介面",
    "消息": "訊息",
    "聯繫": "聯絡",
    "當前": "目前",
    "只讀": "唯讀",
    "發佈": "發布",
    "退出登錄": "登出",
    "添加": "新增",
    "重置": "重設",
    "文本": "文字",
    "字符": "字元",
    "字段": "欄位",
    "程序": "程式",
    "文件名": "檔名",
    "創建": "建立",
    "加載": "載入",
    "調用": "呼叫",
    "公佈": "公布",
    "運行": "執行",
    "字節": "位元組",
    "回復": "回覆",
    "時間線": "時間軸",
    "演示": "示範",
    "對象": "物件",
    "導航": "導覽",
    "查找": "尋找",
    "打開": "開啟",
    "工作簿": "活頁簿",
    "“": "「",
    "”": "」",
    "‘": "『",
    "’": "』",
    "令牌": "權杖",
    "頭像": "大頭貼",
    "圖標": "圖示",
    "在線": "線上",
    "緩存": "快取",
    "激活": "啟用",
}
# Whole strings where a word table is not enough: in Taiwan 列 is a row and 欄 a column (the
# mainland's 行 and 列), so the spreadsheet messages are given here in full.
HANT_OVERRIDES = {
    "Row": "列",
    "Column": "欄",
    "Row %(row)s, column %(column)s: %(message)s": "第 %(row)s 列，第 %(column)s 欄：%(message)s",
    "Row %(row)s: %(message)s": "第 %(row)s 列：%(message)s",
    "This column is required but missing from the header row.": "此欄為必填，但標題列中沒有。",
    "The same person is already on row %(row)s.": "同一人員已出現在第 %(row)s 列。",
    "The sheet has no rows to import.": "工作表中沒有可匯入的資料列。",
    "Every row is imported, or none: if any row has a problem, nothing changes and each problem "
    "is listed with its row and column.": "要麼全部資料列都匯入，要麼都不匯入：只要有一列有問題，"
    "就不做任何改動，並逐一列出每個問題所在的列和欄。",
    "Nothing was imported. Correct these rows and upload the file again:": "未匯入任何內容。"
    "請更正以下各列後重新上傳檔案：",
}

_TAIWAN_RE = re.compile("|".join(sorted(map(re.escape, TAIWAN_UI_WORDS), key=len, reverse=True)))

PLACEHOLDER_RE = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxX]|%[-#0 +]*\d*(?:\.\d+)?[sdifrxX]"
)


# --------------------------------------------------------------------------- PO files


def _unquote(line: str) -> str:
    body = line.strip()
    assert body.startswith('"') and body.endswith('"'), line
    body = body[1:-1]
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _quote(text: str) -> str:
    return (
        '"'
        + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n"))
        + '"'
    )


def _field(keyword: str, text: str) -> list[str]:
    parts = text.splitlines(keepends=True)
    if len(parts) <= 1:
        return [f"{keyword} {_quote(text)}"]
    return [f'{keyword} ""', *(_quote(p) for p in parts)]


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)  # '#' lines except flags
    flags: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def lines(self) -> list[str]:
        out = [c for c in self.comments if not c.startswith("#|")]
        if self.flags:
            out.append("#, " + ", ".join(self.flags))
        if self.msgctxt is not None:
            out += _field("msgctxt", self.msgctxt)
        out += _field("msgid", self.msgid)
        if self.msgid_plural is not None:
            out += _field("msgid_plural", self.msgid_plural)
            for n in sorted(self.msgstr_plural):
                out += _field(f"msgstr[{n}]", self.msgstr_plural[n])
        else:
            out += _field("msgstr", self.msgstr)
        return out


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None
    started = False

    def flush():
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip():
            flush()
            continue
        if line.startswith("#,"):
            if started and target is not None:
                flush()
            current.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            continue
        if line.startswith("#"):
            if started and target is not None and not line.startswith("#~"):
                flush()
            current.comments.append(line)
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            new_entry = keyword == "msgctxt" or (
                keyword == "msgid" and target and target[0] != "msgctxt"
            )
            if new_entry and started and target and target[0].startswith("msgstr"):
                flush()
            started = True
            if keyword.startswith("msgstr["):
                target = ("msgstr_plural", int(index))
                current.msgstr_plural[int(index)] = value
            else:
                target = (keyword, None)
                setattr(current, keyword, value)
            continue
        if line.startswith('"') and target:
            value = _unquote(line)
            name, index = target
            if name == "msgstr_plural":
                current.msgstr_plural[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        raise ValueError(f"cannot parse PO line: {line!r}")
    flush()
    return entries


def write_po(path: Path, entries: list[Entry]) -> None:
    blocks = ["\n".join(e.lines()) for e in entries]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def po_path(locale: str) -> Path:
    return LOCALE / locale / "LC_MESSAGES" / "django.po"


def load(locale: str) -> list[Entry]:
    return parse_po(po_path(locale).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- headers


def fix_header(entries: list[Entry], locale: str) -> None:
    language, plural_forms, _n = LOCALES[locale]
    header = entries[0]
    assert header.msgid == "", "first entry must be the PO header"
    fields: dict[str, str] = {}
    for line in header.msgstr.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    fields["Project-Id-Version"] = "CivicBridge"
    fields["Report-Msgid-Bugs-To"] = fields.get("Report-Msgid-Bugs-To", "")
    fields["Last-Translator"] = "CivicBridge team"
    fields["Language-Team"] = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}[
        locale
    ]
    fields["Language"] = language
    fields["MIME-Version"] = "1.0"
    fields["Content-Type"] = "text/plain; charset=UTF-8"
    fields["Content-Transfer-Encoding"] = "8bit"
    fields["Plural-Forms"] = plural_forms
    if fields.get("PO-Revision-Date", "YEAR").startswith("YEAR"):
        fields["PO-Revision-Date"] = fields.get("POT-Creation-Date", "")
    order = [
        "Project-Id-Version",
        "Report-Msgid-Bugs-To",
        "POT-Creation-Date",
        "PO-Revision-Date",
        "Last-Translator",
        "Language-Team",
        "Language",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Plural-Forms",
    ]
    keys = order + [k for k in fields if k not in order]
    header.msgstr = "".join(f"{k}: {fields[k]}\n" for k in keys if k in fields)
    header.comments = [
        "# CivicBridge user interface, "
        + {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}[locale]
        + ".",
        "# Generated and filled by scripts/translate_catalogues.py; see its docstring.",
        "#",
    ]
    header.flags = [f for f in header.flags if f != "fuzzy"]


def normalise_plurals(entry: Entry, nplurals: int) -> None:
    if entry.msgid_plural is None:
        return
    first = entry.msgstr_plural.get(0, "")
    entry.msgstr_plural = {n: entry.msgstr_plural.get(n, first) for n in range(nplurals)}


def drop_fuzzy(entry: Entry) -> None:
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    entry.comments = [c for c in entry.comments if not c.startswith("#|")]


# --------------------------------------------------------------------------- conversions

_converter = None
# 里 on its own is a li; 这里/那里/哪里/里面 are "here/there/inside" and become 裡.
_LI_RE = re.compile(r"(?<![这那哪])里(?!面)")


def to_traditional(text: str) -> str:
    """s2tw, keeping 里 (a Taipei li, never 裡), then the Taiwan UI word table."""
    global _converter
    if _converter is None:
        import opencc  # noqa: PLC0415 (heavy)

        _converter = opencc.OpenCC("s2tw")
    parts = _LI_RE.split(text)
    converted = "里".join(_converter.convert(part) for part in parts)
    return _TAIWAN_RE.sub(lambda m: TAIWAN_UI_WORDS[m.group(0)], converted)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER_RE.findall(text))


# --------------------------------------------------------------------------- commands


def key_of(entry: Entry) -> str:
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"


def cmd_extract() -> None:
    LOCALE.mkdir(parents=True, exist_ok=True)
    args = [str(VENV_BIN / "civicbridge"), "makemessages", "--ignore", "static/*", "--no-obsolete"]
    for locale in LOCALES:
        args += ["-l", locale]
    subprocess.run(args, cwd=PACKAGE, check=True)  # noqa: S603


def cmd_missing() -> None:
    todo = {}
    for entry in load("zh_Hans")[1:]:
        value = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if not value or entry.fuzzy:
            todo[key_of(entry)] = ""
    json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def cmd_import(path: str) -> None:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    entries = load("zh_Hans")
    fix_header(entries, "zh_Hans")
    problems = []
    for entry in entries[1:]:
        value = translations.get(key_of(entry))
        if not value:
            continue
        source = entry.msgid if entry.msgid_plural is None else entry.msgid_plural
        if placeholders(value) != placeholders(entry.msgid) and placeholders(value) != placeholders(
            source
        ):
            problems.append(f"placeholders differ: {entry.msgid!r} -> {value!r}")
            continue
        if entry.msgid_plural is not None:
            entry.msgstr_plural = {0: value}
        else:
            entry.msgstr = value
        drop_fuzzy(entry)
    for entry in entries[1:]:
        normalise_plurals(entry, 1)
    write_po(po_path("zh_Hans"), entries)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)


def cmd_derive() -> None:
    hans = {key_of(e): e for e in load("zh_Hans")[1:]}
    for locale in ("zh_Hant", "en"):
        entries = load(locale)
        fix_header(entries, locale)
        nplurals = LOCALES[locale][2]
        for entry in entries[1:]:
            drop_fuzzy(entry)
            if locale == "en":
                if entry.msgid_plural is not None:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    entry.msgstr = entry.msgid
                continue
            source = hans.get(key_of(entry))
            if source is None or source.fuzzy:
                entry.msgstr, entry.msgstr_plural = "", {}
                if entry.msgid_plural is not None:
                    entry.msgstr_plural = {0: ""}
                continue
            if entry.msgid_plural is not None:
                entry.msgstr_plural = {0: to_traditional(source.msgstr_plural.get(0, ""))}
            elif entry.msgctxt is None and entry.msgid in HANT_OVERRIDES:
                entry.msgstr = HANT_OVERRIDES[entry.msgid]
            else:
                entry.msgstr = to_traditional(source.msgstr)
            normalise_plurals(entry, nplurals)
        write_po(po_path(locale), entries)


def cmd_compile() -> None:
    subprocess.run(  # noqa: S603
        [str(VENV_BIN / "civicbridge"), "compilemessages"], cwd=PACKAGE, check=True
    )


def main(argv: list[str]) -> None:
    if not argv:
        print(__doc__)
        sys.exit(2)
    command, *rest = argv
    if command == "extract":
        cmd_extract()
    elif command == "missing":
        cmd_missing()
    elif command == "import":
        cmd_import(*rest)
    elif command == "derive":
        cmd_derive()
    elif command == "compile":
        cmd_compile()
    elif command == "all":
        cmd_extract()
        entries = load("zh_Hans")
        fix_header(entries, "zh_Hans")
        for entry in entries[1:]:
            normalise_plurals(entry, 1)
        write_po(po_path("zh_Hans"), entries)
        cmd_derive()
        cmd_extract()  # msgmerge again: the files come out wrapped the way gettext writes them
        cmd_compile()
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
