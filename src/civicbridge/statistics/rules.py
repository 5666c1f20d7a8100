"""Who may read the statistics (django-rules). Every reader reads them; what each one's
figures cover is their scope (``statistics.selectors.scope_places``): a district's
organiser their district, the city's the city, administrators and viewers everything."""

from __future__ import annotations

import rules

from civicbridge.accounts.rules import is_reader

# name → (object it expects, predicate).
PERMISSIONS = {
    # The statistics page and the yearly report (年度统计报表), within the reader's scope.
    "statistics.view_statistics": ("None", is_reader),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
