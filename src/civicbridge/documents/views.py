"""Downloads of the documents, the news brief editor, the roster import and calendar
subscriptions. Views parse → check permission → call a service/renderer → respond."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.accounts.services import record_export
from civicbridge.core import hans_hant as conv
from civicbridge.core.services import StaleVersion
from civicbridge.directory.models import Person, Place
from civicbridge.documents import brief as briefs
from civicbridge.documents import calendars, certificates, programme, services, spreadsheets
from civicbridge.documents.brief import build_brief
from civicbridge.documents.certificate_forms import CertificateNumberingForm, CertificatePrintForm
from civicbridge.documents.fonts import CJKFontMissing
from civicbridge.documents.forms import BriefForm, CalendarTokenForm, RosterUploadForm
from civicbridge.documents.models import CalendarToken, NewsBrief
from civicbridge.documents.text import normalise_script
from civicbridge.exchanges.models import Exchange, Group
from civicbridge.exchanges.personal_data import PROGRAMME, ROSTER, PersonalView
from civicbridge.forums.models import Forum
from civicbridge.pairings.models import Appointment, CertificateNumbering
from civicbridge.pairings.services import next_certificate_number, set_certificate_numbering

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ICS = "text/calendar; charset=utf-8"


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _script(request, default=None):
    value = request.GET.get("script") or default
    return normalise_script(value) if value else None


def _calendar_script(request) -> str:
    """A downloaded calendar is in the script asked for (the page offers both), else in the
    reader's: a 简体 organiser gets Simplified, whatever the delegation writes. Subscriptions
    keep the script chosen when they were made."""
    return _script(request) or conv.script_of_language(translation.get_language())


def _file(data: bytes, content_type: str, filename: str, *, inline=False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(name: str) -> str:
    return quote(name)


def _exchange(pk) -> Exchange:
    return get_object_or_404(Exchange.objects.alive(), pk=pk)


def personal_view(user, surface: str) -> PersonalView:
    """What ``user`` sees of people's personal data in a document: the one field rule
    (exchanges.personal_data.PERSONAL_DATA_POLICY), person by person and field by field."""
    return PersonalView(user, surface)


def _record_personal_export(request, what: str, exchange) -> None:
    """A document carrying personal data was handed out: note it in the audit trail."""
    record_export(
        by=request.user,
        what=what,
        includes_personal=True,
        note=f"exchange {exchange.pk}",
    )


def _pdf_or_error(request, render_pdf):
    try:
        return render_pdf()
    except CJKFontMissing as exc:
        return HttpResponse(str(exc), status=500, content_type="text/plain; charset=utf-8")


# --- certificates ------------------------------------------------------------------------


def _certificate_set(request, scope: str, pk: int):
    """The appointments a certificates' URL prints, with the page and PDF URL of the set."""
    if scope == "appointment":
        appointment = get_object_or_404(Appointment.objects.alive(), pk=pk)
        _require(request, "pairings.view_appointment", appointment)
        appointments = list(certificates.appointments_for(appointment_ids=[pk]))
        if not appointments:
            raise Http404(_("This appointment was reported without a certificate."))
        return appointments, appointment, "documents:certificate"
    if scope == "exchange":
        exchange = _exchange(pk)
        _require(request, "exchanges.view_exchange", exchange)
        appointments = list(certificates.appointments_for(exchange=exchange))
        if not appointments:
            raise Http404(_("This exchange has no appointments."))
        return appointments, exchange, "documents:certificates_exchange"
    if scope != "forum":
        raise Http404
    forum = get_object_or_404(Forum, pk=pk)
    _require(request, "forums.view_forum", forum)
    appointments = list(certificates.appointments_for(forum=forum))
    if not appointments:
        raise Http404(_("This forum has no appointments."))
    return appointments, forum, "documents:certificates_forum"


@login_required
def certificates_page(request, scope, pk):
    """Print certificates: the script (each recipient's by default, and said so) and the
    titles the register cannot give for the appointment date."""
    appointments, obj, pdf_name = _certificate_set(request, scope, pk)
    form = CertificatePrintForm(request.GET or None, appointments=appointments)
    if form.is_bound:
        form.is_valid()
    labels = {conv.HANS: _("Simplified (简体)"), conv.HANT: _("Traditional (繁體)")}
    recipients = [(a, labels[certificates.default_script(a)]) for a in appointments]
    communities = {a.community for a in appointments}
    numbering = [c for c in communities if request.user.has_perm("pairings.add_appointment", c)]
    return render(
        request,
        "documents/certificates_page.html",
        {
            "object": obj,
            "form": form,
            "recipients": recipients,
            "pdf_url": reverse(pdf_name, args=[pk]),
            "numbering_communities": numbering,
        },
    )


