"""Publicity, objections, the announcement and certificates, through the services."""

import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accidents.tests.factories import record_accident
from grading.models import GradingApplication, Status
from lib.dates import add_working_days
from lib.workflow import StaleState, TransitionError
from regulation.selectors import work_calendar
from results import services
from results.models import (
    Certificate,
    NumberingRule,
    Objection,
    PublicityBatch,
    PublicityEntry,
    RevocationCase,
)
from results.services import ObjectionIn
from results.tests.service_helpers import beijing, result_ready

pytestmark = pytest.mark.django_db

B = PublicityBatch.Status


def _published(personas, application=None):
    application = application or result_ready(personas)
    batch = services.batch_create(
        actor=personas.city_officer,
        title="2026年第一批三级企业公示",
        contact="电话 0417-1234567",
        applications=[application],
    )
    services.batch_submit(actor=personas.city_officer, batch=batch)
    services.batch_approve(actor=personas.city_chief, batch=batch)
    batch.refresh_from_db()
    return batch, application


def _object(entry, ip="10.0.0.1", **kw):
    data = ObjectionIn(
        name=kw.get("name", "王五"),
        contact=kw.get("contact", "13800000000"),
        content=kw.get("content", "该企业仓库消防通道长期堵塞，与公示得分不符。"),
    )
    return services.objection_file(entry=entry, data=data, ip=ip)


def test_the_publicity_window_is_counted_in_working_days(personas):
    # Approved on Tuesday 2026-09-29: the start day is not counted, the National Day holiday
    # (1–7 October) is skipped and Saturday 10 October, a make-up working day, counts.
    with time_machine.travel(beijing(2026, 9, 29), tick=False):
        batch, application = _published(personas)
    assert batch.status == B.PUBLISHED
    assert batch.starts_on == date(2026, 9, 29)
    assert batch.working_days == 7
    assert batch.ends_on == add_working_days(date(2026, 9, 29), 7, work_calendar())
    assert batch.ends_on == date(2026, 10, 14)
    assert batch.number.startswith("营应急公示〔2026〕")
    application.refresh_from_db()
    assert application.status == Status.PUBLICITY


def test_only_applications_awaiting_result_confirmation_can_be_listed(personas):
    application = result_ready(personas)
    GradingApplication.objects.filter(pk=application.pk).update(status=Status.RECTIFYING)
    with pytest.raises(ValidationError) as exc:
        services.batch_create(actor=personas.city_officer, title="t", contact="c", applications=[application])
    assert "applications" in exc.value.message_dict


def test_an_application_sits_in_one_open_batch(personas):
    application = result_ready(personas)
    services.batch_create(actor=personas.city_officer, title="t", contact="c", applications=[application])
    with pytest.raises(ValidationError):
        services.batch_create(
            actor=personas.city_officer, title="t2", contact="c", applications=[application]
        )


@pytest.mark.parametrize("who", ["county_officer", "enterprise_principal", "expert", "bureau_leader"])
def test_only_the_city_drafts_a_batch(personas, who):
    application = result_ready(personas)
    with pytest.raises(PermissionDenied):
        services.batch_create(
            actor=getattr(personas, who), title="t", contact="c", applications=[application]
        )


def test_only_the_chief_approves_and_two_clicks_make_one_move(personas):
    application = result_ready(personas)
    batch = services.batch_create(
        actor=personas.city_officer, title="t", contact="c", applications=[application]
    )
    services.batch_submit(actor=personas.city_officer, batch=batch)
    with pytest.raises(PermissionDenied):
        services.batch_approve(actor=personas.city_officer, batch=batch)
    stale = PublicityBatch.objects.get(pk=batch.pk)
    services.batch_approve(actor=personas.city_chief, batch=batch)
    with pytest.raises(TransitionError):
        services.batch_approve(actor=personas.city_chief, batch=stale)
    assert batch.transitions.filter(transition="approve").count() == 1


def test_approval_re_runs_eligibility(personas):
    application = result_ready(personas)
    batch = services.batch_create(
        actor=personas.city_officer, title="t", contact="c", applications=[application]
    )
    services.batch_submit(actor=personas.city_officer, batch=batch)
    # A death in the 12 months before: E5 fails, and the chief cannot publish.
    record_accident(personas.county_officer, application.enterprise, deaths=1)
    with pytest.raises(ValidationError) as exc:
        services.batch_approve(actor=personas.city_chief, batch=batch)
    assert "E5" in " ".join(exc.value.messages) or application.number in " ".join(exc.value.messages)
    batch.refresh_from_db()
    assert batch.status == B.SUBMITTED


