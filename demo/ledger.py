"""Seed the rectification demo (一企一策 and the hazard ledger) through ``rectification.services``.

What it makes, on the demo cases ``demo.services`` walked through their on-site review:

- the rectifying case (stage ``rectifying``): the leader completes the plan the finalise hook
  made (one finding raised to 重大 with its clause of 应急管理部令第10号) and adds a hazard; the
  enterprise fills the fixes and the 五落实, reports progress, uploads evidence and submits;
  the leader verifies one fix (销号) and sends one back; the city approves one extension (the
  original deadline stays on record) and one waits for the 科长;
- a second rectifying case (``RECTIFYING_OVERDUE``) whose 重大 hazard is overdue, with the 督办
  the system opened (the enterprise is flagged);
- a case whose principal submitted the rectification (``rectification_check``), one fix still
  waiting for the leader's verification, and one the leader confirmed (``CONFIRMED``, now in
  result confirmation);
- hazards enterprises found themselves (自查) in several divisions, in every status, some
  overdue, two 重大; and one a county officer found on inspection (执法).

Dates count back from the day of seeding, so the overdue ones are overdue today without any
clock trickery. Idempotent: a plan the leader has completed (its hazards have a location) and a
ledger hazard already recorded (same enterprise and description) are left alone.
"""

import io
import struct
import zlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from demo import data
from enterprises.models import Enterprise
from grading.models import GradingApplication, Status
from rectification import services as rect
from rectification.models import Hazard, HazardEvidence, MajorHazardClause, RectificationPlan
from reviews.models import PanelMember

H = Hazard.Status

# The demo stages past the on-site review that ``demo.services`` walks like ``rectifying``
# (finalised with hazards), each then taken on by ``seed_rectification``.
RECTIFYING_OVERDUE = "rectifying:overdue"  # a 重大 hazard overdue, under 督办
CONFIRMED = "result_confirmation:rectified"  # the leader confirmed the rectification
# Stage -> (hazard findings, other findings) the panel records.
RECTIFYING_FINDINGS = {
    Status.RECTIFYING: (4, 10),
    RECTIFYING_OVERDUE: (2, 6),
    Status.RECTIFICATION_CHECK: (3, 6),
    CONFIRMED: (2, 5),
}

GENERAL_DAYS = 30  # calendar days the leader gives a 一般 hazard of a plan
MAJOR_DAYS = 20


# --- Evidence files, made in code (small, valid, the same bytes every run) ---------------------


def png_bytes(colour: tuple[int, int, int], *, width: int = 48, height: int = 32) -> bytes:
    """A small valid PNG: two bands, ``colour`` above grey (a stand-in for a site photo)."""
    rows = []
    for y in range(height):
        pixel = bytes(colour) if y < height * 2 // 3 else b"\x90\x90\x90"
        rows.append(b"\x00" + pixel * width)

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(colour: tuple[int, int, int]) -> bytes:
    """A small valid JPEG (Pillow is a locked dependency); a PNG's colour as a photo taken after."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (48, 32), colour).save(out, format="JPEG", quality=80)
    return out.getvalue()


def pdf_bytes(*lines: str) -> bytes:
    """A valid one-page PDF showing ``lines`` (ASCII) in Helvetica, with a correct xref table."""
    text = b" T* ".join(
        b"("
        + line.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        + b") Tj"
        for line in lines
    )
    content = b"BT /F1 14 Tf 16 TL 72 770 Td " + text + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


BEFORE_COLOUR = (178, 58, 52)  # red: the hazard as found
AFTER_COLOUR = (60, 140, 80)  # green: fixed


def _evidence(actor: User, hazard: Hazard, kind: str) -> HazardEvidence:
    number = hazard.pk
    if kind == HazardEvidence.Kind.BEFORE:
        file = ContentFile(png_bytes(BEFORE_COLOUR), name=f"整改前-{number}.png")
        note = "整改前现场照片"
    elif kind == HazardEvidence.Kind.AFTER:
        file = ContentFile(jpeg_bytes(AFTER_COLOUR), name=f"整改后-{number}.jpg")
        note = "整改后现场照片"
    else:
        file = ContentFile(
            pdf_bytes("Rectification record (demo data)", f"Hazard {number}"), name=f"整改记录-{number}.pdf"
        )
        note = "整改记录及验收单"
    return rect.hazard_evidence_add(actor=actor, hazard=hazard, file=file, kind=kind, note=note)


# --- People ------------------------------------------------------------------------------------


def _enterprise_people(enterprise: Enterprise) -> tuple[User | None, User | None]:
    """The enterprise's principal and contact (their demo logins), or None."""
    users = User.objects.filter(organisation_id=enterprise.organisation_id, is_active=True).order_by(
        "username"
    )
    if enterprise.organisation_id is None:
        return None, None
    principal = users.filter(role=Role.ENTERPRISE_PRINCIPAL).first()
    staff = users.filter(role=Role.ENTERPRISE_USER).first()
    return principal, staff or principal


