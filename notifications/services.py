"""Sending notifications: one in-app row per recipient, and an email after the commit.

``notify`` is called inside the caller's transaction; the in-app rows commit (or roll back)
with the case's change, and emails go out only once the change has committed, so nobody is
told about a move that did not happen. Email failures are logged, never raised: the in-app
row is the record.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification

log = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    category: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> list[Notification]:
    """Create a notification for each active recipient; email those with an address."""
    created = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if dedupe_key:
            try:
                with transaction.atomic():
                    row = Notification.objects.create(
                        recipient=user,
                        title=title,
                        body=body,
                        url=url,
                        category=category,
                        dedupe_key=dedupe_key,
                    )
            except IntegrityError:
                continue
        else:
            row = Notification.objects.create(
                recipient=user, title=title, body=body, url=url, category=category
            )
        created.append(row)
    if email:
        mailed = [(n.pk, n.recipient.email) for n in created if n.recipient.email]
        if mailed:
            transaction.on_commit(lambda: _send_emails(mailed, title, body, url))
    return created


def _send_emails(mailed: list[tuple[int, str]], title: str, body: str, url: str) -> None:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    text = body + (f"\n\n{base}{url}" if url else "")
    sent = []
    for pk, address in mailed:
        try:
            send_mail(f"[安标] {title}", text, None, [address])
            sent.append(pk)
        except Exception:  # noqa: BLE001 - an unreachable mail server must not break the case
            log.exception("notification email to %s failed", address)
    Notification.objects.filter(pk__in=sent).update(emailed=True)


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when ``ids`` is None)."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
