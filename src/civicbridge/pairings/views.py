"""Pairing pages, commitments and the channel. (The pairings sections of the exchange page
are in pairings/sections.py, their forms in the page tier: civicbridge/pages/exchange/.)

Views parse, check the permission (pairings.rules, asked by name), validate with a form,
call a service and render. Reading a pairing needs pairings.view_pairing (a community member:
only its own place's pairings); writing in its channel pairings.post_message; commitments
pairings.change_commitment; forms the user may not use are not shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.core import uploads
from civicbridge.core.templatetags.script import href_filter
from civicbridge.core.views import safe_next
from civicbridge.directory.models import Organisation, Place
from civicbridge.exchanges.models import Exchange
from civicbridge.pairings import selectors, services
from civicbridge.pairings.forms import (
    CommitmentForm,
    CommitmentStatusForm,
    MessageForm,
    NotificationPreferenceForm,
    ReturnVisitForm,
    apply_errors,
)
from civicbridge.pairings.models import Attachment, NotificationPreference

PAGE_SIZE = 50


def _require(request, perm: str, obj=None) -> None:
    """403 unless the user holds ``perm`` (on ``obj`` when given)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def may_post_in(user, thread) -> bool:
    """Writing in a channel: a pairing's — pairings.post_message (its community members and
    organisers, administrators); an exchange's — those who manage its roster (its
    organisers, the visiting organisation's coordinator, administrators)."""
    if isinstance(thread, Exchange):
        return user.has_perm("exchanges.change_member", thread)
    return user.has_perm("pairings.post_message", thread)


may_read_thread = selectors.may_read_thread


def may_propose_return_visit(user, pairing) -> bool:
    return user.has_perm("exchanges.add_exchange") and user.has_perm(
        "pairings.change_pairing", pairing
    )


def _exchange_url(exchange, anchor: str = "") -> str:
    url = href_filter(exchange) or reverse("pairings:list")
    return f"{url}#{anchor}" if anchor else url


# --- pairings -------------------------------------------------------------------------------


@login_required
def pairing_list(request):
    _require(request, "pairings.view_pairing")
    sort = request.GET.get("sort", "health")
    sort = sort if sort in selectors.SORTS else "health"
    quiet_only = request.GET.get("quiet") == "1"
    place = None
    if request.GET.get("place", "").isdecimal():
        place = Place.objects.filter(pk=int(request.GET["place"])).first()
    rows = selectors.pairing_list(sort=sort, quiet_only=quiet_only, place=place, user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pairings/pairing_list.html",
        {
            "page": page,
            "rows": page.object_list,
            "sort": sort,
            "sorts": [
                ("health", _("Health (quiet first)")),
                ("last_contact", _("Last contact")),
                ("overdue", _("Overdue commitments")),
                ("unread", _("Unread messages")),
                ("started", _("Since")),
            ],
            "quiet_only": quiet_only,
            "place": place,
            "months": selectors.quiet_months(),
            "total": len(rows),
        },
    )


@login_required
def pairing_detail(request, pk: int):
    pairing = selectors.get_pairing(pk)
    _require(request, "pairings.view_pairing", pairing)
    context = selectors.pairing_page(pairing, user=request.user)
    context["can_post"] = may_post_in(request.user, pairing)
    context["can_change"] = request.user.has_perm("pairings.change_pairing", pairing)
    context["can_return_visit"] = may_propose_return_visit(request.user, pairing)
    if context["can_post"]:
        context["message_form"] = MessageForm(pairing=pairing, user=request.user)
    if context["can_return_visit"]:
        context["return_form"] = ReturnVisitForm()
    return render(request, "pairings/pairing_detail.html", context)


@login_required
def return_visit(request, pk: int):
    pairing = selectors.get_pairing(pk)
    _require(request, "pairings.view_pairing", pairing)
    if not may_propose_return_visit(request.user, pairing):
        raise PermissionDenied
    form = ReturnVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.propose_return_visit(
                pairing=pairing,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data.get("end_date"),
                title=form.cleaned_data.get("title") or "",
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("A draft return visit was created. Check its members and dates.")
            )
            return redirect(_exchange_url(exchange))
    return render(request, "pairings/return_visit.html", {"pairing": pairing, "form": form})


# --- the channel -----------------------------------------------------------------------------


