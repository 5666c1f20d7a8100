"""The reception plan (接待方案) and, after the visit, the reception list (接待清单), as PDF.

Both are written in Chinese (the reception paperwork of the host office), in the script
asked for (``which``; by default the host side's), from ``approvals.selectors.plan_data``:
the plan lists every itinerary line, the meals, the venues, the estimated costs with their
total, the reception standards and the approval (status, approver, date); the list, what was
held (the activities with status held), the members and the costs as spent.

The sheet's styles are ``civicbridge/approvals-print.css``, given to
WeasyPrint with the checked CJK font (documents/fonts.py)."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from civicbridge.approvals.models import PlanStatus, StepAction
from civicbridge.approvals.selectors import PlanData, leader_member, money
from civicbridge.core import hans_hant
from civicbridge.documents import fonts
from civicbridge.documents.places import script_of_place
from civicbridge.documents.text import arabic_date, conv, language_of, normalise_script, weekday
from civicbridge.exchanges import dates as exchange_dates
from civicbridge.exchanges.models import Exchange, MemberRole

CATEGORIES = {
    "accommodation": "住宿",
    "meals": "餐饮",
    "transport": "交通",
    "venue": "场地",
    "gifts": "礼品",
    "printing": "印刷",
    "other": "其他",
}
STATUSES = {
    PlanStatus.DRAFT: "草稿（未报批）",
    PlanStatus.SUBMITTED: "已报批，待审批",
    PlanStatus.APPROVED: "已批准",
    PlanStatus.RETURNED: "已退回",
}
ROLES = {
    MemberRole.LEADER: "团长",
    MemberRole.DEPUTY_LEADER: "副团长",
    MemberRole.MEMBER: "团员",
    MemberRole.STAFF: "工作人员",
}
LABELS = {
    "party": "接待对象",
    "organisation": "来访单位",
    "place": "来访地区",
    "delegation": "团组名称",
    "leader": "团长",
    "host": "接待地区",
    "size": "人数",
    "members_unit": "人",
    "groups_unit": "个分组",
    "dates": "日期",
    "itinerary": "日程安排",
    "date": "日期",
    "time": "时间",
    "activity": "活动",
    "where": "地点",
    "hosts": "接待",
    "meals": "用餐安排",
    "venues": "场所",
    "costs": "经费预算",
    "actual_costs": "实际费用",
    "category": "类别",
    "description": "说明",
    "quantity": "数量",
    "unit_price": "单价（元）",
    "amount": "金额（元）",
    "estimated": "预算（元）",
    "actual": "实际（元）",
    "total": "合计",
    "standards": "接待标准",
    "approval": "审批",
    "status": "状态",
    "round": "轮次",
    "submitted": "报批",
    "approver": "审批人",
    "approved_on": "审批日期",
    "note": "意见",
    "none": "无",
    "empty_itinerary": "暂无日程。",
    "empty_held": "暂无已举行的活动。",
    "empty_costs": "暂无费用。",
    "members": "来访人员",
    "name": "姓名",
    "role": "身份",
    "title_in_delegation": "职务",
    "estimate_used": "未填实际金额的，按预算计。",
    "zone": "时间均为当地时间",
    "held": "已举行的活动",
    "generated": "生成日期",
}


def _entered(text: str, which: str) -> str:
    """Text as entered (in either script), in script ``which``."""
    return hans_hant.convert_text(text, which) if text else ""


def _name(record, which: str) -> str:
    """A place, organisation or person (or a member: its person) by its stored name pair."""
    record = getattr(record, "person", record)
    return record.name_in(which) if record is not None else ""


def _where(activity, which: str) -> str:
    parts = [_name(activity.venue, which), _name(activity.place, which)]
    return " · ".join(dict.fromkeys(p for p in parts if p))


def _default_script(exchange: Exchange) -> str:
    # A plan is read by the host office: the host side's script.
    return script_of_place(exchange.host_place) or "hans"


def _line_rows(data: PlanData, which: str) -> list[dict]:
    rows = []
    for line in data.lines:
        day = f"{arabic_date(line.day)} {conv(weekday(line.day), which)}" if line.day else "待定"
        rows.append(
            {
                "day": conv(day, which),
                "time": conv(line.time, which),
                "title": _entered(line.activity.title, which),
                "where": _where(line.activity, which),
                "hosts": "、".join(p.name_in(which) for p in line.activity.hosts.all()),
                "meal": line.meal,
            }
        )
    return rows


def _quantity(value: Decimal) -> str:
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value)


def _cost_rows(data: PlanData, which: str) -> list[dict]:
    return [
        {
            "category": conv(CATEGORIES.get(c.category, c.category), which),
            "description": _entered(c.description, which),
            "quantity": _quantity(c.quantity),
            "unit_price": money(c.unit_price),
            "amount": money(c.amount),
            "actual": money(c.actual_amount) if c.actual_amount is not None else "",
            "spent": money(c.actual_amount if c.actual_amount is not None else c.amount),
        }
        for c in data.cost_lines
    ]


def _approval(data: PlanData, which: str) -> dict:
    plan = data.plan
    decided = next(
        (s for s in reversed(data.steps) if s.action in (StepAction.APPROVE, StepAction.RETURN)),
        None,
    )
    submitted = next((s for s in reversed(data.steps) if s.action == StepAction.SUBMIT), None)
    tz = ZoneInfo(data.exchange.timezone)

    def when(step):
        return step.at.astimezone(tz).strftime("%Y-%m-%d") if step is not None else ""

    status = STATUSES.get(plan.status, plan.status)
    if data.needs_reapproval:
        status += "（批准后有变更，需重新报批）"
    return {
        "status": conv(status, which),
        "round": plan.round or "",
        "submitted_by": submitted.actor_name if submitted else "",
        "submitted_on": when(submitted),
        "approver": decided.actor_name if decided else "",
        "approved_on": when(decided),
        "note": _entered(decided.note, which) if decided else "",
        "changes": [_entered(c, which) for c in data.changes],
    }


def _context(data: PlanData, which: str, *, reception_list: bool) -> dict:
    exchange = data.exchange
    size = f"{len(data.members)}{LABELS['members_unit']}"
    if exchange.declared_headcount and exchange.declared_headcount != len(data.members):
        size += f"（申报{exchange.declared_headcount}{LABELS['members_unit']}）"
    if data.groups:
        size += f"，{len(data.groups)}{LABELS['groups_unit']}"
    heading = "接待清单" if reception_list else "接待方案"
    members = [
        {
            "name": m.person.name_in(which),
            "role": conv(ROLES.get(m.role, ""), which),
            "title": _entered(m.title, which),
        }
        for m in data.members
    ]
    return {
        "script": which,
        "lang": language_of(which),
        "heading": conv(heading, which),
        "reception_list": reception_list,
        "title": _entered(exchange.title, which),
        "party": [
            (
                conv(LABELS["organisation"], which),
                _name(exchange.visiting_organisation, which),
            ),
            (conv(LABELS["place"], which), _name(exchange.visiting_place, which)),
            (conv(LABELS["delegation"], which), _entered(exchange.delegation_name, which)),
            (conv(LABELS["leader"], which), _name(leader_member(exchange), which)),
            (conv(LABELS["host"], which), exchange.host_place.name_in(which)),
            (conv(LABELS["size"], which), conv(size, which)),
            (conv(LABELS["dates"], which), conv(exchange_dates.dates_chinese(exchange), which)),
        ],
        "lines": _line_rows(data, which),
        "meals": [row for row in _line_rows(data, which) if row["meal"]],
        "venues": list(
            dict.fromkeys(row["where"] for row in _line_rows(data, which) if row["where"])
        ),
        "costs": _cost_rows(data, which),
        "total": money(data.total),
        "actual_total": money(data.actual_total),
        "standards": _entered(data.plan.standards, which),
        "approval": _approval(data, which),
        "members": members,
        "zone": exchange.timezone,
        "generated": timezone.localdate().isoformat(),
        "labels": {k: conv(v, which) for k, v in LABELS.items()},
    }


def reception_html(data: PlanData, which: str | None = None, *, reception_list=False) -> str:
    which = normalise_script(which) if which else _default_script(data.exchange)
    context = _context(data, which, reception_list=reception_list)
    return render_to_string("approvals/print/reception.html", context)


def _pdf(html: str, which: str) -> bytes:
    from weasyprint import CSS, HTML  # noqa: PLC0415 (heavy)

    font = fonts.font_stack("sans", which)
    sheets = [
        CSS(filename=finders.find("civicbridge/approvals-print.css")),
        CSS(
            string=f"body.reception-doc {{ font-family: {font}; }}"
            f" @page {{ size: A4; margin: 18mm 16mm 20mm;"
            f" @bottom-center {{ content: counter(page) ' / ' counter(pages);"
            f" font-family: {font}; font-size: 8pt; }} }}"
        ),
    ]
    return HTML(string=html).write_pdf(stylesheets=sheets)


def reception_plan_pdf(data: PlanData, which: str | None = None) -> bytes:
    """The 接待方案 of ``data`` (``approvals.selectors.plan_data(exchange)``)."""
    which = normalise_script(which) if which else _default_script(data.exchange)
    return _pdf(reception_html(data, which), which)


def reception_list_pdf(data: PlanData, which: str | None = None) -> bytes:
    """The 接待清单 of ``data`` (``plan_data(exchange, held_only=True)``): what was held."""
    which = normalise_script(which) if which else _default_script(data.exchange)
    return _pdf(reception_html(data, which, reception_list=True), which)
