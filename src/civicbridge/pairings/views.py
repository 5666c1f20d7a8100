"""Pairing pages (pairings of places or organisations, of any kind), batches of pairings,
agreements and alliances, commitments and the channel. (The pairings sections of the exchange page
are in pairings/sections.py, their forms in the page tier: civicbridge/pages/exchange/.)

Views parse, check the permission (pairings.rules, asked by name), validate with a form,
call a service and render. Reading a pairing needs pairings.view_pairing (a community member:
only its own place's pairings); writing in its channel pairings.post_message; commitments
pairings.change_commitment; forms the user may not use are not shown.
"""

from __future__ import annotations

import dataclasses

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
from civicbridge.exchanges.personal_data import PAGE, PersonalView
from civicbridge.pairings import selectors, services
from civicbridge.pairings.forms import (
    AgreementDocumentForm,
    AgreementEditForm,
    AgreementForm,
    AllianceEditForm,
    AllianceForm,
    AllianceMemberForm,
    BatchEditForm,
    BatchForm,
    BatchPairingForm,
    CommitmentForm,
    CommitmentStatusForm,
    MessageForm,
    NotificationPreferenceForm,
    PairingEditForm,
    PairingForm,
    ReturnVisitForm,
    apply_errors,
    pairing_filter_form,
)
from civicbridge.pairings.models import Agreement, Attachment, NotificationPreference

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
    """The pairings list: filters (district, county, kind, health; GET, kept in the page
    links and the export link), a page of rows with their health."""
    _require(request, "pairings.view_pairing")
    form = pairing_filter_form(request.GET, request.user)
    filters = form.filters()
    listed = selectors.pairings_page(
        filters,
        sort=form.ordering,
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
        user=request.user,
    )
    return render(
        request,
        "pairings/pairing_list.html",
        {
            "form": form,
            "page": listed.page,
            "rows": listed.rows,
            "total": listed.total,
            "place": filters.place,
            "query": form.query(),
            "months": selectors.quiet_months(),
            "can_add": request.user.has_perm("pairings.add_pairing"),
        },
    )