def _certificates_pdf(request, scope, pk, filename):
    appointments, _obj, _pdf_name = _certificate_set(request, scope, pk)
    form = CertificatePrintForm(request.GET, appointments=appointments)
    if not form.is_valid():  # a title only the organiser can give, or a bad script
        page = reverse("documents:certificates_page", args=[scope, pk])
        query = request.GET.urlencode()
        return redirect(f"{page}?{query}" if query else page)
    which, titles = form.which(), form.titles()
    result = _pdf_or_error(
        request, lambda: certificates.batch_pdf(appointments, which, titles=titles)
    )
    if isinstance(result, HttpResponse):
        return result
    return _file(result, PDF, filename, inline=True)


@login_required
def certificate(request, pk):
    appointment = get_object_or_404(Appointment.objects.alive(), pk=pk)
    return _certificates_pdf(
        request, "appointment", pk, f"certificate-{appointment.certificate_number}.pdf"
    )


@login_required
def certificates_of_exchange(request, pk):
    return _certificates_pdf(request, "exchange", pk, f"certificates-exchange-{pk}.pdf")


@login_required
def certificates_of_forum(request, pk):
    return _certificates_pdf(request, "forum", pk, f"certificates-forum-{pk}.pdf")


@login_required
def certificate_numbering(request, pk):
    """The pattern a community numbers its certificates in (〔{year}〕田阜字第{seq}号)."""
    community = get_object_or_404(Place, pk=pk)
    if not request.user.has_perm("pairings.add_appointment", community):
        raise PermissionDenied
    current = CertificateNumbering.objects.filter(community=community).first()
    initial = (
        {"pattern": current.pattern, "digits": current.digits, "expected_version": current.version}
        if current
        else {"pattern": "", "digits": 3}
    )
    form = CertificateNumberingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_certificate_numbering(
                community=community,
                pattern=form.cleaned_data["pattern"],
                digits=form.cleaned_data["digits"],
                expected_version=form.cleaned_data["expected_version"],
                actor=request.user,
            )
        except StaleVersion:
            form.add_error(None, _("The pattern was changed meanwhile: reload and try again."))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The certificate number pattern was saved."))
            return redirect("documents:certificate_numbering", pk=community.pk)
    year = timezone.localdate().year
    sample = next_certificate_number(community=community, year=year) if current else ""
    return render(
        request,
        "documents/certificate_numbering.html",
        {"community": community, "form": form, "current": current, "sample": sample},
    )


# --- programmes --------------------------------------------------------------------------


def _programme(request, exchange, group, fmt):
    _require(request, "exchanges.view_exchange", exchange)
    which = _script(request) or _reader_script(request)  # a page: the reader's script
    personal = personal_view(request.user, PROGRAMME)
    if fmt == "pdf":
        result = _pdf_or_error(
            request,
            lambda: programme.programme_pdf(exchange, which, group=group, personal=personal),
        )
        if isinstance(result, HttpResponse):
            return result
        if personal.disclosed:
            _record_personal_export(request, "documents.programme_pdf", exchange)
        suffix = f"-group-{group.pk}" if group else ""
        return _file(result, PDF, f"programme-{exchange.pk}{suffix}.pdf", inline=True)
    if fmt == "docx":
        data = programme.programme_docx(exchange, which, group=group, personal=personal)
        if personal.disclosed:
            _record_personal_export(request, "documents.programme_docx", exchange)
        suffix = f"-group-{group.pk}" if group else ""
        return _file(data, DOCX, f"programme-{exchange.pk}{suffix}.docx")
    html = programme.programme_html(exchange, which, group=group, personal=personal)
    if personal.disclosed:
        _record_personal_export(request, "documents.programme", exchange)
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def programme_exchange(request, pk, fmt="html"):
    return _programme(request, _exchange(pk), None, fmt)


@login_required
def programme_group(request, pk, fmt="html"):
    group = get_object_or_404(Group.objects.select_related("exchange"), pk=pk)
    if group.exchange.is_deleted:
        raise Http404
    return _programme(request, group.exchange, group, fmt)


# --- calendars ---------------------------------------------------------------------------


@login_required
def ics_exchange(request, pk):
    exchange = _exchange(pk)
    _require(request, "exchanges.view_exchange", exchange)
    return _file(
        calendars.exchange_calendar(exchange, _calendar_script(request)), ICS, f"exchange-{pk}.ics"
    )


@login_required
def ics_group(request, pk):
    group = get_object_or_404(Group, pk=pk)
    _require(request, "exchanges.view_exchange", group.exchange)
    return _file(calendars.group_calendar(group, _calendar_script(request)), ICS, f"group-{pk}.ics")


