"""The exchange page's URLs, with the paths and names they always had, so that each
namespace is defined once:

- ``exchange_patterns`` ("exchanges", mounted under /exchanges/): the exchange app's own
  pages (``exchanges/urls.py``) and the exchange page, its sections and their forms; the
  forum forms below it (/exchanges/<pk>/forums/…, "exchanges:forums:…").
- ``pairings_patterns`` ("pairings", mounted under /pairings/): the pairings app's own pages
  (``pairings/urls.py``) and the forms of the page's appointments and commitments sections.
"""

from django.urls import include, path

from civicbridge.exchanges import urls as exchanges_urls
from civicbridge.pages.exchange import forums, pairings, views
from civicbridge.pairings import urls as pairings_urls

forum_patterns = (
    [
        path("activity/<int:activity_id>/create/", forums.forum_create, name="create"),
        path("<int:forum_id>/edit/", forums.forum_edit, name="edit"),
        path("<int:forum_id>/speakers/add/", forums.speaker_add, name="speaker_add"),
        path(
            "<int:forum_id>/speakers/<int:speaker_id>/remove/",
            forums.speaker_remove,
            name="speaker_remove",
        ),
        path("<int:forum_id>/agenda/add/", forums.agenda_add, name="agenda_add"),
        path(
            "<int:forum_id>/agenda/<int:item_id>/remove/",
            forums.agenda_remove,
            name="agenda_remove",
        ),
        path("<int:forum_id>/topics/", forums.topics, name="topics"),
        path("<int:forum_id>/outcomes/add/", forums.outcome_add, name="outcome_add"),
    ],
    "forums",
)

exchange_patterns = (
    [
        *exchanges_urls.urlpatterns,
        path("<int:pk>/", views.exchange_detail, name="detail"),
        path("<int:pk>/sections/<slug:key>/", views.section, name="section"),
        path("<int:pk>/organisations/add/", views.organisation_add, name="organisation_add"),
        path("<int:pk>/members/add/", views.member_add, name="member_add"),
        path("<int:pk>/members/<int:member_id>/edit/", views.member_edit, name="member_edit"),
        path("<int:pk>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
        path("<int:pk>/groups/add/", views.group_add, name="group_add"),
        path("<int:pk>/groups/split/", views.split, name="split"),
        path("<int:pk>/groups/<int:group_id>/edit/", views.group_edit, name="group_edit"),
        path("<int:pk>/activities/add/", views.activity_add, name="activity_add"),
        path(
            "<int:pk>/activities/<int:activity_id>/edit/",
            views.activity_edit,
            name="activity_edit",
        ),
        path(
            "<int:pk>/activities/<int:activity_id>/move/",
            views.activity_move,
            name="activity_move",
        ),
        path(
            "<int:pk>/activities/<int:activity_id>/delete/",
            views.activity_delete,
            name="activity_delete",
        ),
        path("<int:pk>/gifts/add/", views.gift_add, name="gift_add"),
        path("<int:pk>/photos/add/", views.photo_add, name="photo_add"),
        path("<int:pk>/forums/", include(forum_patterns)),
    ],
    exchanges_urls.app_name,
)

pairings_patterns = (
    [
        *pairings_urls.urlpatterns,
        path(
            "exchanges/<int:pk>/appointments/new/",
            pairings.exchange_appointment_new,
            name="exchange_appointment_new",
        ),
        path(
            "exchanges/<int:pk>/commitments/new/",
            pairings.exchange_commitment_new,
            name="exchange_commitment_new",
        ),
    ],
    pairings_urls.app_name,
)