def _thread_page(request, thread, *, pairing=None):
    if not may_read_thread(request.user, thread):
        raise PermissionDenied
    can_post = may_post_in(request.user, thread)
    if request.method == "POST" and not can_post:
        raise PermissionDenied
    form = MessageForm(
        request.POST or None, request.FILES or None, pairing=pairing, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        place = None
        if pairing is not None and form.cleaned_data.get("author_place"):
            place = Place.objects.filter(pk=int(form.cleaned_data["author_place"])).first()
        try:
            services.post_message(
                thread=thread,
                author=request.user,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data.get("attachments") or [],
                author_place=place,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(request.path + "#latest")
    # What was unread before this visit is marked, then the thread is marked read.
    read_up_to = selectors.last_read_id(request.user, thread)
    thread_messages = selectors.thread_messages(thread)
    unread = sum(1 for m in thread_messages if m.pk > read_up_to and m.author_id != request.user.pk)
    if thread_messages:
        services.mark_read(user=request.user, thread=thread, up_to=thread_messages[-1].pk)
    preference = NotificationPreference.objects.filter(user=request.user).first()
    return render(
        request,
        "pairings/thread.html",
        {
            "thread": thread,
            "pairing": pairing,
            "exchange": None if pairing is not None else thread,
            "thread_messages": thread_messages,
            "read_up_to": read_up_to,
            "unread": unread,
            "form": form if can_post else None,
            "can_post": can_post,
            "is_member": selectors.ChannelMembership.objects.of(thread)
            .filter(user=request.user)
            .exists(),
            "emails_on": bool(preference and preference.email_messages),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def pairing_messages(request, pk: int):
    pairing = selectors.get_pairing(pk)
    return _thread_page(request, pairing, pairing=pairing)


@login_required
def exchange_messages(request, pk: int):
    exchange = get_object_or_404(Exchange.objects.alive(), pk=pk)
    return _thread_page(request, exchange)


@login_required
@require_POST
def follow(request, pk: int):
    pairing = selectors.get_pairing(pk)
    _require(request, "pairings.view_pairing", pairing)
    if request.POST.get("action") == "leave":
        services.leave_channel(user=request.user, thread=pairing)
    else:
        services.join_channel(user=request.user, thread=pairing)
    return redirect(safe_next(request, reverse("pairings:messages", args=[pk])))


@login_required
@require_POST
def exchange_follow(request, pk: int):
    exchange = get_object_or_404(Exchange.objects.alive(), pk=pk)
    _require(request, "exchanges.view_exchange", exchange)
    if request.POST.get("action") == "leave":
        services.leave_channel(user=request.user, thread=exchange)
    else:
        services.join_channel(user=request.user, thread=exchange)
    return redirect(reverse("pairings:exchange_messages", args=[pk]))


@login_required
def attachment(request, pk: int):
    item = get_object_or_404(
        Attachment.objects.select_related(
            "message__pairing__place_a", "message__pairing__place_b", "message__exchange"
        ),
        pk=pk,
        message__deleted_at__isnull=True,
    )
    thread = item.message.pairing or item.message.exchange
    if thread is None or getattr(thread, "deleted_at", None) is not None:
        raise Http404
    if not may_read_thread(request.user, thread):
        raise PermissionDenied
    # Sent with the type of our record; inline only for an image we re-encoded.
    return uploads.file_response(
        item.file,
        content_type=item.content_type,
        filename=uploads.download_name(item.original_name, item.content_type),
        inline=item.content_type in uploads.INLINE_TYPES,
    )


@login_required
def notifications(request):
    preference = NotificationPreference.objects.filter(user=request.user).first()
    initial = {
        "email_messages": bool(preference and preference.email_messages),
        "email_commitments": bool(preference and preference.email_commitments),
    }
    form = NotificationPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_notification_preference(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notice settings were saved."))
        return redirect(safe_next(request, reverse("pairings:notifications")))
    return render(
        request,
        "pairings/notifications.html",
        {"form": form, "has_email": bool(request.user.email)},
    )


# --- commitments -----------------------------------------------------------------------------


@login_required
def commitment_list(request):
    _require(request, "pairings.view_commitment")
    organisation = None
    if request.GET.get("organisation", "").isdecimal():
        organisation = get_object_or_404(
            Organisation.objects.alive(), pk=int(request.GET["organisation"])
        )
    if organisation is not None:
        context = selectors.organisation_commitments(organisation, user=request.user)
        rows = context["overdue"] + context["other"]
    else:
        readable = selectors.readable_commitments(selectors.commitments_queryset(), request.user)
        rows = selectors.mark_overdue(list(readable.open()))
        rows.sort(key=lambda c: (not c.is_overdue, c.due_on is None, c.due_on or 0, c.pk))
        context = {"organisation": None}
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update({"page": page, "rows": page.object_list})
    return render(request, "pairings/commitment_list.html", context)


@login_required
def commitment_detail(request, pk: int):
    commitment = selectors.get_commitment(pk)
    _require(request, "pairings.view_commitment", commitment)
    can_change = request.user.has_perm("pairings.change_commitment", commitment)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    form = CommitmentStatusForm(
        request.POST or None,
        initial={"status": commitment.status, "version": commitment.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_commitment_status(
                commitment=commitment,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The status was changed."))
            return redirect("pairings:commitment", pk=pk)
    events = list(commitment.events.select_related("by").order_by("at", "id"))
    return render(
        request,
        "pairings/commitment_detail.html",
        {
            "commitment": commitment,
            "events": events,
            "form": form if can_change else None,
            "can_change": can_change,
            "can_see_pairing": commitment.pairing_id is not None
            and request.user.has_perm("pairings.view_pairing", commitment.pairing),
        },
        status=400 if request.method == "POST" else 200,
    )


def create_commitment_from_form(form, request, *, exchange=None, pairing=None):
    """Record the commitment of a valid ``CommitmentForm`` (also used by the exchange page's
    commitments section, civicbridge/pages/exchange/pairings.py)."""
    data = form.cleaned_data
    return services.create_commitment(
        title=data["title"],
        description=data.get("description") or "",
        exchange=exchange,
        outcome=data.get("outcome"),
        pairing=pairing or data.get("pairing"),
        owner_person=data.get("owner_person"),
        owner_organisation=data.get("owner_organisation"),
        due_on=data.get("due_on"),
        actor=request.user,
    )


@login_required
def pairing_commitment_new(request, pk: int):
    pairing = selectors.get_pairing(pk)
    _require(request, "pairings.change_pairing", pairing)
    form = CommitmentForm(request.POST or None, pairing=pairing)
    if request.method == "POST" and form.is_valid():
        try:
            create_commitment_from_form(form, request, pairing=pairing)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The commitment was recorded."))
            return redirect(reverse("pairings:detail", args=[pk]) + "#commitments")
    return render(
        request,
        "pairings/commitment_form.html",
        {"form": form, "pairing": pairing, "exchange": None},
        status=400 if request.method == "POST" else 200,
    )
