"""Parity cases of the gifts register: recording a received gift to register, recording
its registration, adding its photo (the page's gift form ↔ POST/PATCH /gifts)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import Gift
from tests.factories import png


def extend(world):
    world.hd_gift = exchanges.record_gift(
        exchange=world.hd,
        activity=world.hd_activity,
        giver_organisation=world.association,
        recipient_person=world.hd_person,
        description="茶叶",
        direction="received",
        value_band="200_500",
        registration="to_register",
    )


def _edit_form(p, gift, **changes):
    g = p._fresh(gift)
    data = {
        "version": str(g.version),
        "direction": g.direction,
        "giver_person": str(g.giver_person_id or ""),
        "giver_organisation": str(g.giver_organisation_id or ""),
        "giver_wording": g.giver_wording,
        "recipient_person": str(g.recipient_person_id or ""),
        "recipient_organisation": str(g.recipient_organisation_id or ""),
        "recipient_wording": g.recipient_wording,
        "description": g.description,
        "activity": str(g.activity_id or ""),
        "value_band": g.value_band,
        "registration": g.registration,
        "registered_on": str(g.registered_on or ""),
        "register_number": g.register_number,
        "handled_by": g.handled_by,
    }
    data.update(changes)
    return data


def _image():
    return SimpleUploadedFile("礼品.png", png(), content_type="image/png")


def scenarios(p):
    S, only, INSIDE = p.Scenario, p.only, p.INSIDE
    return [
        S(
            ("POST", "/gifts"),
            "received, to register, with its value band",
            only(INSIDE),
            api=lambda w: (
                "post",
                "/api/v1/gifts",
                {
                    "exchange_id": w.hd.pk,
                    "activity_id": w.hd_activity.pk,
                    "giver_organisation_id": w.association.pk,
                    "recipient_person_id": w.hd_person.pk,
                    "description": "瓷盘",
                    "direction": "received",
                    "value_band": "500_1000",
                    "registration": "to_register",
                },
            ),
            page=lambda w: (
                p._url("exchanges:gift_add", w.hd.pk),
                {
                    "direction": "received",
                    "giver_person": "",
                    "giver_organisation": str(w.association.pk),
                    "giver_wording": "",
                    "recipient_person": str(w.hd_person.pk),
                    "recipient_organisation": "",
                    "recipient_wording": "",
                    "description": "瓷盘",
                    "activity": str(w.hd_activity.pk),
                    "value_band": "500_1000",
                    "registration": "to_register",
                    "registered_on": "",
                    "register_number": "",
                    "handled_by": "",
                },
            ),
            probe=lambda w: list(
                Gift.objects.filter(description="瓷盘").values_list(
                    "direction", "value_band", "registration"
                )
            ),
        ),
        S(
            ("PATCH", "/gifts/{gift_id}"),
            "its registration recorded",
            only(INSIDE),
            api=lambda w: (
                "patch",
                f"/api/v1/gifts/{w.hd_gift.pk}",
                {
                    "version": p._version(w.hd_gift),
                    "registration": "registered",
                    "registered_on": "2016-05-10",
                    "register_number": "纪登2016-07",
                    "handled_by": "王科长",
                },
            ),
            page=lambda w: (
                p._url("exchanges:gift_edit", w.hd.pk, w.hd_gift.pk),
                _edit_form(
                    p,
                    w.hd_gift,
                    registration="registered",
                    registered_on="2016-05-10",
                    register_number="纪登2016-07",
                    handled_by="王科长",
                ),
            ),
            probe=lambda w: (
                p._fresh(w.hd_gift).registration,
                p._fresh(w.hd_gift).register_number,
            ),
        ),
        S(
            ("POST", "/gifts/{gift_id}/photo"),
            "a photo of the gift",
            only(INSIDE),
            api=lambda w: (
                "post",
                f"/api/v1/gifts/{w.hd_gift.pk}/photo",
                {"version": p._version(w.hd_gift), "photo": _image()},
            ),
            page=lambda w: (
                p._url("exchanges:gift_edit", w.hd.pk, w.hd_gift.pk),
                _edit_form(p, w.hd_gift, photo=_image()),
            ),
            probe=lambda w: bool(p._fresh(w.hd_gift).photo),
            extra={"multipart": True},
        ),
    ]
