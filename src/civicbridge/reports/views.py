"""The report pages: recording a report's facts (a facts document) as a draft exchange, or
adding them to an exchange already recorded, and a source with the records taken from it.

Views parse → validate with a form → call a service → render. Recording needs
``exchanges.add_exchange`` (and the service checks the host places: a refusal is a 403);
adding to an exchange its ``exchanges.change_exchange`` (checked by ``add_facts``); reading a
source ``exchanges.view_exchange``."""

from __future__ import annotations

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.directory.models import HIDDEN_KINDS
from civicbridge.directory.resolution import resolve_place
from civicbridge.exchanges.forms import apply_errors
from civicbridge.exchanges.models import Exchange
from civicbridge.reports import review, selectors, services
from civicbridge.reports.forms import ReadReportForm, RecordFactsForm, ReviewForm
from civicbridge.reports.reading.extract import read_report


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _exchange(pk: int) -> Exchange:
    """The exchange facts are added to; a ValidationError (under ``into``) when there is none."""
    exchange = Exchange.objects.filter(pk=pk, deleted_at__isnull=True).first()
    if exchange is None:
        raise ValidationError({"into": _("There is no exchange with that id.")})
    return exchange


def _added_message(result) -> str:
    added = sum(result.counts.values())
    text = (
        _("Nothing new: the exchange already held every fact of the report.")
        if not added
        else ngettext(
            "%(n)d record was added to the exchange from the report.",
            "%(n)d records were added to the exchange from the report.",
            added,
        )
        % {"n": added}
    )
    if result.notes:
        text += " " + _("Kept as they were: %(notes)s") % {"notes": " ".join(result.notes)}
    return text


@login_required
def record_facts(request):
    _require(request, "exchanges.add_exchange")
    form = RecordFactsForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data.get("into")
        try:
            if into:
                result = services.add_facts(
                    exchange=_exchange(into),
                    document=form.cleaned_data["parsed"],
                    actor=request.user,
                )
            else:
                result = services.record_facts(
                    document=form.cleaned_data["parsed"], actor=request.user
                )
        except services.FactsError as exc:
            problems = exc.problems
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if into:
                messages.success(request, _added_message(result))
                return redirect(result.exchange.get_absolute_url())
            messages.success(
                request,
                _("The report's facts were recorded as a draft exchange.")
                if not result.unresolved
                else _(
                    "The report's facts were recorded as a draft exchange; %(n)d names were "
                    "not found and are kept as the report writes them."
                )
                % {"n": len(result.unresolved)},
            )
            return redirect(result.exchange.get_absolute_url())
    return render(
        request,
        "reports/record_facts.html",
        {"form": form, "problems": problems},
        status=400 if form.is_bound else 200,
    )


@login_required
def source_detail(request, pk: int):
    _require(request, "exchanges.view_exchange")
    source = get_object_or_404(selectors.sources(), pk=pk)
    return render(
        request,
        "reports/source_detail.html",
        {"source": source, "rows": selectors.provenance_records(source=source)},
    )


def _candidates(fact: dict) -> list:
    """The places an unresolved host or visit may be when the directory finds several
    equally good (網溪里: 臺北市中正區 and 新北市永和區): shown, never chosen."""
    if fact.get("code") or fact.get("type") not in ("host", "visit"):
        return []
    words = fact.get("place") or fact.get("venue") or ""
    resolution = resolve_place(words, limit=6) if words else None
    if not resolution or not resolution.ambiguous:
        return []
    return [
        {"place": c.place, "above": [a for a in c.place.ancestors() if a.kind not in HIDDEN_KINDS]}
        for c in resolution.tied[:6]
    ]


def _sections_with_rows(form: ReviewForm) -> list[dict]:
    rows = {index: (keep, fields, place) for index, _fact, keep, fields, place in form.rows()}
    return [
        {
            "key": section.key,
            "title": section.title,
            "facts": [
                {
                    "index": index,
                    "fact": fact,
                    "label": review.TYPE_LABELS.get(fact.get("type"), fact.get("type")),
                    "keep": rows[index][0],
                    "fields": rows[index][1],
                    "place": rows[index][2],
                    "candidates": _candidates(fact),
                }
                for index, fact in section.facts
            ],
        }
        for section in review.sections(form.facts)
    ]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _review_page(request, form: ReviewForm, text: str, *, problems=(), status=200):
    document = form.base
    sha = _sha(text)
    similar = selectors.exchanges_like(document, text_sha256=sha)
    chosen = form["into"].value() if form.is_bound else None
    chosen = str(chosen) if chosen else (str(similar[0].pk) if similar else "")
    return render(
        request,
        "reports/review.html",
        {
            "form": form,
            "runs": review.runs(text, form.facts),
            "sections": _sections_with_rows(form),
            "document": document,
            "similar": similar,
            "chosen": chosen,
            # The same text recorded already: only an addition is offered.
            "known": services.known_source(sha),
            "problems": problems,
        },
        status=status,
    )


@login_required
def import_report(request):
    """Import a report: paste or upload it; review every fact beside its words (keep, correct
    or drop it); record the draft exchange."""
    _require(request, "exchanges.add_exchange")
    if request.method == "POST" and request.POST.get("step") == "record":
        form = ReviewForm(request.POST)
        text = request.POST.get("text", "")
        if not form.is_valid():
            return _review_page(request, form, text, status=400)
        document = form.cleaned_data["reviewed"]
        source = {"text_sha256": _sha(text)}
        into = form.cleaned_data.get("into")
        adding = form.cleaned_data.get("action") == ReviewForm.ADD
        try:
            if adding and not into:
                raise ValidationError(_("Choose the exchange to add the report's facts to."))
            if adding:
                result = services.add_facts(
                    exchange=_exchange(into), document=document, actor=request.user, source=source
                )
            else:
                result = services.record_facts(document=document, actor=request.user, source=source)
        except services.FactsError as exc:
            return _review_page(request, form, text, problems=exc.problems, status=400)
        except ValidationError as exc:
            return _review_page(request, form, text, problems=exc.messages, status=400)
        if adding:
            messages.success(request, _added_message(result))
            return redirect(result.exchange.get_absolute_url())
        messages.success(
            request,
            _(
                "The report was recorded as a draft exchange; check it and correct what the reading missed."
            ),
        )
        return redirect(result.exchange.get_absolute_url())
    form = ReadReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["report_text"]
        document = read_report(
            text,
            published=form.cleaned_data["report_published"],
            url=form.cleaned_data["report_url"],
        )
        review_form = ReviewForm(
            document=document,
            initial={"text": text, "document": json.dumps(document, ensure_ascii=False)},
        )
        return _review_page(request, review_form, text)
    return render(
        request, "reports/import.html", {"form": form}, status=400 if form.is_bound else 200
    )
