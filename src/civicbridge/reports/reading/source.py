"""A report file (.txt, .html, .docx) read into text, with what its header says: the address
it was taken from and its publication date."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024


class UnreadableReport(ValueError):
    """The file is not a report we can read (its type, its encoding, its size)."""


@dataclass
class LoadedReport:
    text: str
    url: str = ""
    published: dt.date | None = None


_HEADER = re.compile(r"^(source|published|url|date)\s*:\s*(.*)$", re.IGNORECASE)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(value: str) -> dt.date | None:
    match = _ISO.search(value)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def header_of(text: str) -> tuple[str, dt.date | None]:
    """``source:``/``published:`` lines at the top of a saved report."""
    url, published = "", None
    for line in text.lstrip("\ufeff").splitlines()[:6]:
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key in ("source", "url"):
            url = value
        else:
            published = _date(value)
    return url, published


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableReport("The file is not text in UTF-8, GB18030 or Big5.")


class _PageText(HTMLParser):
    """The text of a web page without its chrome: scripts, styles, navigation, headers and
    footers are skipped; block elements end lines."""

    SKIP = {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "noscript",
        "iframe",
        "title",
    }
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section", "article"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def html_text(markup: str) -> str:
    """The page's running text: its lines, keeping the longest run of lines rich in Chinese
    (the article) and the title line above it."""
    parser = _PageText()
    parser.feed(markup)
    lines = [
        re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    ]
    lines = [html.unescape(line) for line in lines if line]
    rich = [i for i, line in enumerate(lines) if len(_CJK.findall(line)) >= 20]
    if not rich:
        return "\n".join(lines)
    first, last = rich[0], rich[-1]
    head = max(0, first - 3)
    return "\n\n".join(lines[head : last + 1])


def docx_text(data: bytes) -> str:
    import io  # noqa: PLC0415 (heavy)

    import docx  # noqa: PLC0415 (heavy)

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken file
        raise UnreadableReport("The Word file cannot be read.") from error
    return "\n\n".join(p.text for p in document.paragraphs if p.text.strip())


def load_bytes(data: bytes, filename: str) -> LoadedReport:
    if len(data) > MAX_BYTES:
        raise UnreadableReport("The file is larger than 5 MB.")
    suffix = Path(filename).suffix.lower()
    if suffix in (".html", ".htm"):
        text = html_text(decode(data))
    elif suffix == ".docx":
        text = docx_text(data)
    elif suffix in (".txt", ""):
        text = decode(data)
    else:
        raise UnreadableReport("Reports are read from .txt, .html and .docx files.")
    if "\x00" in text:
        raise UnreadableReport("The file holds NUL characters: it is not a text.")
    url, published = header_of(text)
    return LoadedReport(text=text, url=url, published=published)


def load_report(path: str | Path) -> LoadedReport:
    path = Path(path)
    return load_bytes(path.read_bytes(), path.name)
