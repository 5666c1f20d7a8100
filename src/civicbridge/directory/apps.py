from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "civicbridge.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from civicbridge.core import hans_hant  # noqa: PLC0415 (app-ready)
        from civicbridge.directory.names import known_names  # noqa: PLC0415 (app-ready)

        hans_hant.register_name_provider(known_names)
