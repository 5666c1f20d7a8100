"""Who may read and write a visit's logistics (django-rules).

Writing logistics (travel legs, stays, needs, vehicles and seats) is editing the roster:
the one rule is ``exchanges.change_member`` (exchanges/rules.py), asked by name through
``CHANGE`` below. Reading the grid and the sheets is reading the exchange; the personal
fields in them follow exchanges.personal_data. Permit warnings (who has no valid permit for
the visit) are shown to those who run the visit: the roster's editors."""

from __future__ import annotations

import rules

from civicbridge.accounts.rules import is_administrator
from civicbridge.exchanges.rules import coordinates_delegation, organises_exchange

# The roster's rule, asked by name wherever logistics are written.
CHANGE = "exchanges.change_member"
VIEW = "exchanges.view_exchange"

# name → (object it expects, predicate).
PERMISSIONS = {
    # The warning itself (name and reason); the number and expiry stay personal data.
    "logistics.view_permit_warnings": (
        "Exchange (or None)",
        is_administrator | organises_exchange | coordinates_delegation,
    ),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
