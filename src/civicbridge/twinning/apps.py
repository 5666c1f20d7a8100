from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwinningConfig(AppConfig):
    name = "civicbridge.twinning"
    label = "twinning"
    verbose_name = _("Twinning")
