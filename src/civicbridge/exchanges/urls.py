from django.urls import path

from civicbridge.exchanges import copy_views, views

# The exchanges namespace: the exchange page (/exchanges/<pk>/), its sections and their forms
# (the forum pages below it included, "exchanges:forums:…") are added to it by the page tier
# (civicbridge/pages/exchange/urls.py), which the root URLconf mounts under /exchanges/.
app_name = "exchanges"

urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("new/", views.exchange_create, name="create"),
    path("lookup/organisations/", views.lookup_organisations, name="lookup_organisations"),
    path("<int:pk>/edit/", views.exchange_edit, name="edit"),
    path("<int:pk>/copy/", copy_views.exchange_copy, name="copy"),
    path("<int:pk>/groups/<int:group_id>/", views.group_detail, name="group"),
    path("places/<int:place_id>/labels/add/", views.place_label_add, name="place_label_add"),
    path(
        "places/<int:place_id>/labels/<int:label_id>/remove/",
        views.place_label_remove,
        name="place_label_remove",
    ),
    path("gifts/", views.gift_register, name="gift_register"),
    path("gifts/<int:gift_id>/photo/", views.gift_photo, name="gift_photo"),
    path(
        "gifts/<int:gift_id>/thumbnail/",
        views.gift_photo,
        {"which": "thumbnail"},
        name="gift_thumbnail",
    ),
    path("photos/<int:photo_id>/image/", views.photo_file, name="photo_image"),
    path(
        "photos/<int:photo_id>/thumbnail/",
        views.photo_file,
        {"which": "thumbnail"},
        name="photo_thumbnail",
    ),
]