def _plan_leader(plan: RectificationPlan) -> User | None:
    member = (
        PanelMember.objects.filter(
            panel__application_id=plan.application_id,
            role=PanelMember.Role.LEADER,
            state=PanelMember.State.CONFIRMED,
            expert__user__isnull=False,
        )
        .select_related("expert__user")
        .first()
    )
    return member.expert.user if member else None


def _county_officer(enterprise: Enterprise) -> User | None:
    return (
        User.objects.filter(
            role=Role.COUNTY_OFFICER, is_active=True, organisation__region_id=enterprise.region_id
        )
        .order_by("username")
        .first()
    )


def _clause(spec: tuple[int, int | None] | None) -> MajorHazardClause | None:
    if spec is None:
        return None
    article, item = spec
    return (
        MajorHazardClause.objects.filter(active=True, article=article, item=item)
        .order_by("-effective_from", "-pk")
        .first()
    )


# --- The plans ---------------------------------------------------------------------------------


def _completed(plan: RectificationPlan) -> bool:
    """The leader's first act on every demo plan is to give each hazard its location."""
    return plan.hazards.exclude(location="").exists()


def _complete(leader: User, plan: RectificationPlan, today: date) -> list[Hazard]:
    """The leader completes the hazards the finalise hook made: location, deadline, and 重大 where
    the finding is one (with its clause). Returns them, 重大 first."""
    hazards = list(plan.hazards.select_related("item").order_by("item__sort_order", "pk"))
    for hazard in hazards:
        code = hazard.item.code if hazard.item_id else ""
        location, _measures = data.HAZARD_FIXES.get(code, data.HAZARD_FIX_DEFAULT)
        clause = _clause(data.MAJOR_FINDING_CLAUSES.get(code))
        fields = {"location": location, "deadline": today + timedelta(days=GENERAL_DAYS)}
        if clause is not None:
            fields |= {
                "level": Hazard.Level.MAJOR,
                "basis_clause_id": clause.pk,
                "deadline": today + timedelta(days=MAJOR_DAYS),
            }
        rect.hazard_update(actor=leader, hazard=hazard, data=rect.HazardIn(**fields))
    return sorted(_refresh(hazards), key=lambda h: h.level != Hazard.Level.MAJOR)


def _refresh(hazards: list[Hazard]) -> list[Hazard]:
    rows = Hazard.objects.in_bulk([h.pk for h in hazards])
    return [rows[h.pk] for h in hazards]


def _add(actor: User, plan: RectificationPlan, spec: data.PlanHazard, **fields) -> Hazard:
    clause = _clause(spec.clause)
    return rect.hazard_create(
        actor=actor,
        enterprise=plan.enterprise,
        plan=plan,
        data=rect.HazardIn(
            description=spec.description,
            location=spec.location,
            requirement=spec.requirement,
            level=Hazard.Level.MAJOR if clause else Hazard.Level.GENERAL,
            basis_clause_id=clause.pk if clause else None,
            **fields,
        ),
    )


