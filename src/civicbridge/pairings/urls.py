from django.urls import path

from civicbridge.pairings import views

# The pairings namespace: the forms of the exchange page's pairings sections
# (/pairings/exchanges/<pk>/appointments/new/, …/commitments/new/) are added to it by the page
# tier (civicbridge/pages/exchange/urls.py).
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
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("notifications/", views.notifications, name="notifications"),
]