@login_required
def ics_person(request, pk):
    person = get_object_or_404(Person.objects.alive(), pk=pk)
    _require(request, "directory.view_person", person)
    return _file(
        calendars.person_calendar(person, _calendar_script(request)), ICS, f"person-{pk}.ics"
    )


def ics_subscription(request, token):
    """A calendar by its secret token: no sign-in, so calendar programs can subscribe."""
    item = CalendarToken.objects.filter(token=token, revoked_at__isnull=True).first()
    if item is None:
        raise Http404
    which = _script(request)
    if item.scope == CalendarToken.Scope.EXCHANGE:
        exchange = Exchange.objects.alive().filter(pk=item.object_id).first()
        if exchange is None or not services.calendar_token_works(item, exchange):
            raise Http404
        data = calendars.exchange_calendar(exchange, which)
    elif item.scope == CalendarToken.Scope.GROUP:
        group = Group.objects.filter(pk=item.object_id, exchange__deleted_at__isnull=True).first()
        if group is None or not services.calendar_token_works(item, group):
            raise Http404
        data = calendars.group_calendar(group, which)
    else:
        person = Person.objects.alive().filter(pk=item.object_id).first()
        if person is None or not services.calendar_token_works(item, person):
            raise Http404
        data = calendars.person_calendar(person, which, exchange=item.exchange)
    services.touch_calendar_token(token=item)
    response = HttpResponse(data, content_type=ICS)
    response["Cache-Control"] = "private, max-age=300"
    return response


SCOPE_OBJECTS = {
    CalendarToken.Scope.EXCHANGE: (Exchange, "exchanges.view_exchange"),
    CalendarToken.Scope.GROUP: (Group, "exchanges.view_exchange"),
    CalendarToken.Scope.PERSON: (Person, "directory.view_person"),
}


def _scope_object(request, scope, pk):
    if scope not in SCOPE_OBJECTS:
        raise Http404
    model, _perm = SCOPE_OBJECTS[scope]
    obj = get_object_or_404(model, pk=pk)
    # The same rule a subscription link is checked against at every use.
    if not services.may_read_calendar(request.user, scope, obj):
        raise PermissionDenied
    return obj


@login_required
def subscriptions(request, scope, pk):
    """The subscription links of one calendar: create one, see yours, revoke."""
    obj = _scope_object(request, scope, pk)
    tokens = CalendarToken.objects.filter(scope=scope, object_id=pk, revoked_at__isnull=True)
    if not request.user.has_perm("accounts.view_audit"):
        tokens = tokens.filter(created_by=request.user)
    form = CalendarTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_calendar_token(
                scope=scope, object_id=pk, created_by=request.user, label=form.cleaned_data["label"]
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("A new subscription link was created."))
        return redirect(request.path)
    links = [
        (t, request.build_absolute_uri(reverse("documents:ics_subscription", args=[t.token])))
        for t in tokens
    ]
    return render(
        request,
        "documents/subscriptions.html",
        {"object": obj, "scope": scope, "links": links, "form": form},
    )


@login_required
@require_POST
def revoke_subscription(request, pk):
    token = get_object_or_404(CalendarToken, pk=pk)
    if token.created_by_id != request.user.pk and not request.user.has_perm("accounts.view_audit"):
        raise PermissionDenied
    services.revoke_calendar_token(token=token)
    messages.success(request, _("The subscription link was revoked; it no longer works."))
    return redirect("documents:subscriptions", scope=token.scope, pk=token.object_id)


# --- news brief --------------------------------------------------------------------------


def _reader_script(request) -> str:
    return conv.script_of_language(translation.get_language())