def _fix_fields(hazard: Hazard, enterprise: Enterprise, *, spec: data.PlanHazard | None = None) -> dict:
    """What the enterprise records about its fix; for a 重大 hazard the 五落实 too."""
    code = hazard.item.code if hazard.item_id else ""
    measures = spec.measures if spec else data.HAZARD_FIXES.get(code, data.HAZARD_FIX_DEFAULT)[1]
    fields = {
        "measures": measures,
        "responsible_name": enterprise.safety_manager_name or enterprise.principal_name,
        "responsible_phone": enterprise.safety_manager_phone or enterprise.principal_phone,
        "funds": Decimal(3000 + 1500 * (hazard.pk % 7)),
    }
    if hazard.level == Hazard.Level.MAJOR:
        responsibility, contingency, governance = data.FIVE_ASSURANCES.get(code, data.FIVE_ASSURANCES_DEFAULT)
        fields |= {
            "responsibility": responsibility,
            "contingency_plan": contingency,
            "governance_plan": governance,
            "funds": Decimal(20000 + 5000 * (hazard.pk % 5)),
        }
    return fields


def _fill(actor: User, hazard: Hazard, **fields) -> Hazard:
    return rect.hazard_update(actor=actor, hazard=hazard, data=rect.HazardIn(**fields))


def _fix_and_submit(staff: User, hazard: Hazard, *, by: User | None = None, before: bool = True) -> None:
    """The enterprise reports the fix done, uploads its evidence and submits it."""
    rect.hazard_progress_add(actor=staff, hazard=hazard, note=data.PROGRESS_NOTES[2], percent=100)
    if before:
        _evidence(staff, hazard, HazardEvidence.Kind.BEFORE)
    _evidence(staff, hazard, HazardEvidence.Kind.AFTER)
    rect.hazard_submit(actor=by or staff, hazard=hazard, comment=data.SUBMIT_COMMENT)


def _walk_rich_plan(plan, *, leader, principal, staff, users, today) -> None:
    """The rectifying case: every part of the loop on one plan."""
    hazards = _complete(leader, plan, today)
    if not any(h.level == Hazard.Level.MAJOR for h in hazards):
        hazards.insert(
            0,
            _add(leader, plan, data.PLAN_MAJOR_FALLBACK, deadline=today + timedelta(days=MAJOR_DAYS)),
        )
    _add(
        leader,
        plan,
        data.PLAN_ADDED_HAZARD,
        deadline=today + timedelta(days=GENERAL_DAYS),
    )  # stays 待整改
    enterprise = plan.enterprise
    for hazard in hazards:
        spec = data.PLAN_MAJOR_FALLBACK if hazard.deduction_id is None else None
        _fill(
            principal if hazard.level == Hazard.Level.MAJOR else staff,
            hazard,
            **_fix_fields(hazard, enterprise, spec=spec),
        )
    major, general = hazards[0], hazards[1:]
    # The 重大 one: under way, its before photo up; an extension waits for the 科长.
    rect.hazard_progress_add(actor=principal, hazard=major, note=data.PROGRESS_NOTES[0], percent=30)
    _evidence(principal, major, HazardEvidence.Kind.BEFORE)
    rect.extension_request(
        actor=principal,
        hazard=major,
        requested_deadline=major.deadline + timedelta(days=20),
        reason=data.EXTENSION_PENDING,
    )
    if len(general) > 0:  # fixed, submitted, verified by the leader: 已销号
        _fix_and_submit(staff, general[0])
        rect.hazard_verify(actor=leader, hazard=general[0], passed=True, note=data.VERIFY_NOTE)
    if len(general) > 1:  # submitted, sent back (退回), being fixed again
        _fix_and_submit(staff, general[1])
        rect.hazard_verify(actor=leader, hazard=general[1], passed=False, note=data.REJECT_NOTE)
        rect.hazard_progress_add(
            actor=staff, hazard=general[1], note=data.PROGRESS_AFTER_REJECTION, percent=60
        )
    if len(general) > 2:  # an extension approved by the city, then fixed and waiting for the leader
        hazard = general[2]
        rect.hazard_progress_add(actor=staff, hazard=hazard, note=data.PROGRESS_NOTES[1], percent=50)
        reason, decision = data.EXTENSION_APPROVED
        extension = rect.extension_request(
            actor=staff, hazard=hazard, requested_deadline=hazard.deadline + timedelta(days=15), reason=reason
        )
        rect.extension_decide(actor=users["city_officer"], extension=extension, approve=True, note=decision)
        _evidence(staff, hazard, HazardEvidence.Kind.AFTER)
        _evidence(staff, hazard, HazardEvidence.Kind.DOCUMENT)
        rect.hazard_submit(actor=principal, hazard=hazard, comment=data.SUBMIT_COMMENT)
    for hazard in general[3:]:  # under way
        rect.hazard_progress_add(actor=staff, hazard=hazard, note=data.PROGRESS_NOTES[0], percent=20)


