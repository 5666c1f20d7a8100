"""Who may do what to programmes and series, their figures and the links between exchanges
(django-rules).

Asked by name: ``user.has_perm("programmes.change_programme", programme)``. A programme
(一日里长, 双城交流) spans many places, so it is not scoped by place: every organiser (and
the administrators) may record and correct programmes and their figures. Putting an
exchange in a programme, and linking an exchange to another visit, change what the
exchange's page says: they follow the exchange's own edit permission
(``exchanges.change_exchange``), asked through ``programmes.link_exchange``.
"""

from __future__ import annotations

import rules

from civicbridge.accounts.rules import is_administrator, is_organiser, is_reader
from civicbridge.exchanges.rules import organises_exchange

# name → (object it expects, predicate).
PERMISSIONS = {
    "programmes.view_programme": ("Programme (or None)", is_reader),
    "programmes.add_programme": ("None", is_administrator | is_organiser),
    "programmes.change_programme": ("Programme", is_administrator | is_organiser),
    "programmes.add_figure": ("Programme (or None)", is_administrator | is_organiser),
    # An exchange in a programme, or linked to another visit: the exchange's edit right.
    "programmes.link_exchange": ("Exchange", is_administrator | organises_exchange),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
