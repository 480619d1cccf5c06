"""seed_scale: small sizes, every state, valid rows, an intact audit chain, runs on top of each other."""

import random
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from stdnum.cn import uscc as stdnum_uscc

from accidents.domain import grade_for
from accidents.models import Accident
from accounts.models import Organisation, User
from accounts.roles import Role
from audit.models import AuditChainHead, AuditEvent
from audit.selectors import audit_chain_verify
from audit.services import audit_record
from demo.scale import PATHS, SeedTaken, name_keys, seed_scale, seed_tag
from enterprises.domain import derive_industry, pinyin_keys
from enterprises.models import Enterprise, IndustryMapping
from enterprises.selectors import enterprise_list
from grading.models import ApplicationTransition, GradingApplication, Status
from grading.workflow import APPLICATION_FLOW
from rectification.models import Hazard, RectificationPlan
from results.models import Certificate

SMALL = {
    "enterprises": 50,
    "applications": 30,
    "hazards": 200,
    "accidents": 40,
    "audit_events": 500,
    "users": 30,
}
NOW = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def seeded(db):
    return seed_scale(**SMALL, seed=11, batch_size=17, now=NOW)


def test_counts_are_the_sizes(seeded):
    counts = seeded.counts
    assert counts["enterprises"] == Enterprise.objects.count() == 50
    assert counts["applications"] == GradingApplication.objects.count() == 30
    assert counts["hazards"] == Hazard.objects.count() == 200
    assert counts["accidents"] == Accident.objects.count() == 40
    assert counts["audit_events"] == 500
    assert counts["users"] == User.objects.filter(username__startswith="sc11_").count() == 30
    assert set(seeded.timings) >= {"enterprises", "applications", "hazards", "audit_events"}


def test_every_application_state_and_every_hazard_status(seeded):
    assert set(GradingApplication.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Hazard.objects.values_list("status", flat=True)) == set(Hazard.Status.values)


def test_transitions_form_a_path_the_flow_allows(seeded):
    moves = APPLICATION_FLOW.transitions
    for application in GradingApplication.objects.all():
        rows = list(
            ApplicationTransition.objects.filter(application=application).order_by("created_at", "pk")
        )
        state = Status.DRAFT
        for row in rows:
            move = moves[row.transition]
            assert row.from_state == state and state in move.sources and row.to_state == move.target
            state = row.to_state
        assert state == application.status
        assert len(rows) == len(PATHS[application.status])
        if rows:
            assert application.status_changed_at == rows[-1].created_at
            assert application.self_sheet.status == "submitted"
        assert application.self_sheet.kind == "self_assessment"


def test_enterprises_are_normalised_as_save_would(seeded):
    mappings = list(IndustryMapping.objects.values_list("code_prefix", "industry"))
    for enterprise in Enterprise.objects.select_related("region"):
        assert stdnum_uscc.is_valid(enterprise.uscc)
        assert enterprise.uscc[:8] == f"91{enterprise.region.code}"
        assert enterprise.region_path == enterprise.region.path
        assert (enterprise.name_pinyin, enterprise.name_initials) == pinyin_keys(
            enterprise.name, enterprise.short_name
        )
        assert enterprise.industry == derive_industry(enterprise.gb4754_code, mappings)


def test_composed_pinyin_matches_the_model_on_many_names():
    from demo import data

    rng = random.Random(3)
    for _ in range(2000):
        parts = (
            rng.choice(data.NAME_PLACES["大石桥市"]),
            "样例",
            rng.choice(data.BRANDS),
            rng.choice(data.BUSINESSES).word,
            rng.choice(data.SUFFIXES),
        )
        assert name_keys(parts, parts[2:4]) == pinyin_keys("".join(parts), "".join(parts[2:4]))


def test_sample_rows_pass_full_clean(seeded):
    samples = [
        *Enterprise.objects.order_by("?")[:5],
        *GradingApplication.objects.order_by("?")[:5],
        *Hazard.objects.order_by("?")[:5],
        *Accident.objects.order_by("?")[:5],
        *Certificate.objects.order_by("?")[:5],
        *RectificationPlan.objects.order_by("?")[:3],
    ]
    assert len(samples) >= 25
    for obj in samples:
        obj.full_clean()


def test_rows_follow_the_domain_rules(seeded):
    for accident in Accident.objects.all():
        assert accident.grade == grade_for(
            accident.deaths, accident.serious_injuries, accident.direct_loss_yuan
        )
        assert accident.reported_at >= accident.occurred_at
    for hazard in Hazard.objects.filter(level=Hazard.Level.MAJOR):
        assert hazard.basis_clause_id is not None
    assert not Hazard.objects.filter(status=Hazard.Status.CLOSED, verified_at__isnull=True).exists()
    announced = GradingApplication.objects.filter(status=Status.ANNOUNCED)
    assert Certificate.objects.filter(application__in=announced).count() == announced.count()
    for certificate in Certificate.objects.select_related("enterprise"):
        assert certificate.region_path == certificate.enterprise.region_path
        assert certificate.uscc == certificate.enterprise.uscc
        assert len(certificate.public_id) == 16
    reviewed = GradingApplication.objects.filter(
        status__in=[Status.RECTIFYING, Status.RECTIFICATION_CHECK, Status.ANNOUNCED]
    )
    for application in reviewed:
        assert application.rectification_plan.enterprise_id == application.enterprise_id
    # One open case per enterprise at most.
    from grading.models import TERMINAL_STATES

    open_cases = GradingApplication.objects.exclude(status__in=TERMINAL_STATES)
    ids = list(open_cases.values_list("enterprise_id", flat=True))
    assert len(ids) == len(set(ids))


