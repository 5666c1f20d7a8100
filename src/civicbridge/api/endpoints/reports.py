"""Facts documents recorded as exchanges (reports.services.record_facts) or added to one
already recorded (reports.services.add_facts), and sources."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from civicbridge.api.core import ErrorOut, page_of, paginate, responses
from civicbridge.api.endpoints.common import Limit, Offset, OptId, PathId, get, need
from civicbridge.exchanges.models import Exchange
from civicbridge.reports import selectors
from civicbridge.reports.facts import FactsError
from civicbridge.reports.models import Source
from civicbridge.reports.services import add_facts, record_facts

router = Router(tags=["reports"])

MAX_BYTES = 5_000_000


class UnresolvedOut(Schema):
    fact: int
    type: str
    field: str
    wording: str
    why: str


class CreatedOut(Schema):
    type: str
    id: int
    name: str


class RecordedOut(Schema):
    exchange_id: int
    source_id: int
    counts: dict[str, int]
    unresolved: list[UnresolvedOut]
    created: list[CreatedOut]
    # Added to an exchange already recorded (exchange_id given): the records the facts
    # matched, per type, and what the report says otherwise than the exchange (kept).
    matched: dict[str, int]
    notes: list[str]


class ProblemsOut(Schema):
    detail: str
    problems: list[str]


class SourceOut(Schema):
    id: int
    headline: str
    publishers: str
    url: str
    published_on: str | None
    dateline: str
    reporter: str
    script: str
    text_sha256: str
    exchange_ids: list[int]

    @staticmethod
    def resolve_published_on(obj):
        return obj.published_on.isoformat() if obj.published_on else None

    @staticmethod
    def resolve_exchange_ids(obj):
        return sorted(e.pk for e in obj.exchanges.all())


class ProvenanceOut(Schema):
    id: int
    source_id: int
    record_type: str
    record_id: int
    fact_type: str
    span: list[int] | None

    @staticmethod
    def resolve_record_type(obj):
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_record_id(obj):
        return obj.object_id

    @staticmethod
    def resolve_span(obj):
        if obj.span_start is None:
            return None
        return [obj.span_start, obj.span_end]


@router.post(
    "/facts",
    response={
        200: RecordedOut,
        201: RecordedOut,
        400: ProblemsOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Record a facts document as a draft exchange, or add it to one",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "description": "A civicbridge-report-facts document, version 1.",
                        "properties": {
                            "format": {"type": "string", "enum": ["civicbridge-report-facts"]},
                            "version": {"type": "integer", "enum": [1]},
                            "published": {"type": ["string", "null"], "format": "date"},
                            "facts": {"type": "array", "items": {"type": "object"}},
                        },
                        "required": ["format", "version", "facts"],
                    }
                }
            },
        }
    },
)
def post_facts(request, exchange_id: OptId = None):
    """The body is a facts document (``civicbridge-report-facts``, version 1). 201: the
    exchange recorded, its records per type and the names not resolved (kept as written);
    400: every problem of the document (nothing recorded); 403: not allowed to host an
    exchange at its host places.

    With ``exchange_id`` the facts are added to that exchange (a report of an exchange
    already recorded): what it holds is matched (``matched``), not recorded again; the rest
    is added (``counts``); its dates and delegation are kept, a difference is a ``note``.
    200; 403: not allowed to change the exchange; 404: no such exchange."""
    into = None
    if exchange_id is not None:
        into = get(Exchange, exchange_id, Exchange.objects.filter(deleted_at__isnull=True))
        need(request, "exchanges.change_exchange", into)
    else:
        need(request, "exchanges.add_exchange")
    body = request.body
    if len(body) > MAX_BYTES:
        return Status(400, {"detail": _("The document is too large."), "problems": []})
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Status(
            400, {"detail": _("The body is not a JSON document."), "problems": [_("Not JSON.")]}
        )
    try:
        if into is not None:
            result = add_facts(exchange=into, document=document, actor=request.user)
        else:
            result = record_facts(document=document, actor=request.user)
    except FactsError as exc:
        return Status(
            400, {"detail": _("The facts document is not valid."), "problems": exc.problems}
        )
    return Status(
        201 if into is None else 200,
        {
            "exchange_id": result.exchange.pk,
            "source_id": result.source.pk,
            "counts": result.counts,
            "unresolved": result.unresolved,
            "created": [
                {"type": r._meta.label_lower, "id": r.pk, "name": r.name} for r in result.created
            ],
            "matched": result.matched,
            "notes": result.notes,
        },
    )


@router.get("/sources", response=responses(200, page_of(SourceOut)), summary="List sources")
def list_sources(request, exchange: OptId = None, limit: Limit = 50, offset: Offset = 0):
    need(request, "exchanges.view_exchange")
    return paginate(selectors.sources(exchange_id=exchange), limit, offset)


@router.get("/sources/{source_id}", response=responses(200, SourceOut), summary="One source")
def get_source(request, source_id: PathId):
    need(request, "exchanges.view_exchange")
    return get(Source, source_id, selectors.sources())


@router.get(
    "/sources/{source_id}/provenance",
    response=responses(200, page_of(ProvenanceOut)),
    summary="The records taken from a source",
)
def list_provenance(request, source_id: PathId, limit: Limit = 100, offset: Offset = 0):
    need(request, "exchanges.view_exchange")
    source = get(Source, source_id)
    return paginate(selectors.provenance(source=source), limit, offset)
