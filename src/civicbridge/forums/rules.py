"""Who may do what to forums (django-rules): a forum is scoped by its activity.

Asked by name: ``user.has_perm("forums.change_forum", forum)``. ``PERMISSIONS`` below is
this app's table; the roles are in accounts/rules.py, the activities' rule in
exchanges/rules.py.
"""

from __future__ import annotations

import rules

from civicbridge.accounts.rules import is_administrator, is_reader, roles_of
from civicbridge.exchanges.rules import organises_activity


@rules.predicate
def organises_forum(user, forum):
    if forum is None:
        return bool(roles_of(user).organiser_paths)
    return organises_activity(user, forum.activity)


# name → (object it expects, predicate).
PERMISSIONS = {
    "forums.view_forum": ("Forum (or None)", is_reader),
    "forums.change_forum": ("Forum", is_administrator | organises_forum),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
