"""Audit records for logins, failed logins, lockouts and logouts.

These are signal receivers, which the conventions otherwise avoid: here the event belongs to
Django's auth framework (and django-axes), which only tells us about it through signals.
Each receiver writes one audit row in its own transaction.
"""

from django.db import transaction

from audit.services import audit_record

MAX_USERNAME = 150


def _attempted_username(value) -> str:
    return str(value or "")[:MAX_USERNAME]


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="user.login", target=user)


def on_user_logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    with transaction.atomic():
        audit_record(actor=user, action="user.logout", target=user)


def on_user_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = _attempted_username(credentials.get("username"))
    data = {"username": username, "locked_out": bool(getattr(request, "axes_locked_out", False))}
    with transaction.atomic():
        audit_record(actor=None, action="user.login_failed", data=data)


def on_user_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    with transaction.atomic():
        audit_record(actor=None, action="user.locked_out", data={"username": _attempted_username(username)})
