"""Who may do what to forums, topics discussed and the taxonomy (django-rules): a forum is
scoped by its activity, a topic discussed by where it was discussed.

Asked by name: ``user.has_perm("forums.change_forum", forum)``. ``PERMISSIONS`` below is
this app's table; the roles are in accounts/rules.py, the activities' rule in
exchanges/rules.py.
"""

from __future__ import annotations

import rules

from civicbridge.accounts.rules import is_administrator, is_organiser, is_reader, roles_of
from civicbridge.exchanges.rules import organises_activity, organises_exchange, organises_group


@rules.predicate
def organises_forum(user, forum):
    if forum is None:
        return bool(roles_of(user).organiser_paths)
    return organises_activity(user, forum.activity)


@rules.predicate
def organises_where_discussed(user, mention):
    """A topic discussed at a forum or an activity is the activity's organisers' to record;
    at a group, the group's; on the exchange as a whole, the exchange's."""
    if mention is None:
        return bool(roles_of(user).organiser_paths)
    if mention.forum_id is not None:
        return organises_activity(user, mention.forum.activity)
    if mention.activity_id is not None:
        return organises_activity(user, mention.activity)
    if mention.group_id is not None:
        return organises_group(user, mention.group)
    return organises_exchange(user, mention.exchange)


# name → (object it expects, predicate).
PERMISSIONS = {
    "forums.view_forum": ("Forum (or None)", is_reader),
    "forums.change_forum": ("Forum", is_administrator | organises_forum),
    "forums.change_topicmention": (
        "TopicMention (or None)",
        is_administrator | organises_where_discussed,
    ),
    "forums.add_topic": ("None", is_administrator | is_organiser),
    "forums.change_topic": ("Topic (renaming, merging)", is_administrator),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