def test_objection_gets_a_receipt_and_is_throttled_per_ip(personas, settings):
    settings.ANBIAO_OBJECTIONS_PER_HOUR = 2
    with time_machine.travel(beijing(2026, 9, 29), tick=True):
        batch, _application = _published(personas)
        entry = batch.entries.get()
        first = _object(entry)
        second = _object(entry)
        assert first.receipt_number != second.receipt_number
        assert first.receipt_number.startswith("YY2026")
        assert first.status == Objection.Status.OPEN and first.due_on is not None
        with pytest.raises(services.ObjectionThrottled):
            _object(entry)
        _object(entry, ip="10.0.0.2")  # another address is not held back
    with time_machine.travel(beijing(2026, 9, 29, 11), tick=True):
        _object(entry)  # an hour later the first address may object again
    assert Objection.objects.count() == 4


def test_objection_input_is_checked_field_by_field(personas):
    with time_machine.travel(beijing(2026, 9, 29), tick=True):
        batch, _application = _published(personas)
        with pytest.raises(ValidationError) as exc:
            _object(batch.entries.get(), name="", contact="1", content="短")
    assert set(exc.value.message_dict) == {"name", "contact", "content"}
    assert Objection.objects.count() == 0


def test_a_late_objection_is_only_logged(personas):
    with time_machine.travel(beijing(2026, 9, 29), tick=True):
        batch, _application = _published(personas)
    with time_machine.travel(beijing(2026, 10, 15), tick=True):
        late = _object(batch.entries.get())
    assert late.status == Objection.Status.LOGGED


def test_an_upheld_objection_takes_the_enterprise_off_the_list(personas):
    with time_machine.travel(beijing(2026, 9, 29), tick=True):
        batch, application = _published(personas)
        objection = _object(batch.entries.get())
        services.objection_decide(
            actor=personas.city_officer, objection=objection, upheld=True, note="经核查属实"
        )
        with pytest.raises(StaleState):
            services.objection_decide(
                actor=personas.city_officer, objection=objection, upheld=False, note="再次"
            )
    application.refresh_from_db()
    assert application.status == Status.RESULT_CONFIRMATION
    entry = batch.entries.get()
    assert entry.outcome == PublicityEntry.Outcome.WITHDRAWN and entry.outcome_reason == "经核查属实"
    # The chief then decides: not passed, with the 12-month ban.
    with time_machine.travel(beijing(2026, 10, 9), tick=True):
        services.result_fail(actor=personas.city_chief, application=application, reason="异议成立")
    application.refresh_from_db()
    assert application.status == Status.NOT_PASSED
    assert application.ban_until == date(2027, 10, 9)


def test_the_window_end_moves_open_objections_to_the_check_and_announcing_waits(personas):
    with time_machine.travel(beijing(2026, 9, 29), tick=True):
        batch, application = _published(personas)
        objection = _object(batch.entries.get())
    with time_machine.travel(beijing(2026, 10, 14), tick=True):
        assert services.announce_problems(batch, date(2026, 10, 14))  # still inside the window
    with time_machine.travel(beijing(2026, 10, 15), tick=True):
        assert services.publicity_windows_close() == 1
        assert services.publicity_windows_close() == 0  # idempotent
        application.refresh_from_db()
        assert application.status == Status.OBJECTION_CHECK
        with pytest.raises(ValidationError):
            services.batch_announce(actor=personas.city_chief, batch=batch)
        services.objection_decide(
            actor=personas.city_officer, objection=objection, upheld=False, note="经核查不属实"
        )
        announcement = services.batch_announce(actor=personas.city_chief, batch=batch)
    application.refresh_from_db()
    assert application.status == Status.ANNOUNCED
    assert announcement.document_number.startswith("营应急公告〔2026〕")
    assert len(announcement.cc_recipients) == 7
    certificate = Certificate.objects.get(application=application)
    assert certificate.issued_on == date(2026, 10, 15)
    assert certificate.expires_on == date(2029, 10, 14)  # 3 years − 1 day
    assert certificate.number == "AQBⅢSM辽20260001"
    assert certificate.announcement == announcement


