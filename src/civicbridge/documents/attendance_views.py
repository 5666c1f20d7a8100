"""Downloads of the day-of-visit paperwork: the sign-in sheet of an activity, the badges and
place cards of an exchange (PDF), and a member's check-in codes (their programme with a QR
code per activity, printable HTML). Views parse → check permission → render.

The script is ``?script=zh-hans|zh-hant`` or the reader's; badges and place cards may be
limited to one side (``?side=visiting|host``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from civicbridge.attendance import links
from civicbridge.attendance.selectors import when_label
from civicbridge.core import hans_hant
from civicbridge.documents import badges, sign_in_sheet
from civicbridge.documents.fonts import CJKFontMissing
from civicbridge.documents.selectors import activities_for
from civicbridge.documents.text import normalise_script
from civicbridge.exchanges.models import Activity, Exchange, Member, Side

PDF = "application/pdf"


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _script(request) -> str:
    value = request.GET.get("script")
    if value:
        return normalise_script(value)
    return hans_hant.script_of_language(translation.get_language())


def _side(request) -> str | None:
    value = request.GET.get("side") or ""
    if value and value not in Side.values:
        raise Http404
    return value or None


def _pdf(render_pdf, filename: str) -> HttpResponse:
    try:
        data = render_pdf()
    except CJKFontMissing as exc:
        return HttpResponse(str(exc), status=500, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _exchange(pk) -> Exchange:
    return get_object_or_404(Exchange.objects.alive(), pk=pk)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def sign_in_sheet_pdf(request, pk):
    activity = get_object_or_404(
        Activity.objects.select_related(
            "exchange", "place", "place__parent", "place__parent__parent", "venue"
        ).filter(exchange__deleted_at__isnull=True),
        pk=pk,
    )
    _require(request, "attendance.view_attendance", activity)
    which = _script(request)
    return _pdf(lambda: sign_in_sheet.sign_in_sheet_pdf(activity, which), f"sign-in-sheet-{pk}.pdf")


@login_required
def badges_pdf(request, pk):
    exchange = _exchange(pk)
    _require(request, "attendance.print_check_in_codes", exchange)
    which, side = _script(request), _side(request)
    base = _base_url(request)
    return _pdf(
        lambda: badges.badges_pdf(exchange, which, base_url=base, side=side), f"badges-{pk}.pdf"
    )


@login_required
def place_cards_pdf(request, pk):
    exchange = _exchange(pk)
    _require(request, "attendance.view_attendance", exchange)
    which, side = _script(request), _side(request)
    return _pdf(lambda: badges.place_cards_pdf(exchange, which, side=side), f"place-cards-{pk}.pdf")


@login_required
def check_in_codes(request, pk):
    """A member's programme with the QR code of each activity's check-in link, and the
    badge's code (any activity open when scanned)."""
    member = get_object_or_404(
        Member.objects.select_related("exchange", "person", "organisation", "group").filter(
            exchange__deleted_at__isnull=True
        ),
        pk=pk,
    )
    exchange = member.exchange
    _require(request, "attendance.print_check_in_codes", exchange)
    base = _base_url(request)
    rows = []
    for activity in activities_for(exchange, person=member.person):
        token = links.make_token(member, activity)
        rows.append(
            {
                "activity": activity,
                "when": when_label(activity),
                "qr": badges.qr_svg(base + links.link_path(token)),
            }
        )
    badge = badges.qr_svg(base + links.link_path(links.make_token(member)))
    response = render(
        request,
        "documents/check_in_codes.html",
        {"member": member, "exchange": exchange, "rows": rows, "badge_qr": badge},
    )
    response["Cache-Control"] = "private, no-store"
    return response
