"""The 接待方案 and 接待清单 PDFs (documents/reception_plan.py), read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from civicbridge.approvals import services
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import ExchangeStatus
from tests.factories import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    result = subprocess.run(  # noqa: S603 - fixed argv
        [shutil.which("pdftotext"), "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def _client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _approved_with_costs(visit):
    inside = fresh(visit.world.users["organiser_haidian"])
    for category, description, quantity, price in (
        ("accommodation", "友谊宾馆住宿", 40, "380"),
        ("meals", "欢迎晚宴", 2, "1500.50"),
        ("transport", "大巴", 4, "900"),
    ):
        services.add_cost_line(
            exchange=visit.exchange,
            category=category,
            description=description,
            quantity=quantity,
            unit_price=price,
            actor=inside,
        )
    services.set_standards(exchange=visit.exchange, standards="四菜一汤，标准间", actor=inside)
    services.submit_plan(exchange=visit.exchange, actor=inside)
    services.approve_plan(
        plan=visit.exchange.reception_plan, note="同意", actor=fresh(visit.org_beijing)
    )


def test_plan_pdf_holds_every_itinerary_line_and_the_cost_total(visit):
    _approved_with_costs(visit)
    response = _client(fresh(visit.world.users["viewer"])).get(
        reverse("documents:reception_plan_pdf", args=[visit.exchange.pk])
    )
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = _text(response.content)
    assert "接待方案" in text
    for title in (
        "参观石油大院社区",
        "午餐",
        "京台社区大讲堂",
        "欢迎晚宴",
        "海淀座谈",
        "中关村参观",
    ):
        assert title in text
    for time in ("09:00–11:00", "12:00–13:00", "14:00–16:00", "18:30–20:00"):
        assert time in text
    assert "合计" in text
    assert "21801.00" in text  # 15200 + 3001 + 3600
    assert "已批准" in text
    assert "org_beijing" in text
    assert "四菜一汤" in text
    assert "20人" in text


def test_plan_pdf_in_traditional_script(visit):
    _approved_with_costs(visit)
    response = _client(fresh(visit.world.users["viewer"])).get(
        reverse("documents:reception_plan_pdf", args=[visit.exchange.pk]) + "?script=zh-hant"
    )
    text = _text(response.content)
    assert "接待方案" in text
    assert "經費預算" in text
    assert "歡迎晚宴" in text


def test_reception_list_holds_what_was_held_and_the_actuals(visit):
    _approved_with_costs(visit)
    admin = fresh(visit.world.users["administrator"])
    for key in ("visit", "lunch", "forum"):
        activity = visit.activities[key]
        exchanges.update_activity(
            activity=activity,
            status=ExchangeStatus.HELD,
            expected_version=activity.version,
            actor=admin,
        )
    line = visit.exchange.reception_plan.cost_lines.get(description="欢迎晚宴")
    services.update_cost_line(
        line=line, expected_version=line.version, actual_amount="2800", actor=admin
    )
    response = _client(fresh(visit.world.users["viewer"])).get(
        reverse("documents:reception_list_pdf", args=[visit.exchange.pk])
    )
    text = _text(response.content)
    assert "接待清单" in text
    for title in ("参观石油大院社区", "午餐", "京台社区大讲堂"):
        assert title in text
    for title in ("海淀座谈", "中关村参观"):  # not held
        assert title not in text
    assert "陈里长01" in text and "陈里长20" in text  # in the host side's script
    assert "21600.00" in text  # 15200 + 2800 + 3600


def test_pdf_refused_to_a_user_without_a_role(visit):
    nobody = fresh(visit.world.users["nobody"])
    url = reverse("documents:reception_plan_pdf", args=[visit.exchange.pk])
    assert _client(nobody).get(url).status_code == 403
