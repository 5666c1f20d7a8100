from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civicbridge.accounts"
    label = "accounts"
    verbose_name = _("Accounts and permissions")

    def ready(self):
        # The audit trail is infrastructure, not business logic: it must see every write,
        # whichever entry point made it (pages, API, admin, commands), so it listens to
        # model signals. Domain rules stay in the services.
        from civicbridge.accounts import audit, throttling  # noqa: PLC0415 (app-ready)

        audit.connect()
        throttling.connect()
