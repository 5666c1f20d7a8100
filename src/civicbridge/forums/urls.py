"""Forum pages, mounted below the exchange: /exchanges/<pk>/forums/… (names
``exchanges:forums:…``)."""

from django.urls import path

from civicbridge.forums import views

app_name = "forums"

urlpatterns = [
    path("activity/<int:activity_id>/create/", views.forum_create, name="create"),
    path("<int:forum_id>/edit/", views.forum_edit, name="edit"),
    path("<int:forum_id>/speakers/add/", views.speaker_add, name="speaker_add"),
    path(
        "<int:forum_id>/speakers/<int:speaker_id>/remove/",
        views.speaker_remove,
        name="speaker_remove",
    ),
    path("<int:forum_id>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<int:forum_id>/agenda/<int:item_id>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<int:forum_id>/topics/", views.topics, name="topics"),
    path("<int:forum_id>/outcomes/add/", views.outcome_add, name="outcome_add"),
]
