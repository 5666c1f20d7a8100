"""Who may do what to a reception plan (接待方案) — the one rule for the plan page, the
exchange page's panel, the API and the documents.

- Reading the plan (and its PDFs): every reader of the exchange.
- Writing it (cost lines, the reception standards) and submitting it for approval: those
  who may change the exchange (administrators, organisers of its host places).
- Approving or returning it (事前审批): an administrator, or an organiser of a higher
  office — one whose place STRICTLY contains the exchange's host place (the 北京市 office
  for a visit hosted by 海淀区) — and never the person who submitted it. Viewers neither.

Asked with the plan (``approvals.approve_plan``) or, for writing and submitting, with the
plan or the exchange (a plan that has no row yet is the exchange's)."""

from __future__ import annotations

import rules

from civicbridge.accounts.rules import is_administrator, is_reader, roles_of
from civicbridge.directory.models import path_within
from civicbridge.exchanges.rules import organises_exchange


def _exchange_of(obj):
    return getattr(obj, "exchange", obj)


@rules.predicate
def oversees_exchange(user, obj):
    """An organiser whose place strictly contains the exchange's host place (a higher
    office). obj: a ReceptionPlan or an Exchange (None: the user is an organiser)."""
    paths = roles_of(user).organiser_paths
    if obj is None:
        return bool(paths)
    exchange = _exchange_of(obj)
    host = exchange.host_place.path if exchange is not None and exchange.host_place_id else ""
    return bool(host) and any(path_within(host, [p]) and host != p for p in paths)


@rules.predicate
def submitted_plan(user, plan):
    """The user submitted the plan's current round."""
    submitter = getattr(plan, "submitted_by_id", None)
    return submitter is not None and submitter == getattr(user, "pk", None)


may_decide = (is_administrator | oversees_exchange) & ~submitted_plan

# name → (object it expects, predicate).
PERMISSIONS = {
    "approvals.view_plan": ("ReceptionPlan or Exchange (or None)", is_reader),
    "approvals.change_plan": ("ReceptionPlan or Exchange", is_administrator | organises_exchange),
    "approvals.submit_plan": ("ReceptionPlan or Exchange", is_administrator | organises_exchange),
    "approvals.approve_plan": ("ReceptionPlan", may_decide),
    "approvals.return_plan": ("ReceptionPlan", may_decide),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def may_decide_on(user, plan) -> bool:
    """``approvals.approve_plan`` / ``return_plan`` answered by the rule itself. Django
    answers every ``has_perm`` of a superuser with yes, yet a superuser who submitted the
    plan may not approve it either: the services, the page and the API ask here."""
    return bool(
        user is not None
        and getattr(user, "is_active", False)
        and plan is not None
        and may_decide.test(user, plan)
    )
