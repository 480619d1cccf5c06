from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        # Signals are acceptable here (unlike for domain events): login, logout and lockout
        # happen inside Django's auth framework and django-axes, which announce them only
        # through signals. See accounts/auth_events.py.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from accounts import auth_events

        user_logged_in.connect(auth_events.on_user_logged_in, dispatch_uid="accounts.audit_login")
        user_logged_out.connect(auth_events.on_user_logged_out, dispatch_uid="accounts.audit_logout")
        user_login_failed.connect(
            auth_events.on_user_login_failed, dispatch_uid="accounts.audit_login_failed"
        )
        user_locked_out.connect(auth_events.on_user_locked_out, dispatch_uid="accounts.audit_locked_out")
