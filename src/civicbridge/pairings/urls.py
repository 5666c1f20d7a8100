from django.urls import path

from civicbridge.pairings import views

app_name = "pairings"

urlpatterns = [
    path("", views.pairing_list, name="list"),
    path("<int:pk>/", views.pairing_detail, name="detail"),
    path("<int:pk>/messages/", views.pairing_messages, name="messages"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/return-visit/", views.return_visit, name="return_visit"),
    path("<int:pk>/commitments/new/", views.pairing_commitment_new, name="pairing_commitment_new"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("exchanges/<int:pk>/messages/", views.exchange_messages, name="exchange_messages"),
    path("exchanges/<int:pk>/follow/", views.exchange_follow, name="exchange_follow"),
    path(
        "exchanges/<int:pk>/appointments/new/",
        views.exchange_appointment_new,
        name="exchange_appointment_new",
    ),
    path(
        "exchanges/<int:pk>/commitments/new/",
        views.exchange_commitment_new,
        name="exchange_commitment_new",
    ),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("notifications/", views.notifications, name="notifications"),
]
