from django.urls import path

from civicbridge.pairings import views

# The pairings namespace: the forms of the exchange page's pairings sections
# (/pairings/exchanges/<pk>/appointments/new/, …/commitments/new/) are added to it by the page
# tier (civicbridge/pages/exchange/urls.py).
app_name = "pairings"

urlpatterns = [
    path("", views.pairing_list, name="list"),
    path("quiet/", views.quiet_list, name="quiet"),
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
    path("new/", views.pairing_new, name="pairing_new"),
    path("agreements/", views.links_index, name="links"),
    path("<int:pk>/edit/", views.pairing_edit, name="pairing_edit"),
    path("batches/new/", views.batch_new, name="batch_new"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("batches/<int:pk>/pairings/new/", views.batch_complete, name="batch_complete"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<int:pk>/document/",
        views.agreement_document_upload,
        name="agreement_document_upload",
    ),
    path("agreements/<int:pk>/document/file", views.agreement_document, name="agreement_document"),
    path("alliances/new/", views.alliance_new, name="alliance_new"),
    path("alliances/<int:pk>/", views.alliance_detail, name="alliance"),
    path("alliances/<int:pk>/edit/", views.alliance_edit, name="alliance_edit"),
    path("alliances/<int:pk>/members/new/", views.alliance_member_add, name="alliance_member_add"),
]
