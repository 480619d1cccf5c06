"""Hazards for tests: rows in the enterprise's ledger, and the steps of their loop through the services.

``make_hazard(enterprise, **fields)`` records a hazard directly (a 自查 一般 hazard due in 20
days unless told otherwise; a 重大 one gets the first clause of the judgment standard and its
五落实 filled). With ``status=`` it then walks the hazard there through the real services:
``in_progress`` (started by the enterprise), ``awaiting_verification`` (an after photo
uploaded and submitted), ``closed`` (verified by ``verifier``). Pages and API tests import it.

Evidence files: ``jpeg_file()``, ``pdf_evidence()`` and ``exe_named_jpg()`` (an executable
renamed .jpg, which the content check refuses).
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from rectification import services
from rectification.models import Hazard, MajorHazardClause

H = Hazard.Status

JPEG_BYTES = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def jpeg_file(name: str = "after.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


def pdf_evidence(name: str = "rectification.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def exe_named_jpg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE_BYTES, content_type="image/jpeg")


def major_clause() -> MajorHazardClause:
    """A clause of 应急管理部令第10号 from the seeded table (Art. 3 item 2: special operations)."""
    return (
        MajorHazardClause.objects.filter(active=True, article=3, item=2).first()
        or MajorHazardClause.objects.filter(active=True).order_by("article", "item").first()
    )


FIVE_ASSURANCES = {
    "responsibility": "设备部负责人王五对整改负总责",
    "responsible_name": "王五",
    "responsible_phone": "13800000000",
    "measures": "停用该区域，更换防爆电气设备",
    "funds": Decimal("50000.00"),
    "contingency_plan": "整改期间停产，设置警戒区，配备灭火器材",
    "governance_plan": "目标：消除隐患；方法：更换设备；时限：30日",
}


def enterprise_user(enterprise, role: str = Role.ENTERPRISE_USER):
    """An active user of ``enterprise`` with ``role`` (the first one, or a new one)."""
    from django.contrib.auth import get_user_model

    user = (
        get_user_model()
        .objects.filter(organisation_id=enterprise.organisation_id, role=role, is_active=True)
        .order_by("pk")
        .first()
    )
    if user is None:
        user = UserFactory(
            username=f"{role}-{enterprise.pk}-{timezone.now():%H%M%S%f}",
            role=role,
            organisation=enterprise.organisation,
        )
    return user


def make_hazard(enterprise, *, status: str = Hazard.Status.PENDING, rectifier=None, verifier=None, **fields):
    """A hazard of ``enterprise`` with ``fields`` over the defaults, walked to ``status``.

    ``rectifier`` (default: an enterprise user) starts, documents and submits the fix;
    ``verifier`` closes it and is required for ``status="closed"``. A 重大 hazard gets a basis
    clause and its 五落实 unless ``fields`` say otherwise.
    """
    today = timezone.localdate()
    deadline = fields.pop("deadline", today + timedelta(days=20))
    level = fields.get("level", Hazard.Level.GENERAL)
    defaults = {
        "source": Hazard.Source.SELF_CHECK,
        "description": "消防通道堆放杂物",
        "location": "二号仓库",
        "requirement": "清理通道，保持畅通",
        "found_on": min(today, deadline),
        "deadline": deadline,
        "original_deadline": fields.pop("original_deadline", deadline),
        "status_changed_at": timezone.now(),
    }
    if level == Hazard.Level.MAJOR:
        defaults["basis_clause"] = major_clause()
        defaults.update(FIVE_ASSURANCES)
    if fields.get("plan") is not None:
        defaults["source"] = Hazard.Source.REVIEW
    hazard = Hazard.objects.create(enterprise=enterprise, **{**defaults, **fields})
    walk(hazard, status, rectifier=rectifier, verifier=verifier)
    hazard.refresh_from_db()
    return hazard


def walk(hazard: Hazard, status: str, *, rectifier=None, verifier=None) -> Hazard:
    """Move ``hazard`` forward to ``status`` through the services (pending → … → closed)."""
    order = [H.PENDING, H.IN_PROGRESS, H.AWAITING_VERIFICATION, H.CLOSED]
    target = order.index(status)
    rectifier = rectifier or enterprise_user(hazard.enterprise)
    hazard.refresh_from_db()
    if order.index(hazard.status) < 1 <= target:
        services.hazard_start(actor=rectifier, hazard=hazard)
        hazard.refresh_from_db()
    if order.index(hazard.status) < 2 <= target:
        services.hazard_evidence_add(actor=rectifier, hazard=hazard, file=jpeg_file(), kind="after")
        services.hazard_submit(actor=rectifier, hazard=hazard, comment="已整改完毕")
        hazard.refresh_from_db()
    if order.index(hazard.status) < 3 <= target:
        if verifier is None:
            raise ValueError("a closed hazard needs its verifier")
        services.hazard_verify(actor=verifier, hazard=hazard, passed=True, note="现场复查，整改到位")
        hazard.refresh_from_db()
    return hazard
