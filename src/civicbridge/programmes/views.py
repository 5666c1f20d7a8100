"""The programme pages: the list of programmes and series, one programme (its organiser,
direction, aim, its exchanges in date order and its figures per period), a new programme,
editing one, and recording or removing a figure.

Views parse → validate with a form → call a service → render. Reading needs
``programmes.view_programme``; creating a programme ``programmes.add_programme``, editing
it ``programmes.change_programme``, its figures ``programmes.add_figure`` (organisers and
administrators). A refusal is a 403, GET or POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.core.services import StaleVersion
from civicbridge.exchanges.forms import apply_errors
from civicbridge.exchanges.views import stale_error
from civicbridge.programmes import forms, selectors, services
from civicbridge.programmes.models import Programme, ProgrammeFigure


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _programme(pk: int) -> Programme:
    return get_object_or_404(Programme.objects.select_related("organiser"), pk=pk)


@login_required
def programme_list(request):
    _require(request, "programmes.view_programme")
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": list(selectors.programmes()),
            "can_add": request.user.has_perm("programmes.add_programme"),
        },
    )


def _detail_context(request, programme: Programme, figure_form=None) -> dict:
    figures = selectors.programme_figures(programme)
    can_add_figure = request.user.has_perm("programmes.add_figure", programme)
    return {
        "programme": programme,
        "exchanges": selectors.programme_exchanges(programme),
        "periods": selectors.figure_periods(figures),
        "figure_count": len(figures),
        "can_change": request.user.has_perm("programmes.change_programme", programme),
        "can_add_figure": can_add_figure,
        "figure_form": (figure_form or forms.FigureForm()) if can_add_figure else None,
    }


@login_required
def programme_detail(request, pk: int):
    _require(request, "programmes.view_programme")
    programme = _programme(pk)
    return render(request, "programmes/programme_detail.html", _detail_context(request, programme))


def _form_page(request, *, form, title, submit_label, cancel, programme=None, status=200):
    return render(
        request,
        "programmes/programme_form.html",
        {
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "cancel": cancel,
            "programme": programme,
        },
        status=status,
    )


def _programme_fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


@login_required
def programme_create(request):
    _require(request, "programmes.add_programme")
    form = forms.ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(actor=request.user, **_programme_fields(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The programme was recorded."))
            return redirect(programme.get_absolute_url())
    return _form_page(
        request,
        form=form,
        title=_("New programme or series"),
        submit_label=_("Record the programme"),
        cancel=reverse("programmes:list"),
        status=400 if form.is_bound else 200,
    )


@login_required
def programme_edit(request, pk: int):
    programme = _programme(pk)
    _require(request, "programmes.change_programme", programme)
    initial = {
        "version": programme.version,
        "name": programme.name,
        "kind": programme.kind,
        "organiser": programme.organiser,
        "direction": programme.direction,
        "start_year": programme.start_year,
        "aim": programme.aim,
        "note": programme.note,
    }
    form = forms.ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_programme(
                programme=programme,
                expected_version=form.cleaned_data.get("version"),
                actor=request.user,
                **_programme_fields(form),
            )
        except StaleVersion as exc:
            stale_error(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(programme.get_absolute_url())
    return _form_page(
        request,
        form=form,
        title=_("Edit %(name)s") % {"name": programme.name},
        submit_label=_("Save"),
        cancel=programme.get_absolute_url(),
        programme=programme,
        status=400 if form.is_bound else 200,
    )


@login_required
def figure_add(request, pk: int):
    programme = _programme(pk)
    _require(request, "programmes.view_programme")
    _require(request, "programmes.add_figure", programme)
    form = forms.FigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_programme_figure(
                programme=programme, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The figure was recorded."))
            return redirect(programme.get_absolute_url() + "#figures")
    if request.method != "POST":
        return redirect(programme.get_absolute_url() + "#figures")
    context = _detail_context(request, programme, figure_form=form)
    return render(request, "programmes/programme_detail.html", context, status=400)


@login_required
@require_POST
def figure_remove(request, pk: int, figure_id: int):
    programme = _programme(pk)
    figure = get_object_or_404(ProgrammeFigure, pk=figure_id, programme=programme)
    _require(request, "programmes.add_figure", programme)
    services.remove_programme_figure(figure=figure, actor=request.user)
    messages.success(request, _("The figure was removed."))
    return redirect(programme.get_absolute_url() + "#figures")
