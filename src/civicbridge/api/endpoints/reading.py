"""A news report read into facts (reports.reading): the text or a file in, the facts
document (FACTS.md) out, to review and then record with ``POST /facts``."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from civicbridge.api.core import ErrorOut, responses
from civicbridge.api.endpoints.common import need
from civicbridge.reports.reading.extract import read_report
from civicbridge.reports.reading.source import MAX_BYTES, UnreadableReport, header_of, load_bytes

router = Router(tags=["reports"])


class ReadIn(Schema):
    text: str = ""
    published: dt.date | None = None


class FactsDocumentOut(Schema):
    format: str
    version: int
    published: str | None = None
    script: str
    url: str | None = None
    headline: str | None = None
    publishers: str | None = None
    dateline: str | None = None
    facts: list[dict]


@router.post(
    "/reports/read",
    response=responses(200, FactsDocumentOut),
    summary="Read a news report into facts (form fields text and published, or a file)",
    exclude_none=True,
)
def read_a_report(request, payload: Form[ReadIn], file: File[UploadedFile] = None):
    """The report's text (``text``) or a .txt, .html or .docx file (``file``), Simplified or
    Traditional; ``published`` (YYYY-MM-DD) gives dates without a year their year when the
    report does not say. Answers the facts document, each fact with its span in the text as
    read. Needs the right to create exchanges, as recording them does."""
    need(request, "exchanges.add_exchange")
    if file is not None:
        try:
            loaded = load_bytes(file.read(MAX_BYTES + 1), file.name or "report.txt")
        except UnreadableReport as exc:
            return Status(400, ErrorOut(detail=str(exc)))
        text, url, published = loaded.text, loaded.url, loaded.published
    else:
        text = payload.text
        if len(text) > MAX_BYTES:
            return Status(400, ErrorOut(detail=_("The text is larger than 5 MB.")))
        if "\x00" in text:
            return Status(400, ErrorOut(detail=_("The text holds NUL characters.")))
        url, published = header_of(text)
    if not text.strip():
        return Status(400, ErrorOut(detail=_("Paste a report or upload one.")))
    return read_report(text, published=payload.published or published, url=url)
