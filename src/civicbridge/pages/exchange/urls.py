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
from civicbridge.pages.exchange import forums, gifts, pairings, programmes, views
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
        # Topics discussed anywhere and speakers at any activity (the "topics" section).
        path("topics-discussed/add/", forums.mention_add, name="mention_add"),
        path("topics-discussed/<int:mention_id>/file/", forums.mention_file, name="mention_file"),
        path(
            "topics-discussed/<int:mention_id>/remove/",
            forums.mention_remove,
            name="mention_remove",
        ),
        path("speakers/add/", forums.activity_speaker_add, name="activity_speaker_add"),
        path(
            "speakers/<int:speaker_id>/remove/",
            forums.activity_speaker_remove,
            name="activity_speaker_remove",
        ),
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
        path("<int:pk>/places/add/", views.place_add, name="place_add"),
        path("<int:pk>/places/<int:row_id>/remove/", views.place_remove, name="place_remove"),
        path("<int:pk>/composition/add/", views.composition_add, name="composition_add"),
        path(
            "<int:pk>/composition/<int:row_id>/edit/",
            views.composition_edit,
            name="composition_edit",
        ),
        path(
            "<int:pk>/composition/<int:row_id>/remove/",
            views.composition_remove,
            name="composition_remove",
        ),
        path("<int:pk>/labels/add/", views.label_add, name="label_add"),
        path("<int:pk>/labels/<int:label_id>/remove/", views.label_remove, name="label_remove"),
        path("<int:pk>/statements/add/", views.statement_add, name="statement_add"),
        path(
            "<int:pk>/statements/<int:statement_id>/edit/",
            views.statement_edit,
            name="statement_edit",
        ),
        path(
            "<int:pk>/statements/<int:statement_id>/remove/",
            views.statement_remove,
            name="statement_remove",
        ),
        path("<int:pk>/gifts/add/", gifts.gift_add, name="gift_add"),
        path("<int:pk>/gifts/<int:gift_id>/edit/", gifts.gift_edit, name="gift_edit"),
        path("<int:pk>/photos/add/", views.photo_add, name="photo_add"),
        path("<int:pk>/forums/", include(forum_patterns)),
        path("<int:pk>/programmes/add/", programmes.programme_join, name="programme_join"),
        path(
            "<int:pk>/programmes/<int:programme_id>/remove/",
            programmes.programme_leave,
            name="programme_leave",
        ),
        path(
            "<int:pk>/programmes/figures/add/",
            programmes.figure_add,
            name="programme_figure_add",
        ),
        path("<int:pk>/links/add/", programmes.link_add, name="link_add"),
        path("<int:pk>/links/<int:link_id>/remove/", programmes.link_remove, name="link_remove"),
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
