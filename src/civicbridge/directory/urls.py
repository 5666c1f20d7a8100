from django.urls import path

from civicbridge.directory import views

app_name = "directory"

urlpatterns = [
    path("places/", views.place_index, name="places"),
    path("places/<int:pk>/", views.place_detail, name="place"),
    path("people/", views.person_index, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("organisations/", views.organisation_index, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("lookup/people/", views.lookup_people, name="lookup_people"),
    path("lookup/places/", views.lookup_places, name="lookup_places"),
]