@login_required
def quiet_list(request):
    """The quiet pairings (the health rule), longest silent first, with since when, the
    present contact on both sides and the return visit to propose."""
    _require(request, "pairings.view_pairing")
    form = pairing_filter_form(request.GET, request.user)
    filters = dataclasses.replace(form.filters(), health="quiet")
    listed = selectors.pairings_page(
        filters, sort="health", page=request.GET.get("page"), per_page=PAGE_SIZE, user=request.user
    )
    contacts = [c.person for h in listed.rows for c in (h.contact_a, h.contact_b) if c]
    personal = PersonalView(request.user, PAGE).prime(contacts)
    for h in listed.rows:
        h.phone_a = personal.value(h.contact_a.person, "phone") if h.contact_a else ""
        h.phone_b = personal.value(h.contact_b.person, "phone") if h.contact_b else ""
        h.can_return_visit = may_propose_return_visit(request.user, h.pairing)
    return render(
        request,
        "pairings/quiet_list.html",
        {
            "form": form,
            "page": listed.page,
            "rows": listed.rows,
            "total": listed.total,
            "query": form.query(leave_out=("health", "sort")),
            "months": selectors.quiet_months(),
            "return_start": ReturnVisitForm().fields["start_date"].initial,
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
    context["title"] = selectors.pairing_title(pairing, "hans")
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
            "message__pairing__place_a",
            "message__pairing__place_b",
            "message__pairing__organisation_a__place",
            "message__pairing__organisation_b__place",
            "message__exchange",
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


# --- pairings of any kind, batches, agreements, alliances ------------------------------------


def _exchange_from(request):
    """The exchange a new record belongs to (``?exchange=<id>``, kept in the form's action),
    which the user must be able to read; None when not given."""
    raw = request.GET.get("exchange", "")
    if not raw:
        return None
    if not raw.isdecimal() or len(raw) > 12:
        raise Http404
    exchange = get_object_or_404(Exchange.objects.alive(), pk=int(raw))
    _require(request, "exchanges.view_exchange", exchange)
    return exchange


def _action(request) -> str:
    return request.get_full_path()


def _record_form(request, *, form, title, submit_label, cancel_url, multipart=False, intro=""):
    return render(
        request,
        "pairings/record_form.html",
        {
            "form": form,
            "title": title,
            "action": _action(request),
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "multipart": multipart,
            "intro": intro,
        },
        status=400 if request.method == "POST" else 200,
    )


def _run(form, perform):
    """Call ``perform()`` for a valid form; a service's ValidationError goes back on the
    form. Returns the result, or None when the form has errors."""
    try:
        return perform()
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


def _saved(request, obj, message):
    messages.success(request, message)
    return redirect(href_filter(obj))


@login_required
def pairing_new(request):
    _require(request, "pairings.add_pairing")
    exchange = _exchange_from(request)
    form = PairingForm(request.POST or None, exchange=exchange)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pairing = _run(
            form,
            lambda: services.record_pairing(
                kind=data["kind"],
                status=data["status"],
                place_a=data.get("place_a"),
                place_b=data.get("place_b"),
                organisation_a=data.get("organisation_a"),
                organisation_b=data.get("organisation_b"),
                started_on=data["started_on"],
                exchange=exchange,
                note=data.get("note") or "",
                actor=request.user,
            ),
        )
        if pairing is not None:
            return _saved(request, pairing, _("The pairing was recorded."))
    return _record_form(
        request,
        form=form,
        title=_("New pairing"),
        submit_label=_("Record the pairing"),
        cancel_url=_exchange_url(exchange, "section-links")
        if exchange
        else reverse("pairings:list"),
    )


@login_required
def pairing_edit(request, pk: int):
    pairing = selectors.get_pairing(pk)
    _require(request, "pairings.change_pairing", pairing)
    fields = ("kind", "status", "started_on", "ended_on", "note")
    form = PairingEditForm(
        request.POST or None,
        initial={f: getattr(pairing, f) for f in fields} | {"version": pairing.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _run(
            form,
            lambda: services.update_pairing(
                pairing=pairing,
                fields={f: data.get(f) if f != "note" else data.get(f) or "" for f in fields},
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if saved is not None:
            return _saved(request, saved, _("The pairing was changed."))
    return _record_form(
        request,
        form=form,
        title=_("Change the pairing"),
        submit_label=_("Save"),
        cancel_url=href_filter(pairing),
        intro=selectors.pairing_title(pairing),
    )


@login_required
def batch_detail(request, pk: int):
    batch = selectors.get_batch(pk)
    _require(request, "pairings.view_batch", batch)
    can_change = request.user.has_perm("pairings.change_batch", batch)
    context = selectors.batch_page(batch)
    context["can_change"] = can_change
    context["pairing_form"] = (
        BatchPairingForm() if can_change and not context["progress"].is_complete else None
    )
    readable = {p.pk for p in selectors.readable_pairings(request.user, batch.pairings.all())}
    context["readable_ids"] = readable
    return render(request, "pairings/batch_detail.html", context)


@login_required
def batch_new(request):
    _require(request, "pairings.add_pairing")
    exchange = _exchange_from(request)
    form = BatchForm(request.POST or None, exchange=exchange)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = _run(
            form,
            lambda: services.record_pairing_batch(
                description=data["description"],
                count=data["count"],
                kind=data["kind"],
                status=data["status"],
                districts_a=data["districts_a"],
                districts_b=data["districts_b"],
                started_on=data.get("started_on"),
                exchange=exchange,
                note=data.get("note") or "",
                actor=request.user,
            ),
        )
        if batch is not None:
            messages.success(request, _("The batch was recorded."))
            return redirect("pairings:batch", pk=batch.pk)
    return _record_form(
        request,
        form=form,
        title=_("New batch of pairings"),
        submit_label=_("Record the batch"),
        cancel_url=_exchange_url(exchange, "section-links")
        if exchange
        else reverse("pairings:list"),
        intro=_(
            "Pairings stated before their parties are known: name the districts on each side; "
            "the pairings are named one by one later."
        ),
    )


@login_required
def batch_edit(request, pk: int):
    batch = selectors.get_batch(pk)
    _require(request, "pairings.change_batch", batch)
    fields = ("description", "count", "kind", "status", "started_on", "note")
    form = BatchEditForm(
        request.POST or None,
        initial={f: getattr(batch, f) for f in fields} | {"version": batch.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _run(
            form,
            lambda: services.update_batch(
                batch=batch,
                fields={f: data.get(f) if f != "note" else data.get(f) or "" for f in fields},
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("The batch was changed."))
            return redirect("pairings:batch", pk=pk)
    return _record_form(
        request,
        form=form,
        title=_("Change the batch"),
        submit_label=_("Save"),
        cancel_url=reverse("pairings:batch", args=[pk]),
        intro=batch.description,
    )


@login_required
def batch_complete(request, pk: int):
    batch = selectors.get_batch(pk)
    _require(request, "pairings.change_batch", batch)
    form = BatchPairingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pairing = _run(
            form,
            lambda: services.complete_batch_pairing(
                batch=batch,
                place_a=data["place_a"],
                place_b=data["place_b"],
                started_on=data.get("started_on"),
                actor=request.user,
            ),
        )
        if pairing is not None:
            messages.success(request, _("The pairing was named."))
            return redirect(reverse("pairings:batch", args=[pk]) + "#named")
    return _record_form(
        request,
        form=form,
        title=_("Name a pairing of the batch"),
        submit_label=_("Name the pairing"),
        cancel_url=reverse("pairings:batch", args=[pk]),
        intro=batch.description,
    )


@login_required
def agreement_detail(request, pk: int):
    agreement = selectors.get_agreement(pk)
    _require(request, "pairings.view_agreement", agreement)
    context = selectors.agreement_page(agreement)
    context["can_change"] = request.user.has_perm("pairings.change_agreement", agreement)
    context["document_form"] = AgreementDocumentForm() if context["can_change"] else None
    return render(request, "pairings/agreement_detail.html", context)


@login_required
def agreement_new(request):
    _require(request, "pairings.add_pairing")
    exchange = _exchange_from(request)
    form = AgreementForm(request.POST or None, exchange=exchange)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties, signatories = form.service_parties()
        agreement = _run(
            form,
            lambda: services.record_agreement(
                subject=data["subject"],
                kind=data["kind"],
                status=data["status"],
                parties=parties,
                signatories=signatories,
                signed_on=data.get("signed_on"),
                exchange=exchange,
                activity=data.get("activity"),
                note=data.get("note") or "",
                actor=request.user,
            ),
        )
        if agreement is not None:
            return _saved(request, agreement, _("The agreement was recorded."))
    return _record_form(
        request,
        form=form,
        title=_("New agreement"),
        submit_label=_("Record the agreement"),
        cancel_url=_exchange_url(exchange, "section-links")
        if exchange
        else reverse("pairings:list"),
        intro=_(
            "Two or more parties, each a place or an organisation from the directory (or, "
            "while it is not there, as the sources name it)."
        ),
    )


@login_required
def agreement_edit(request, pk: int):
    agreement = selectors.get_agreement(pk)
    _require(request, "pairings.change_agreement", agreement)
    fields = ("subject", "kind", "status", "signed_on", "activity", "note")
    form = AgreementEditForm(
        request.POST or None,
        exchange=agreement.exchange,
        initial={f: getattr(agreement, f) for f in fields} | {"version": agreement.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = {f: data.get(f) for f in fields if f in form.fields}
        changed["note"] = changed.get("note") or ""
        saved = _run(
            form,
            lambda: services.update_agreement(
                agreement=agreement,
                fields=changed,
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if saved is not None:
            return _saved(request, saved, _("The agreement was changed."))
    return _record_form(
        request,
        form=form,
        title=_("Change the agreement"),
        submit_label=_("Save"),
        cancel_url=href_filter(agreement),
        intro=agreement.subject,
    )


@login_required
def agreement_document_upload(request, pk: int):
    agreement = selectors.get_agreement(pk)
    _require(request, "pairings.change_agreement", agreement)
    form = AgreementDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        saved = _run(
            form,
            lambda: services.attach_agreement_document(
                agreement=agreement, upload=form.cleaned_data["document"], actor=request.user
            ),
        )
        if saved is not None:
            return _saved(request, saved, _("The signed text was stored."))
    return _record_form(
        request,
        form=form,
        title=_("Upload the signed text"),
        submit_label=_("Upload"),
        cancel_url=href_filter(agreement),
        multipart=True,
        intro=agreement.subject,
    )


@login_required
def agreement_document(request, pk: int):
    agreement = get_object_or_404(Agreement, pk=pk)
    _require(request, "pairings.view_agreement", agreement)
    if not agreement.document:
        raise Http404
    return uploads.file_response(
        agreement.document,
        content_type=agreement.document_type,
        filename=uploads.download_name(agreement.document_name, agreement.document_type),
        inline=agreement.document_type in uploads.INLINE_TYPES,
    )


@login_required
def alliance_detail(request, pk: int):
    alliance = selectors.get_alliance(pk)
    _require(request, "pairings.view_alliance", alliance)
    context = selectors.alliance_page(alliance)
    context["can_change"] = request.user.has_perm("pairings.change_alliance", alliance)
    return render(request, "pairings/alliance_detail.html", context)


@login_required
def alliance_new(request):
    _require(request, "pairings.add_pairing")
    exchange = _exchange_from(request)
    form = AllianceForm(request.POST or None, exchange=exchange)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        alliance = _run(
            form,
            lambda: services.launch_alliance(
                name=data["name"],
                members=form.members(),
                launched_on=data.get("launched_on"),
                status=data["status"],
                exchange=exchange,
                activity=data.get("activity"),
                pledges=data.get("pledges") or "",
                note=data.get("note") or "",
                actor=request.user,
            ),
        )
        if alliance is not None:
            return _saved(request, alliance, _("The alliance was recorded."))
    return _record_form(
        request,
        form=form,
        title=_("New alliance"),
        submit_label=_("Record the alliance"),
        cancel_url=_exchange_url(exchange, "section-links")
        if exchange
        else reverse("pairings:list"),
    )


@login_required
def alliance_edit(request, pk: int):
    alliance = selectors.get_alliance(pk)
    _require(request, "pairings.change_alliance", alliance)
    fields = ("name", "status", "launched_on", "pledges", "note")
    form = AllianceEditForm(
        request.POST or None,
        initial={f: getattr(alliance, f) for f in fields} | {"version": alliance.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = {f: data.get(f) for f in fields}
        changed["note"] = changed["note"] or ""
        changed["pledges"] = changed["pledges"] or ""
        saved = _run(
            form,
            lambda: services.update_alliance(
                alliance=alliance,
                fields=changed,
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if saved is not None:
            return _saved(request, saved, _("The alliance was changed."))
    return _record_form(
        request,
        form=form,
        title=_("Change the alliance"),
        submit_label=_("Save"),
        cancel_url=href_filter(alliance),
        intro=alliance.name,
    )


@login_required
def alliance_member_add(request, pk: int):
    alliance = selectors.get_alliance(pk)
    _require(request, "pairings.change_alliance", alliance)
    form = AllianceMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = _run(
            form,
            lambda: services.add_alliance_member(
                alliance=alliance,
                place=data.get("place"),
                organisation=data.get("organisation"),
                wording=data.get("wording") or "",
                joined_on=data.get("joined_on"),
                founder=data.get("founder", False),
                actor=request.user,
            ),
        )
        if member is not None:
            return _saved(request, alliance, _("The member was added."))
    return _record_form(
        request,
        form=form,
        title=_("Add a member"),
        submit_label=_("Add the member"),
        cancel_url=href_filter(alliance),
        intro=alliance.name,
    )


@login_required
def links_index(request):
    _require(request, "pairings.view_agreement")
    context = selectors.links_index()
    context["can_add"] = request.user.has_perm("pairings.add_pairing")
    return render(request, "pairings/links_index.html", context)
