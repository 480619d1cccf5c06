"""Browser journey of a hazard of the 一企一策 plan: report → verify → close, then the case moves on.

Run with: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -q -m e2e -p no:xdist \
    rectification/tests/test_e2e_hazard_journey.py
The case is prepared through the services up to a finalised on-site review with two hazards
(the ``plan`` fixture of rectification/tests/conftest.py); the first hazard is then closed
through the services, so the one the browser works on is the plan's last. From there every
step is clicked in a real browser by the person whose job it is: the enterprise user opens
the hazard from the ledger, reports progress, is refused a submission without evidence,
uploads an after photo and submits; the panel leader opens it from the case page and sends it
back with his opinion; the enterprise, refused again until it attaches new evidence, submits
a document; the leader verifies it, which closes the hazard and the plan and opens the gate;
the principal reports the rectification done on the case page and the leader confirms it.
Controls are found by name or data-testid; assertions are on data and states.

The clock: ``plan`` runs the test from 2026-06-01 09:00 Beijing time (time_machine, ticking),
in every thread, so in the live server too. The browser keeps the real clock; the session and
CSRF cookies still hold, because Django sends them with Max-Age, which the browser counts from
its own clock (and which wins over the Expires date written in the frozen past).
"""

import hashlib
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.tests.factories import DEFAULT_PASSWORD
from grading.models import GradingApplication, Status
from rectification.models import Hazard, HazardEvidence, RectificationPlan
from rectification.tests.conftest import (  # noqa: F401 - the fixtures ``plan`` needs
    PLAN_HAZARD_CODES,
    drawn,
    on_site,
    plan,
    rectification_clock,
    scheduled,
)
from rectification.tests.factories import JPEG_BYTES, PDF_BYTES, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

H = Hazard.Status
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_EVIDENCE = "Attach the evidence of the fix (a photo after rectification or a document) before submitting."
PROGRESS_NOTE = "已清理通道杂物，正在补设标识"
REJECT_NOTE = "照片未反映通道标识，补充整改后的现场证据"
VERIFY_NOTE = "现场复查，整改到位，同意销号"


def zh(msgid) -> str:
    """The text the page shows for ``msgid`` or a lazy label (the site's language is zh-hans)."""
    with translation.override("zh-hans"):
        return gettext(msgid) if isinstance(msgid, str) else str(msgid)


