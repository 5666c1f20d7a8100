from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "civicbridge.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from civicbridge.documents.sections import exchange_documents_context
        from civicbridge.exchanges.sections import register_section

        register_section(
            "documents",
            title=_("Documents"),
            order=95,
            template="documents/sections/exchange_documents.html",
            context=exchange_documents_context,
        )
