from importlib.util import find_spec

from django.urls import include, path

from civicbridge.exchanges import views

app_name = "exchanges"

urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("new/", views.exchange_create, name="create"),
    path("lookup/organisations/", views.lookup_organisations, name="lookup_organisations"),
    path("<int:pk>/", views.exchange_detail, name="detail"),
    path("<int:pk>/edit/", views.exchange_edit, name="edit"),
    path("<int:pk>/sections/<slug:key>/", views.section, name="section"),
    path("<int:pk>/organisations/add/", views.organisation_add, name="organisation_add"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/groups/add/", views.group_add, name="group_add"),
    path("<int:pk>/groups/split/", views.split, name="split"),
    path("<int:pk>/groups/<int:group_id>/", views.group_detail, name="group"),
    path("<int:pk>/groups/<int:group_id>/edit/", views.group_edit, name="group_edit"),
    path("<int:pk>/activities/add/", views.activity_add, name="activity_add"),
    path("<int:pk>/activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/activities/<int:activity_id>/move/", views.activity_move, name="activity_move"),
    path(
        "<int:pk>/activities/<int:activity_id>/delete/",
        views.activity_delete,
        name="activity_delete",
    ),
    path("<int:pk>/gifts/add/", views.gift_add, name="gift_add"),
    path("<int:pk>/photos/add/", views.photo_add, name="photo_add"),
    path("photos/<int:photo_id>/image/", views.photo_file, name="photo_image"),
    path(
        "photos/<int:photo_id>/thumbnail/",
        views.photo_file,
        {"which": "thumbnail"},
        name="photo_thumbnail",
    ),
]

# The forum pages live below the exchange (/exchanges/<id>/forums/…, names "forums:…"
# inside this namespace); forums may be absent, exchanges does not import it.
if find_spec("civicbridge.forums.urls") is not None:
    urlpatterns.append(path("<int:pk>/forums/", include("civicbridge.forums.urls")))