def _walk_overdue_plan(plan, *, leader, principal, staff, today) -> None:
    """The second rectifying case: its 重大 hazard ran past its deadline; the system opened a 督办."""
    hazards = _complete(leader, plan, today)
    spec = data.OVERDUE_MAJOR
    found_on = today - timedelta(days=data.OVERDUE_MAJOR_FOUND_DAYS_AGO)
    major = _add(
        leader,
        plan,
        spec,
        found_on=found_on,
        deadline=today - timedelta(days=data.OVERDUE_MAJOR_DAYS_LATE),
    )
    # The enterprise named the person and the measures, but no funds or contingency plan yet:
    # its 五落实 are incomplete and the fix cannot be submitted.
    enterprise = plan.enterprise
    _fill(
        principal,
        major,
        measures=spec.measures,
        responsibility=spec.responsibility,
        responsible_name=enterprise.principal_name,
        responsible_phone=enterprise.principal_phone,
    )
    rect.hazard_progress_add(actor=staff, hazard=major, note=data.OVERDUE_PROGRESS, percent=20)
    _evidence(staff, major, HazardEvidence.Kind.BEFORE)
    rect.escalation_open(
        actor=None,
        hazard=major,
        reason=_("Major hazard overdue since %(date)s") % {"date": major.deadline.isoformat()},
    )
    if hazards:  # one 一般 hazard under way, the rest still 待整改
        _fill(staff, hazards[0], **_fix_fields(hazards[0], enterprise))
        rect.hazard_progress_add(actor=staff, hazard=hazards[0], note=data.PROGRESS_NOTES[1], percent=50)


def _walk_fixed_plan(plan, *, leader, principal, staff, today, confirm: bool) -> None:
    """Every hazard fixed and submitted; the leader verifies them (all but the last unless
    ``confirm``); the principal submits the rectification; with ``confirm`` the leader confirms it."""
    hazards = _complete(leader, plan, today)
    enterprise = plan.enterprise
    for hazard in hazards:
        fixer = principal if hazard.level == Hazard.Level.MAJOR else staff
        _fill(fixer, hazard, **_fix_fields(hazard, enterprise))
        _fix_and_submit(staff, hazard, by=principal if hazard.level == Hazard.Level.MAJOR else None)
    to_verify = hazards if confirm else hazards[:-1]
    for hazard in to_verify:
        rect.hazard_verify(actor=leader, hazard=hazard, passed=True, note=data.VERIFY_NOTE)
    application = plan.application
    rect.rectification_submit(actor=principal, application=application, comment=data.RECTIFICATION_SUBMIT)
    if confirm:
        rect.rectification_confirm(
            actor=leader, application=application, passed=True, comment=data.RECTIFICATION_CONFIRM
        )


def seed_rectification(*, cases: dict[str, Enterprise], users: dict[str, User]) -> int:
    """Take the plans of the demo's rectifying cases where their stage says; return how many plans
    were walked (0 on a repeat run). ``cases``: stage -> the enterprise of that demo case."""
    today = timezone.localdate()
    walked = 0
    for stage in (Status.RECTIFYING, RECTIFYING_OVERDUE, Status.RECTIFICATION_CHECK, CONFIRMED):
        enterprise = cases.get(stage)
        if enterprise is None:
            continue
        plan = (
            RectificationPlan.objects.filter(
                application__enterprise=enterprise, application__status=Status.RECTIFYING
            )
            .select_related("application", "enterprise")
            .first()
        )
        if plan is None or _completed(plan):
            continue
        leader = _plan_leader(plan)
        principal, staff = _enterprise_people(enterprise)
        if leader is None or principal is None:
            continue
        people = {"leader": leader, "principal": principal, "staff": staff, "today": today}
        if stage == Status.RECTIFYING:
            _walk_rich_plan(plan, users=users, **people)
        elif stage == RECTIFYING_OVERDUE:
            _walk_overdue_plan(plan, **people)
        else:
            _walk_fixed_plan(plan, confirm=stage == CONFIRMED, **people)
        walked += 1
    return walked


