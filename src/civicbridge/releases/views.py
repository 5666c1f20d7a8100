"""The published programme of an exchange: ``/releases/exchanges/<pk>/`` (the current
version, the pending changes, every version's changelog, the change notices), publishing a
version, subscribing and unsubscribing a member.

Views parse → validate with a form → call a service → render. Reading needs
``releases.view_release``; publishing ``releases.publish_release`` (who may edit the
itinerary); subscriptions ``releases.change_subscription``. A refusal is a 403."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.exchanges.forms import apply_errors
from civicbridge.exchanges.models import Exchange
from civicbridge.exchanges.personal_data import personal_field_visible, prime_personal_fields
from civicbridge.releases import forms, presentation, selectors, services
from civicbridge.releases.models import NoticeSubscription


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _exchange(pk: int) -> Exchange:
    return get_object_or_404(Exchange.objects.alive().select_related("host_place"), pk=pk)


def page_url(exchange, anchor: str = "") -> str:
    url = reverse("releases:exchange", args=[exchange.pk])
    return f"{url}#{anchor}" if anchor else url


def _subscribable(request, exchange):
    """The members the user may subscribe: every member for those who may change the
    roster, else the user's own membership (``releases.change_subscription``, answered
    once for the exchange instead of once per member)."""
    members = list(exchange.members.select_related("person", "group").order_by("order", "id"))
    if request.user.has_perm("releases.change_subscription", exchange):
        return members, True
    link = getattr(request.user, "person_link", None)
    own = link.person_id if link is not None else None
    mine = [m for m in members if m.person_id == own]
    return [m for m in mine if request.user.has_perm("releases.change_subscription", m)], False


def _context(request, exchange, *, publish_form=None, subscribe_form=None) -> dict:
    page = selectors.releases_page(exchange)
    zone = ZoneInfo(exchange.timezone)
    which = presentation.reader_script()
    members, all_members = _subscribable(request, exchange)
    can_publish = request.user.has_perm("releases.publish_release", exchange)
    last_number = page.current.number if page.current else 0
    if can_publish and publish_form is None:
        publish_form = forms.PublishForm(initial={"expected_number": last_number})
    if members and subscribe_form is None:
        subscribe_form = forms.SubscribeForm(members=members)
    prime_personal_fields(request.user, [s.member.person for s in page.subscriptions])
    own = {m.pk for m in members}
    subscriptions = [
        {
            "subscription": s,
            "email": s.email
            if personal_field_visible(request.user, s.member.person, "email")
            else "",
            "may_remove": all_members or s.member_id in own,
        }
        for s in page.subscriptions
    ]
    programme = [
        {
            "row": r,
            "when": presentation.when(r.starts_at, r.ends_at, zone, r.time_precision),
            "day": r.starts_at.astimezone(zone).date() if r.starts_at else None,
        }
        for r in page.programme
    ]
    return {
        "exchange": exchange,
        "page": page,
        "programme": programme,
        "pending": presentation.present_all(page.pending, zone, which),
        "history": [
            {"release": r, "lines": presentation.present_all(r.changes.all(), zone, which)}
            for r in page.releases
        ],
        "next_number": last_number + 1,
        "can_publish": can_publish,
        "publish_form": publish_form if can_publish else None,
        "subscribe_form": subscribe_form if members else None,
        "subscriptions": subscriptions,
        "exchange_url": reverse("exchanges:detail", args=[exchange.pk]),
    }


@login_required
def exchange_releases(request, pk: int):
    _require(request, "releases.view_release")
    exchange = _exchange(pk)
    _require(request, "releases.view_release", exchange)
    return render(request, "releases/exchange_releases.html", _context(request, exchange))


@login_required
@require_POST
def publish(request, pk: int):
    exchange = _exchange(pk)
    _require(request, "releases.view_release", exchange)
    _require(request, "releases.publish_release", exchange)
    form = forms.PublishForm(request.POST)
    if form.is_valid():
        try:
            release = services.publish_release(
                exchange=exchange,
                note=form.cleaned_data["note"],
                expected_number=form.cleaned_data["expected_number"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"expected_number": None})
        else:
            messages.success(
                request,
                _("Version %(number)s of the programme was published.")
                % {"number": release.number},
            )
            return redirect(page_url(exchange, f"release-{release.number}"))
    context = _context(request, exchange, publish_form=form)
    return render(request, "releases/exchange_releases.html", context, status=400)


@login_required
@require_POST
def subscribe(request, pk: int):
    exchange = _exchange(pk)
    _require(request, "releases.view_release", exchange)
    members, _all = _subscribable(request, exchange)
    if not members:
        raise PermissionDenied
    form = forms.SubscribeForm(request.POST, members=members)
    if form.is_valid():
        member = next(m for m in members if m.pk == form.cleaned_data["member"])
        try:
            services.subscribe_member(
                member=member,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Change notices will be sent to this member."))
            return redirect(page_url(exchange, "notices"))
    context = _context(request, exchange, subscribe_form=form)
    return render(request, "releases/exchange_releases.html", context, status=400)


@login_required
@require_POST
def unsubscribe(request, pk: int, subscription_id: int):
    exchange = _exchange(pk)
    _require(request, "releases.view_release", exchange)
    subscription = get_object_or_404(
        NoticeSubscription.objects.select_related("member__exchange"),
        pk=subscription_id,
        exchange=exchange,
    )
    _require(request, "releases.change_subscription", subscription)
    services.unsubscribe_member(subscription=subscription, actor=request.user)
    messages.success(request, _("No more change notices will be sent to this member."))
    return redirect(page_url(exchange, "notices"))
