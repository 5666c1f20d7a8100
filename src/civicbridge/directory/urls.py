from django.urls import path

from civicbridge.directory import views

# The directory's namespace: the place, person and organisation pages, which show other
# apps' records too, are added to it by the page tier (civicbridge/pages/urls.py).
app_name = "directory"

urlpatterns = [
    path("places/", views.place_index, name="places"),
    path("places/add/", views.place_add, name="place_add_top"),
    path("places/<int:pk>/add/", views.place_add, name="place_add"),
    path("places/<int:pk>/edit/", views.place_edit, name="place_edit"),
    path("places/<int:pk>/merge/", views.place_merge, name="place_merge"),
    path("places/<int:pk>/retire/", views.place_retire, name="place_retire"),
    path("places/<int:pk>/aliases/", views.place_alias_add, name="place_alias_add"),
    path(
        "places/<int:pk>/aliases/<int:alias_pk>/remove/",
        views.place_alias_remove,
        name="place_alias_remove",
    ),
    path("people/", views.person_index, name="people"),
    path("organisations/", views.organisation_index, name="organisations"),
    path("organisations/add/", views.organisation_add, name="organisation_add"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("people/<int:pk>/positions/add/", views.position_add, name="position_add"),
    path("people/<int:pk>/aliases/", views.person_alias_add, name="person_alias_add"),
    path(
        "people/<int:pk>/aliases/<int:alias_pk>/remove/",
        views.person_alias_remove,
        name="person_alias_remove",
    ),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("lookup/people/", views.lookup_people, name="lookup_people"),
    path("lookup/places/", views.lookup_places, name="lookup_places"),
]
