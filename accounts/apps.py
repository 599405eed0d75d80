from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and sessions"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (registers the deploy check, connects the session receivers)