# --- The enterprises' own hazards (自查) and one found on inspection (执法) -------------------------


def seed_ledger(*, cases: dict[str, Enterprise]) -> int:
    """Record the LEDGER_HAZARDS not yet in the ledger and walk each to its status; return how many."""
    today = timezone.localdate()
    created = 0
    for spec in data.LEDGER_HAZARDS:
        enterprise = cases.get(spec.stage)
        if (
            enterprise is None
            or Hazard.objects.filter(enterprise=enterprise, description=spec.description).exists()
        ):
            continue
        principal, staff = _enterprise_people(enterprise)
        officer = _county_officer(enterprise)
        if principal is None or officer is None:
            continue
        _ledger_hazard(spec, enterprise, principal=principal, staff=staff, officer=officer, today=today)
        created += 1
    return created


def _ledger_hazard(spec: data.LedgerHazard, enterprise, *, principal, staff, officer, today) -> Hazard:
    clause = _clause(spec.clause)
    found_on = today - timedelta(days=spec.found_days_ago)
    finding = {
        "description": spec.description,
        "location": spec.location,
        "level": Hazard.Level.MAJOR if clause else Hazard.Level.GENERAL,
        "basis_clause_id": clause.pk if clause else None,
        "found_on": found_on,
        "deadline": found_on + timedelta(days=spec.due_days),
    }
    fix = {
        "measures": spec.measures,
        "responsible_name": enterprise.safety_manager_name or enterprise.principal_name,
        "responsible_phone": enterprise.safety_manager_phone or enterprise.principal_phone,
        "funds": Decimal(spec.funds) if spec.funds is not None else None,
        "responsibility": spec.responsibility or None,
        "contingency_plan": spec.contingency_plan or None,
    }
    if spec.source == Hazard.Source.ENFORCEMENT:
        hazard = rect.hazard_create(
            actor=officer,
            enterprise=enterprise,
            data=rect.HazardIn(**finding, requirement=data.ENFORCEMENT_REQUIREMENT),
        )
        if spec.status != H.PENDING:
            _fill(staff, hazard, **fix)
    else:
        requirement = f"{spec.measures}，限期整改到位"
        hazard = rect.hazard_create(
            actor=staff, enterprise=enterprise, data=rect.HazardIn(**finding, **fix, requirement=requirement)
        )
    if spec.status == H.PENDING:
        return hazard
    note = data.ENFORCEMENT_PROGRESS if spec.source == Hazard.Source.ENFORCEMENT else data.PROGRESS_NOTES[1]
    rect.hazard_progress_add(actor=staff, hazard=hazard, note=note, percent=50)
    if spec.status == H.IN_PROGRESS:
        return hazard
    _evidence(staff, hazard, HazardEvidence.Kind.BEFORE)
    _evidence(staff, hazard, HazardEvidence.Kind.AFTER)
    rect.hazard_submit(actor=staff, hazard=hazard, comment=data.SUBMIT_COMMENT)
    if spec.status == H.AWAITING_VERIFICATION:
        return hazard
    # The principal closes a 一般 hazard the enterprise found itself; the county bureau the others.
    verifier = (
        principal
        if hazard.level == Hazard.Level.GENERAL and hazard.source == Hazard.Source.SELF_CHECK
        else officer
    )
    rect.hazard_verify(actor=verifier, hazard=hazard, passed=True, note=data.VERIFY_NOTE)
    return hazard


def rectification_cases() -> list[tuple[User | None, GradingApplication, RectificationPlan]]:
    """The demo's plans with the enterprise principal who acts on each, in case order."""
    plans = RectificationPlan.objects.select_related("application", "enterprise").order_by(
        "application__created_at", "application_id"
    )
    return [(_enterprise_people(p.enterprise)[0], p.application, p) for p in plans]
