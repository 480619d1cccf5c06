"""notify(): one in-app row per recipient, an email only after the commit, no duplicates."""

from django.core import mail
from django.db import transaction

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from notifications.services import notification_mark_read, notify


def test_the_email_goes_out_after_the_commit(personas, django_capture_on_commit_callbacks):
    officer = personas.county_officer
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [row] = notify(
            recipients=[officer], title="DJ20260001 申请待初审", body="请处理", url="/applications/1/"
        )
    assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert "DJ20260001 申请待初审" in message.subject
    assert "请处理" in message.body and "/applications/1/" in message.body
    row.refresh_from_db()
    assert row.emailed


def test_no_email_when_the_change_rolls_back(personas, django_capture_on_commit_callbacks):
    officer = personas.county_officer
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(recipients=[officer], title="回滚的通知")
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.filter(title="回滚的通知").exists()


def test_the_dedupe_key_prevents_a_second_notification(personas, django_capture_on_commit_callbacks):
    officer = personas.county_officer
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipients=[officer], title="到期提醒", dedupe_key="deadline:1:x:2026-03-02:due")
        again = notify(recipients=[officer], title="到期提醒", dedupe_key="deadline:1:x:2026-03-02:due")
    assert len(first) == 1 and again == []
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert len(mail.outbox) == 1
    # The key is per recipient: someone else still gets it.
    assert (
        len(
            notify(
                recipients=[personas.county_chief], title="到期提醒", dedupe_key="deadline:1:x:2026-03-02:due"
            )
        )
        == 1
    )


def test_inactive_users_and_repeats_are_skipped(personas):
    inactive = UserFactory(is_active=False)
    officer = personas.county_officer
    rows = notify(recipients=[officer, officer, inactive, None], title="一次", email=False)
    assert [r.recipient for r in rows] == [officer]


def test_mark_read_touches_only_the_users_own(personas):
    mine = notify(recipients=[personas.county_officer], title="我的", email=False)[0]
    theirs = notify(recipients=[personas.other_county_officer], title="别人的", email=False)[0]
    assert notification_mark_read(user=personas.county_officer, ids=[mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