def test_users_belong_to_their_enterprise(seeded):
    principals = User.objects.filter(username__startswith="sc11_", role=Role.ENTERPRISE_PRINCIPAL)
    assert principals.exists()
    for user in principals.select_related("organisation__enterprise"):
        assert user.organisation.enterprise.name == user.organisation.name
        assert user.check_password("Demo@2026anbiao")
    assert len(set(User.objects.filter(username__startswith="sc11_").values_list("password", flat=True))) == 1


def test_audit_chain_verifies_and_the_head_moves(seeded):
    assert audit_chain_verify() is None
    head = AuditChainHead.objects.get()
    last = AuditEvent.objects.order_by("-seq").first()
    assert (head.seq, head.hash) == (last.seq, last.hash)
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert str(AuditEvent.objects.count()) in out.getvalue()


def test_a_second_seed_on_top_collides_with_nothing_and_real_events_chain_on(seeded):
    with transaction.atomic():
        audit_record(actor=None, action="test.before")
    second = seed_scale(**SMALL, seed=12, batch_size=50, now=NOW)
    assert second.counts["enterprises"] == 50
    assert Enterprise.objects.count() == 100
    assert GradingApplication.objects.count() == 60
    assert seed_tag(11) != seed_tag(12)
    with transaction.atomic():
        audit_record(actor=None, action="test.after")
    assert audit_chain_verify() is None
    assert AuditEvent.objects.order_by("-seq").first().action == "test.after"


def test_the_same_seed_twice_is_refused(seeded):
    with pytest.raises(SeedTaken):
        seed_scale(**SMALL, seed=11, now=NOW)


def test_on_top_of_existing_enterprises_and_organisations(personas):
    existing = personas.enterprise
    seed_scale(**SMALL, seed=13, now=NOW)
    existing.refresh_from_db()
    assert Enterprise.objects.count() == 51
    assert audit_chain_verify() is None
    names = list(Organisation.objects.values_list("kind", "region_id", "name"))
    assert len(names) == len(set(names))


def test_scoped_selectors_see_only_their_division(seeded, personas):
    officer = personas.county_officer  # 站前区
    division = officer.organisation.region
    rows = list(enterprise_list(user=officer))
    assert rows
    assert all(row.region_path.startswith(division.path) for row in rows)
    assert len(rows) == Enterprise.objects.filter(region=division).count()
    generated = User.objects.get(username=f"sc11_c{division.code}a")
    assert {e.pk for e in enterprise_list(user=generated)} == {e.pk for e in rows}
    principal = User.objects.filter(username__startswith="sc11_p").first()
    assert [e.organisation_id for e in enterprise_list(user=principal)] == [principal.organisation_id]


def test_the_same_seed_gives_the_same_data(db):
    class Rollback(Exception):
        pass

    def snapshot():
        return (
            list(Enterprise.objects.order_by("uscc").values_list("uscc", "name", "gb4754_code")),
            list(GradingApplication.objects.order_by("number").values_list("number", "status")),
            # Not the hashes: they cover ids, and PostgreSQL does not roll sequences back.
            list(
                # Only the run's own events: importing the standard is audited at the real time.
                AuditEvent.objects.filter(created_at__lte=NOW)
                .order_by("seq")
                .values_list("action", "target_repr", "created_at", "ip", "data")
            ),
            list(Hazard.objects.order_by("pk").values_list("description", "status", "deadline", "level")),
        )

    with pytest.raises(Rollback), transaction.atomic():
        seed_scale(**SMALL, seed=21, now=NOW)
        first = snapshot()
        raise Rollback
    seed_scale(**SMALL, seed=21, now=NOW)
    assert snapshot() == first


def test_command_prints_phases_and_counts(db):
    out = StringIO()
    call_command(
        "seed_scale",
        "--enterprises=20",
        "--applications=10",
        "--hazards=50",
        "--accidents=5",
        "--audit-events=30",
        "--users=20",
        "--seed=31",
        stdout=out,
    )
    text = out.getvalue()
    assert "rows/s" in text and "audit_events" in text
    with pytest.raises(CommandError):
        call_command("seed_scale", "--enterprises=20", "--seed=31", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("seed_scale", "--enterprises=0", "--seed=32", stdout=StringIO())
