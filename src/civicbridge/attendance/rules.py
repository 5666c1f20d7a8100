"""Who may see and mark attendance (django-rules).

- Reading attendance (the count and the names per activity, the sign-in sheet, badges and
  place cards): every reader of the exchange (``exchanges.view_exchange``). A name, an
  organisation and a title are the roster's, which every reader sees; no personal field
  (exchanges/personal_data.py) is shown with attendance.
- Printing badges and a member's check-in codes (they carry live check-in links): the
  exchange's organisers, administrators and the delegation's coordinator.
- Marking attendance, by hand or by opening a member's check-in link, and taking it back:
  administrators, the organisers of the activity (``organises_activity``: those of its
  groups' host districts, or of the exchange's for a whole-delegation activity) and the
  coordinator of the visiting organisation (its liaison often runs the door).

Why the check-in link needs a signed-in scanner: a badge is worn in the open and
photographed; if the link alone checked a member in, anybody who saw it could mark them
present. The reception desk signs in once on its phone (an organiser's account, or the
delegation coordinator's) and then scans badge after badge: the link names the member and
the activity, the scanner's account proves who marked it. The link is signed (it cannot be
made for someone else), expires, and is spent when used (links.py).
"""

from __future__ import annotations

import rules

from civicbridge.accounts.rules import is_administrator, is_reader
from civicbridge.exchanges.rules import (
    coordinates_delegation,
    organises_activity,
    organises_exchange,
)

marks_attendance = is_administrator | organises_activity | coordinates_delegation

# name → (object it expects, predicate).
PERMISSIONS = {
    "attendance.view_attendance": ("Activity or Exchange (or None)", is_reader),
    "attendance.check_in": ("Activity (or None)", marks_attendance),
    # Badges and the check-in codes carry members' live check-in links: printed by those
    # who run the exchange's door (its organisers, the delegation's coordinator).
    "attendance.print_check_in_codes": (
        "Exchange (or None)",
        is_administrator | organises_exchange | coordinates_delegation,
    ),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