def _log_in(page, live_server, username: str, then: str) -> None:
    """Sign in through the login form and land on ``then`` (a URL of the live server)."""
    page.context.clear_cookies()
    target = then.removeprefix(live_server.url)
    page.goto(f"{live_server.url}{reverse('accounts:login')}?{urlencode({'next': target})}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(f"form[action='{reverse('accounts:login')}'] button[type=submit]").click()
    page.wait_for_url(then)


def _click(page, selector: str) -> None:
    """Click a control that posts a form (or follows a link) and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).click()


def _status(application: GradingApplication) -> str:
    application.refresh_from_db()
    return application.status


def _hazard(hazard: Hazard) -> Hazard:
    hazard.refresh_from_db()
    return hazard


def _moves(hazard: Hazard) -> list[str]:
    return list(hazard.transitions.order_by("created_at", "pk").values_list("transition", flat=True))


def _badge(page) -> str:
    return page.locator("[data-testid=hazard-header] [data-testid=hazard-status]").inner_text().strip()


def _attach(page, path, kind: str, note: str) -> None:
    form = page.locator("[data-testid=evidence-form]")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=file]").set_input_files(str(path))
    form.locator("input[name=note]").fill(note)
    _click(page, "[data-testid=evidence-form] button[type=submit]")


def _submit(page, comment: str) -> None:
    page.locator("[data-testid=submit-form] textarea[name=comment]").fill(comment)
    _click(page, "[data-testid=submit-form] button[type=submit]")


def _submit_refused(page, hazard: Hazard) -> None:
    """Submitting without (new) evidence: refused with the Chinese message, nothing moves."""
    before = _moves(hazard)
    _submit(page, "整改完成，请验收")
    refusal = page.locator("[data-testid=submit-form] .alert-danger").inner_text()
    assert zh(NO_EVIDENCE) in refusal and CJK.search(refusal)
    hazard = _hazard(hazard)
    assert hazard.status == H.IN_PROGRESS
    assert _moves(hazard) == before
    assert page.locator("[data-testid=verify-card]").count() == 0


def _verify(page, decision: str, note: str) -> None:
    form = page.locator("[data-testid=verify-form]")
    form.locator(f"input[name=decision][value={decision}]").check()
    form.locator("textarea[name=note]").fill(note)
    _click(page, "[data-testid=verify-form] button[type=submit]")


def test_report_verify_close_and_confirm(page, live_server, plan, personas, tmp_path):  # noqa: F811
    application, the_plan, leader, principal = plan
    rectifier = personas.enterprise_user
    first_code, last_code = PLAN_HAZARD_CODES
    other = the_plan.hazards.get(item__code=first_code)
    hazard = the_plan.hazards.get(item__code=last_code)
    assert hazard.status == H.PENDING and hazard.deadline is not None

    # The other hazard of the plan is closed through the services: the browser's is the last.
    walk(other, H.CLOSED, rectifier=rectifier, verifier=leader)
    the_plan.refresh_from_db()
    assert the_plan.status == RectificationPlan.Status.OPEN

    after_photo = tmp_path / "整改后照片.jpg"
    after_photo.write_bytes(JPEG_BYTES)
    document = tmp_path / "整改报告.pdf"
    document.write_bytes(PDF_BYTES)
    home = f"{live_server.url}{reverse('workbench:home')}"
    detail = f"{live_server.url}{reverse('grading:detail', args=[application.pk])}"
    hazard_url = f"{live_server.url}{reverse('rectification:hazard', args=[hazard.pk])}"
    plan_url = f"{live_server.url}{reverse('rectification:plan', args=[the_plan.pk])}"
    page.on("dialog", lambda dialog: dialog.accept())  # any "are you sure?" (data-confirm) is answered yes

    # 1. The enterprise user opens the ledger from the navigation and the hazard from its row,
    #    reports progress (which starts the rectification), is refused a submission without
    #    evidence, uploads the after photo and submits it for verification.
    _log_in(page, live_server, rectifier.username, home)
    _click(page, f"nav a.nav-link[href='{reverse('rectification:ledger')}']")
    row = page.locator(f"[data-testid=ledger-row][data-hazard='{hazard.pk}']")
    assert page.locator(f"[data-testid=ledger-row][data-hazard='{other.pk}']").count() == 1
    assert row.locator("[data-testid=hazard-status]").inner_text().strip() == zh(H.PENDING.label)
    with page.expect_navigation():
        row.locator(f"a[href='{reverse('rectification:hazard', args=[hazard.pk])}']").click()
    assert page.url == hazard_url
    assert page.locator("[data-testid=verify-card]").count() == 0  # the rectifier never verifies

    form = page.locator("[data-testid=progress-form]")
    form.locator("textarea[name=note]").fill(PROGRESS_NOTE)
    form.locator("input[name=percent]").fill("60")
    _click(page, "[data-testid=progress-form] button[type=submit]")
    hazard = _hazard(hazard)
    assert hazard.status == H.IN_PROGRESS
    assert _moves(hazard) == ["start"]
    assert list(hazard.progress.values_list("note", "percent", "author")) == [
        (PROGRESS_NOTE, 60, rectifier.pk)
    ]
    assert page.locator("[data-testid=progress-row]").count() == 1
    assert _badge(page) == zh(H.IN_PROGRESS.label)

    _submit_refused(page, hazard)
    assert hazard.evidence.count() == 0

    _attach(page, after_photo, HazardEvidence.Kind.AFTER, "通道已清理")
    photo = hazard.evidence.get()
    assert (photo.kind, photo.uploaded_by_id, photo.original_name) == (
        "after",
        rectifier.pk,
        after_photo.name,
    )
    assert photo.sha256 == hashlib.sha256(JPEG_BYTES).hexdigest()
    assert page.locator("[data-testid=evidence-row]").count() == 1

    _submit(page, "整改完成，请验收")
    hazard = _hazard(hazard)
    assert hazard.status == H.AWAITING_VERIFICATION
    assert (hazard.submitted_by_id, _moves(hazard)) == (rectifier.pk, ["start", "submit"])
    assert hazard.submitted_at is not None
    assert _badge(page) == zh(H.AWAITING_VERIFICATION.label)
    assert page.locator("[data-testid=submit-card]").count() == 0
    assert page.locator("[data-testid=evidence-form]").count() == 0  # nothing more to add while it waits

    # 2. The panel leader opens the plan from the case page and the hazard from the plan, and
    #    sends the fix back with his opinion (退回).
    _log_in(page, live_server, leader.username, detail)
    card = page.locator("[data-testid=plan-card]")
    assert card.locator("[data-testid=plan-gate]").get_attribute("data-rule") == "blocked"
    _click(page, "[data-testid=plan-card] [data-testid=plan-open]")
    assert page.url == plan_url
    assert page.locator("[data-testid=plan-hazard]").count() == 2
    with page.expect_navigation():
        page.locator(f"[data-testid=plan-hazard][data-hazard='{hazard.pk}'] a.fw-semibold").click()
    assert page.url == hazard_url
    assert page.locator("[data-testid=submit-card]").count() == 0
    _verify(page, "reject", REJECT_NOTE)
    hazard = _hazard(hazard)
    assert hazard.status == H.IN_PROGRESS
    assert _moves(hazard) == ["start", "submit", "reject"]
    assert hazard.verification_note == REJECT_NOTE
    assert hazard.verified_by_id is None and hazard.verified_at is None
    assert _badge(page) == zh(H.IN_PROGRESS.label)
    assert page.locator("[data-testid=verify-card]").count() == 0

    # The enterprise: the evidence sent back does not count again; new evidence, then submit.
    _log_in(page, live_server, rectifier.username, hazard_url)
    assert REJECT_NOTE in page.locator("[data-testid=hazard-fields]").inner_text()
    _submit_refused(page, hazard)
    _attach(page, document, HazardEvidence.Kind.DOCUMENT, "整改报告及标识照片")
    assert list(hazard.evidence.order_by("pk").values_list("kind", flat=True)) == ["after", "document"]
    assert hazard.evidence.get(kind="document").sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    _submit(page, "已补充整改报告")
    hazard = _hazard(hazard)
    assert hazard.status == H.AWAITING_VERIFICATION
    assert _moves(hazard) == ["start", "submit", "reject", "submit"]

    # 3. The leader verifies it: the hazard is closed (已销号), and with it the plan.
    _log_in(page, live_server, leader.username, hazard_url)
    _verify(page, "pass", VERIFY_NOTE)
    hazard = _hazard(hazard)
    assert hazard.status == H.CLOSED
    assert (hazard.verified_by_id, hazard.verification_note) == (leader.pk, VERIFY_NOTE)
    assert hazard.verified_at is not None
    assert _moves(hazard) == ["start", "submit", "reject", "submit", "verify"]
    assert _badge(page) == zh(H.CLOSED.label)
    assert page.locator("[data-testid=verify-card]").count() == 0

    # The history lists every step, oldest first.
    history = page.locator("#history [data-testid=hazard-history] > li")
    kinds = [history.nth(i).get_attribute("data-kind") for i in range(history.count())]
    assert kinds == [
        "transition",  # started (by the progress report)
        "progress",
        "evidence",
        "transition",  # submitted
        "transition",  # sent back
        "evidence",
        "transition",  # submitted again
        "transition",  # verified and closed
    ]
    moves = [history.nth(i).inner_text() for i, kind in enumerate(kinds) if kind == "transition"]
    labels = [
        "Rectification started",
        "Submitted for verification",
        "Verification rejected, sent back",
        "Submitted for verification",
        "Verified and closed",
    ]
    assert [zh(label) in text for label, text in zip(labels, moves, strict=True)] == [True] * 5
    assert REJECT_NOTE in moves[2] and VERIFY_NOTE in moves[4]
    assert PROGRESS_NOTE in history.nth(1).inner_text()
    assert document.name in history.nth(5).inner_text()

    # 4. The plan is closed and the gate open; the principal reports the rectification done on
    #    the case page and the leader confirms it: the case moves on to the result.
    the_plan.refresh_from_db()
    assert the_plan.status == RectificationPlan.Status.CLOSED and the_plan.closed_at is not None
    page.goto(plan_url)
    assert page.locator("[data-testid=plan-status]").inner_text().strip() == zh("Plan closed")
    gate = page.locator("[data-testid=plan-gate]")
    assert gate.get_attribute("data-rule") == "closed"
    assert "alert-success" in gate.get_attribute("class")
    assert page.locator("[data-testid=gate-open-hazards]").count() == 0
    statuses = page.locator("[data-testid=plan-hazard] [data-testid=hazard-status]").all_inner_texts()
    assert [text.strip() for text in statuses] == [zh(H.CLOSED.label)] * 2

    _log_in(page, live_server, principal.username, detail)
    card = page.locator("[data-testid=plan-card]")
    assert card.locator("[data-testid=plan-gate]").get_attribute("data-rule") == "closed"
    assert card.locator("[data-testid=card-confirm]").count() == 0
    card.locator("[data-testid=card-submit] textarea[name=comment]").fill("两项隐患均已整改销号")
    _click(page, "[data-testid=card-submit] button[type=submit]")
    assert _status(application) == Status.RECTIFICATION_CHECK
    assert page.locator("[data-testid=plan-card] [data-testid=card-submit]").count() == 0

    _log_in(page, live_server, leader.username, detail)
    form = page.locator("[data-testid=plan-card] [data-testid=card-confirm]")
    form.locator("input[name=decision][value=pass]").check()
    form.locator("textarea[name=comment]").fill("整改项全部复查合格，同意进入结果确认")
    _click(page, "[data-testid=plan-card] [data-testid=card-confirm] button[type=submit]")
    assert _status(application) == Status.RESULT_CONFIRMATION
    badge = page.locator("[data-testid=application-status]").first
    assert badge.get_attribute("data-status") == Status.RESULT_CONFIRMATION
    assert badge.inner_text().strip() == zh(Status.RESULT_CONFIRMATION.label) == "结果确认"
    moves = list(application.transitions.order_by("created_at", "pk").values_list("transition", flat=True))
    assert moves[-3:] == ["finalise_with_rectification", "submit_rectification", "confirm_rectification"]
