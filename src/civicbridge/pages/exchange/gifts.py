"""The exchange page's gifts section: recording a gift and correcting it (its direction,
value band, photo and registration with the discipline office). Views parse → validate
with a form → call a service (exchanges.services) → render (``responses.form_response``).
Both need ``exchanges.change_exchange`` (a 403 otherwise, GET or POST); an edit based on
a stale version comes back with the message above the form and everything typed kept."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from civicbridge.exchanges import forms, services
from civicbridge.exchanges.models import Gift
from civicbridge.exchanges.views import readable_exchange, require_edit
from civicbridge.pages.exchange.responses import form_response

GIFT_FIELDS = (
    "direction",
    "giver_person",
    "giver_organisation",
    "giver_wording",
    "recipient_person",
    "recipient_organisation",
    "recipient_wording",
    "description",
    "activity",
    "value_band",
    "registration",
    "registered_on",
    "register_number",
    "handled_by",
)


@login_required
def gift_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    require_edit(request, exchange)
    form = forms.GiftForm(
        request.POST or None,
        request.FILES or None,
        exchange=exchange,
        initial={"registration": "to_register"},
    )
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Record a gift"),
        action=reverse("exchanges:gift_add", args=[pk]),
        section="gifts",
        submit_label=_("Record the gift"),
        perform=lambda f: services.record_gift(
            exchange=exchange, actor=request.user, **f.service_fields()
        ),
        saved_message=_("The gift was recorded."),
        multipart=True,
    )


@login_required
def gift_edit(request, pk: int, gift_id: int):
    """Correct a gift, add its photo or record its registration (status, date, number,
    who handled it)."""
    exchange = readable_exchange(request, pk)
    gift = get_object_or_404(
        Gift.objects.select_related(
            "activity",
            "giver_person",
            "giver_organisation",
            "recipient_person",
            "recipient_organisation",
        ),
        pk=gift_id,
        exchange=exchange,
    )
    require_edit(request, exchange)
    initial = {"version": gift.version, **{f: getattr(gift, f) for f in GIFT_FIELDS}}
    form = forms.GiftEditForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        exchange=exchange,
        auto_id=f"gift-{gift.pk}_%s",
    )

    def perform(f):
        services.update_gift(
            gift=gift,
            expected_version=f.cleaned_data.get("version"),
            actor=request.user,
            **f.service_fields(),
        )

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Correct the gift"),
        action=reverse("exchanges:gift_edit", args=[pk, gift_id]),
        section="gifts",
        perform=perform,
        saved_message=_("The gift was saved."),
        multipart=True,
        cancel_section="gifts",
        extra={"form_class": "inline-edit"},
    )