@login_required
def brief(request, pk):
    """The news brief: the latest version (or a fresh draft), an editor, older versions."""
    exchange = _exchange(pk)
    _require(request, "exchanges.view_exchange", exchange)
    can_edit = request.user.has_perm("exchanges.change_exchange", exchange)
    which = normalise_script(
        request.POST.get("script") or request.GET.get("script") or _reader_script(request)
    )
    # stored once (in the exchange's script), shown in the reader's
    versions = NewsBrief.objects.filter(exchange=exchange).select_related("created_by")
    latest = versions.first()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = BriefForm(request.POST)
        if form.is_valid():
            try:
                saved = services.save_news_brief(
                    exchange=exchange,
                    script=form.cleaned_data["script"],
                    text=form.cleaned_data["text"],
                    note=form.cleaned_data["note"],
                    based_on=form.cleaned_data["based_on"],
                    created_by=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved as version %(n)s.") % {"n": saved.number})
                return redirect(f"{request.path}?script={which}")
    else:
        draft = request.GET.get("draft") == "1" or latest is None
        text = build_brief(exchange, which) if draft else briefs.shown_in(latest, which)
        form = BriefForm(
            initial={
                "script": which,
                "text": text,
                "based_on": latest.number if latest else 0,
                "note": _("Draft generated from the record") if draft else "",
            }
        )
    return render(
        request,
        "documents/brief.html",
        {
            "exchange": exchange,
            "form": form,
            "versions": versions,
            "latest": latest,
            "script": which,
            "can_edit": can_edit,
            "preview": briefs.paragraphs_of(form["text"].value() or ""),
        },
    )


@login_required
def brief_version(request, pk, script, number):
    exchange = _exchange(pk)
    _require(request, "exchanges.view_exchange", exchange)
    version = get_object_or_404(NewsBrief, exchange=exchange, number=number)
    which = normalise_script(script)
    text = briefs.shown_in(version, which)
    if request.GET.get("download") == "1":
        return _file(
            text.encode("utf-8"),
            "text/plain; charset=utf-8",
            f"brief-{exchange.pk}-{which}-v{version.number}.txt",
        )
    return render(
        request,
        "documents/brief_version.html",
        {"exchange": exchange, "version": version, "text": text, "script": which},
    )


@login_required
def brief_download(request, pk, fmt):
    """The brief (the latest version, else a draft) as Word or PDF, in the reader's script."""
    exchange = _exchange(pk)
    _require(request, "exchanges.view_exchange", exchange)
    which = normalise_script(request.GET.get("script") or _reader_script(request))
    current = briefs.current_brief(exchange, which)
    if fmt == "docx":
        return _file(briefs.brief_docx(current, which), DOCX, f"brief-{exchange.pk}.docx")
    return _file(briefs.brief_pdf(current, which), PDF, f"brief-{exchange.pk}.pdf")


# --- spreadsheets ------------------------------------------------------------------------


@login_required
def roster_template(request):
    _require(request, "exchanges.view_exchange")

    return _file(spreadsheets.roster_template(), XLSX, "roster-template.xlsx")


@login_required
def export(request, pk, kind, fmt):
    exchange = _exchange(pk)
    _require(request, "exchanges.view_exchange", exchange)
    if kind not in spreadsheets.EXPORT_KINDS or fmt not in ("xlsx", "csv"):
        raise Http404
    personal = personal_view(request.user, ROSTER)
    data = spreadsheets.export(exchange, kind, fmt, _script(request), personal=personal)
    if personal.disclosed:
        _record_personal_export(request, f"documents.{kind}.{fmt}", exchange)
    content_type = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    return _file(data, content_type, f"{kind}-{exchange.pk}.{fmt}")


@login_required
def roster_import(request, pk):
    """Upload → preview (rows to add, rows that change which fields, rows refused, values
    not written) → apply. The file waits in the session between the two, named by its
    digest, so that what is applied is what was previewed."""
    exchange = _exchange(pk)
    _require(request, "exchanges.change_member", exchange)
    key = f"roster-import-{exchange.pk}"
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    errors, plan, digest = [], None, ""
    if request.method == "POST" and "apply" in request.POST:
        form = RosterUploadForm()
        stored = request.session.get(key) or {}
        if not stored or stored.get("digest") != request.POST.get("digest"):
            messages.error(request, _("The previewed file is no longer here; upload it again."))
            return redirect(request.path)
        try:
            result = spreadsheets.import_roster(
                exchange=exchange, data=base64.b64decode(stored["data"]), actor=request.user
            )
        except spreadsheets.RosterImportError as exc:
            errors = exc.errors
        else:
            request.session.pop(key, None)
            messages.success(
                request,
                _(
                    "Imported %(n)s members: %(matched)s found in the directory, %(created)s "
                    "new; %(updated)s updated, %(unchanged)s unchanged."
                )
                % {
                    "n": len(result.members),
                    "matched": result.matched_people,
                    "created": result.created_people,
                    "updated": result.updated_members,
                    "unchanged": result.unchanged_members,
                },
            )
            return redirect(request.path)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            plan = spreadsheets.plan_roster(exchange=exchange, data=data, actor=request.user)
        except spreadsheets.RosterImportError as exc:
            errors = exc.errors
        else:
            digest = hashlib.sha256(data).hexdigest()
            request.session[key] = {"digest": digest, "data": base64.b64encode(data).decode()}
    return render(
        request,
        "documents/roster_import.html",
        {"exchange": exchange, "form": form, "errors": errors, "plan": plan, "digest": digest},
    )
