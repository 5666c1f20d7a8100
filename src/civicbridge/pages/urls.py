"""The page tier's URLs, with the paths and names the pages always had: the dashboard and
site search at the top ("home", "search"); the place, person and organisation pages in the
directory's namespace ("directory:place", "directory:person", "directory:organisation"),
beside the directory's own views (indexes, type-ahead, adding and correcting places), so
that a namespace is defined once: the root URLconf mounts ``directory_patterns`` under
/directory/ and ``urlpatterns`` at the top."""

from django.urls import path

from civicbridge.directory import urls as directory_urls
from civicbridge.pages import calendar, districts, statistics, views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("calendar/", calendar.calendar_month, name="calendar"),
    path("statistics.<str:fmt>", views.statistics, name="statistics"),
    path("statistics/", statistics.statistics_page, name="statistics_page"),
    path("exchanges-by-district/", districts.exchanges_by_district, name="exchanges_by_district"),
]

directory_patterns = (
    [
        *directory_urls.urlpatterns,
        path("places/<int:pk>/", views.place_detail, name="place"),
        path("people/<int:pk>/", views.person_detail, name="person"),
        path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    ],
    directory_urls.app_name,
)
