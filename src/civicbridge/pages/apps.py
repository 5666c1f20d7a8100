from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The page tier: pages that compose several domain apps (the dashboard, site search,
    the place, person and organisation pages, the exchange page)."""

    name = "civicbridge.pages"
    label = "pages"
    verbose_name = _("Pages")