def test_announcing_renders_the_pdfs(personas, django_capture_on_commit_callbacks):
    with time_machine.travel(beijing(2026, 9, 29), tick=True):
        batch, application = _published(personas)
    with (
        time_machine.travel(beijing(2026, 10, 15), tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        announcement = services.batch_announce(actor=personas.city_chief, batch=batch)
    announcement.refresh_from_db()
    certificate = Certificate.objects.get(application=application)
    assert announcement.pdf.read(5) == b"%PDF-" and len(announcement.pdf_sha256) == 64
    assert certificate.pdf.read(5) == b"%PDF-"


def test_certificate_numbers_follow_the_pattern_and_the_yearly_sequence(personas):
    rule = NumberingRule.objects.get(kind="certificate")
    rule.pattern = "营{year}-{industry}-{seq:03d}"
    rule.save()
    on = date(2026, 5, 1)
    assert services.next_number("certificate", on=on, industry="machinery") == "营2026-JX-001"
    assert services.next_number("certificate", on=on, industry="machinery") == "营2026-JX-002"
    assert services.next_number("certificate", on=date(2027, 1, 4), industry="machinery") == "营2027-JX-001"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_certificate_numbers_are_unique_when_issued_at_the_same_instant():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs a server database")
    # The pattern of the migration, stated here: a transactional test must not rely on rows
    # another one's flush may have removed.
    NumberingRule.objects.update_or_create(
        kind="certificate",
        defaults={"pattern": "AQB{level}{industry}{province}{year}{seq:04d}", "province": "辽"},
    )
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def issue():
        from django.db import connection as thread_connection
        from django.db import transaction

        try:
            barrier.wait()
            with transaction.atomic():
                results.append(
                    services.next_number("certificate", on=date(2026, 10, 15), industry="machinery")
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 8
    assert sorted(int(n[-4:]) for n in results) == list(range(1, 9))


def test_a_fatal_accident_flags_the_certificate_automatically(personas):
    with time_machine.travel(beijing(2026, 9, 29), tick=True):
        batch, application = _published(personas)
    with time_machine.travel(beijing(2026, 10, 15), tick=True):
        services.batch_announce(actor=personas.city_chief, batch=batch)
    certificate = Certificate.objects.get(application=application)
    with time_machine.travel(beijing(2026, 11, 2), tick=True):
        accident = record_accident(personas.county_officer, application.enterprise, deaths=1)
        case = RevocationCase.objects.get(certificate=certificate)
        assert case.ground == RevocationCase.Ground.DEATH and case.flagged_by_system
        assert case.source == f"accident:{accident.pk}"
        # Saving it again flags nothing twice.
        services.revocation_scan()
        assert RevocationCase.objects.filter(certificate=certificate).count() == 1
        # The chief revokes: the certificate is revoked, a 撤销公告 is issued, the ban starts.
        services.revocation_decide(actor=personas.city_chief, case=case, revoke=True, reason="发生死亡事故")
    certificate.refresh_from_db()
    case.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert case.ban_until == date(2027, 11, 2)
    assert case.announcement.kind == "revocation"
    assert case.announcement.document_number.startswith("营应急撤告〔2026〕")


def test_a_revocation_bans_a_new_application(personas):
    from grading import eligibility

    with time_machine.travel(beijing(2026, 9, 29), tick=True):
        batch, application = _published(personas)
    with time_machine.travel(beijing(2026, 10, 15), tick=True):
        services.batch_announce(actor=personas.city_chief, batch=batch)
    certificate = Certificate.objects.get(application=application)
    with time_machine.travel(beijing(2026, 11, 2), tick=True):
        case = services.revocation_flag(
            actor=personas.city_officer, certificate=certificate, ground="fraud", detail="提供虚假材料"
        )
        services.revocation_decide(actor=personas.city_chief, case=case, revoke=True, reason="材料造假")
        checks = {c.code: c for c in eligibility.evaluate(application, date(2026, 11, 3))}
    assert checks["E9"].failed


def test_not_passing_sends_the_written_notice_with_reasons_and_the_ban(
    personas, django_capture_on_commit_callbacks
):
    from grading.tests.test_documents import flat, pdf_text

    application = result_ready(personas)
    with (
        time_machine.travel(beijing(2026, 10, 9), tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.result_fail(
            actor=personas.city_chief, application=application, reason="异议成立：消防通道堵塞"
        )
    document = application.documents.get(kind="not_passed_notice")
    text = flat(pdf_text(document.file.read()))
    assert application.enterprise.name in text
    assert "异议成立：消防通道堵塞" in text
    assert "2027年10月9日" in text  # may apply again from then: the 12-month ban
