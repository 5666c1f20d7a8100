from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "civicbridge.forums"
    label = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from civicbridge.exchanges.sections import register_section
        from civicbridge.forums.views import forums_section_context

        register_section(
            "forums",
            title=_("Forums"),
            order=50,
            template="forums/section.html",
            context=forums_section_context,
        )
