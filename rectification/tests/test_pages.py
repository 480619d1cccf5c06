"""The rectification pages: the ledger and its export, 一企一策, the enterprise's register, a
hazard and its loop, the new-hazard forms, the plan's card and the application's moves.

The permission battery walks every view for every persona in one test (the ``plan`` state is
costly to reach); the other tests check behaviour: rows, flags, refusals that keep the input,
the export's header row and rows, and the ledger's query count.
"""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from experts.models import Expert
from grading.models import Status
from rectification import services
from rectification.models import EscalationOrder, ExtensionRequest, Hazard, HazardEvidence
from rectification.tests.factories import jpeg_file, major_clause, make_hazard, pdf_evidence, walk
from reviews.models import PanelMember

pytestmark = pytest.mark.django_db

H = Hazard.Status
LEDGER = reverse("rectification:ledger")
EXPORT = reverse("rectification:export")
LEDGER_HEADERS_ZH = [
    "序号",
    "隐患描述",
    "等级",
    "依据条款",
    "整改要求",
    "整改措施",
    "责任人",
    "整改期限",
    "资金",
    "状态",
    "验收人",
    "验收日期",
]
OUTSIDERS = ("other_county_officer", "expert", "other_enterprise_user")


def zh(msgid: str, **values) -> str:
    """The text the page shows for ``msgid`` (the site's language is zh-hans)."""
    with translation.override("zh-hans"):
        text = gettext(msgid)
    return text % values if values else text


def html(response) -> str:
    return response.content.decode()


def who(personas, name: str, leader):
    return leader if name == "leader" else personas[name]


# --- The permission battery --------------------------------------------------------------------


def test_every_view_is_scoped(client, login, personas, plan):
    """Anonymous → login; outsiders (another division, an expert not leading the plan, another
    enterprise) → 404; insiders without the right → 403; the allowed → 200 or 302."""
    application, the_plan, leader, principal = plan
    hazard = the_plan.hazards.order_by("pk").first()
    evidence = services.hazard_evidence_add(
        actor=principal, hazard=hazard, file=pdf_evidence(), kind="before"
    )
    extension = services.extension_request(
        actor=principal,
        hazard=hazard,
        requested_deadline=hazard.deadline + timedelta(days=10),
        reason="设备到货延迟",
    )
    order = services.escalation_open(actor=personas.city_officer, hazard=hazard, reason="市局督办")
    enterprise = application.enterprise
    h, p, e, a = hazard.pk, the_plan.pk, enterprise.pk, application.pk
    everyone = (
        "leader",
        "enterprise_principal",
        "enterprise_user",
        "county_officer",
        "city_officer",
        "city_chief",
    )
    seeing = {name: 200 for name in everyone}

    def case(method, url, allowed, **others):
        expected = {name: 403 for name in everyone}
        expected.update({name: 404 for name in OUTSIDERS})
        expected.update(allowed)
        expected.update(others)
        return method, url, expected

    ok = (200, 302)
    cases = [
        case("get", reverse("rectification:plan", args=[p]), seeing),
        case(
            "get",
            reverse("rectification:plan_hazard_new", args=[p]),
            {"leader": 200, "city_officer": 200, "city_chief": 200},
        ),
        case("get", reverse("rectification:enterprise", args=[e]), seeing),
        case(
            "get",
            reverse("rectification:hazard_new", args=[e]),
            {
                "enterprise_principal": 200,
                "enterprise_user": 200,
                "county_officer": 200,
                "city_officer": 200,
                "city_chief": 200,
            },
        ),
        case("get", reverse("rectification:hazard", args=[h]), seeing),
        case("get", reverse("rectification:history", args=[h]), seeing),
        case(
            "get",
            reverse("rectification:hazard_edit", args=[h]),
            {
                "leader": 200,
                "enterprise_principal": 200,
                "enterprise_user": 200,
                "city_officer": 200,
                "city_chief": 200,
            },
        ),
        case("get", reverse("rectification:evidence", args=[h, evidence.pk]), seeing),
        case("get", reverse("rectification:application_submit", args=[a]), {"enterprise_principal": 200}),
        case("get", reverse("rectification:application_confirm", args=[a]), {"leader": 200}),
        case("get", reverse("rectification:application_fail", args=[a]), {"city_chief": 200}),
        # The loop's moves, posted empty: the allowed get the page back with the message (200).
        case(
            "post",
            reverse("rectification:start", args=[h]),
            {"enterprise_principal": 302, "enterprise_user": 302},
        ),
        case(
            "post",
            reverse("rectification:progress", args=[h]),
            {"enterprise_principal": 200, "enterprise_user": 200},
        ),
        case(
            "post",
            reverse("rectification:evidence_add", args=[h]),
            {"enterprise_principal": 200, "enterprise_user": 200},
        ),
        case(
            "post",
            reverse("rectification:submit", args=[h]),
            {"enterprise_principal": ok, "enterprise_user": ok},
        ),
        case("post", reverse("rectification:verify", args=[h]), {"leader": 200}),
        case(
            "post",
            reverse("rectification:extension_request", args=[h]),
            {"enterprise_principal": 200, "enterprise_user": 200},
        ),
        case(
            "post",
            reverse("rectification:extension_decide", args=[h, extension.pk]),
            {"city_officer": 200, "city_chief": 200},
        ),
        case("post", reverse("rectification:escalate", args=[h]), {"city_officer": 200, "city_chief": 200}),
        case(
            "post",
            reverse("rectification:escalation_close", args=[h, order.pk]),
            {"city_officer": 200, "city_chief": 200},
        ),
        case(
            "post",
            reverse("rectification:hazard_edit", args=[h]),
            {
                "leader": ok,
                "enterprise_principal": ok,
                "enterprise_user": ok,
                "city_officer": ok,
                "city_chief": ok,
            },
        ),
        case(
            "post",
            reverse("rectification:plan_hazard_new", args=[p]),
            {"leader": 200, "city_officer": 200, "city_chief": 200},
        ),
        case(
            "post",
            reverse("rectification:hazard_new", args=[e]),
            {
                "enterprise_principal": 200,
                "enterprise_user": 200,
                "county_officer": 200,
                "city_officer": 200,
                "city_chief": 200,
            },
        ),
        case("post", reverse("rectification:application_submit", args=[a]), {"enterprise_principal": 200}),
        case("post", reverse("rectification:application_confirm", args=[a]), {"leader": 200}),
        case("post", reverse("rectification:application_fail", args=[a]), {"city_chief": 200}),
    ]
    failures = []
    for method, url, expected in cases:
        response = getattr(login(None), method)(url)
        if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
            failures.append((url, method, "anonymous", response.status_code))
        for name, status in expected.items():
            response = getattr(login(who(personas, name, leader)), method)(url)
            if response.status_code not in (status if isinstance(status, tuple) else (status,)):
                failures.append((url, method, name, response.status_code, status))
    assert failures == []
    # Nothing of the above moved the case or closed the hazard (the posts were empty or refused).
    application.refresh_from_db()
    assert application.status == Status.RECTIFYING
    assert Hazard.objects.get(pk=h).status in (H.PENDING, H.IN_PROGRESS)


def test_the_lists_are_open_to_everyone_but_show_only_their_scope(login, personas, plan):
    application, the_plan, leader, principal = plan
    for name in ("leader", "enterprise_principal", "county_officer", "city_officer", "bureau_leader"):
        body = html(login(who(personas, name, leader)).get(LEDGER))
        assert body.count('data-testid="ledger-row"') == 2, name
    for name in OUTSIDERS:
        response = login(personas[name]).get(LEDGER)
        assert response.status_code == 200
        assert 'data-testid="ledger-row"' not in html(response), name
        rows = list(load_workbook(io.BytesIO(login(personas[name]).get(EXPORT).content)).active.values)
        assert len(rows) == 1, name  # the header row only
    assert login(None).get(EXPORT).status_code == 302


def test_posting_views_refuse_get(login, personas, plan):
    application, the_plan, leader, principal = plan
    hazard = the_plan.hazards.first()
    client = login(principal)
    for name in ("start", "progress", "evidence_add", "submit", "verify", "extension_request", "escalate"):
        assert client.get(reverse(f"rectification:{name}", args=[hazard.pk])).status_code == 405, name


# --- The ledger and its export -----------------------------------------------------------------


def test_ledger_flags_overdue_rows_escalations_and_the_enterprise(login, personas):
    enterprise = personas.enterprise
    today = timezone.localdate()
    late = make_hazard(enterprise, description="配电箱门缺失", deadline=today - timedelta(days=3))
    major = make_hazard(enterprise, description="粉尘区未使用防爆电气", level=Hazard.Level.MAJOR)
    fine = make_hazard(personas.other_enterprise, description="安全标志缺失")
    services.escalation_open(actor=personas.city_officer, hazard=major, reason="市局督办")
    body = html(login(personas.city_officer).get(LEDGER))
    rows = {r.split('data-hazard="')[1].split('"')[0]: r for r in body.split('data-testid="ledger-row"')[1:]}
    assert 'data-testid="overdue-badge"' in rows[str(late.pk)]
    assert 'data-testid="overdue-badge"' not in rows[str(major.pk)]
    assert 'data-testid="escalation-badge"' in rows[str(major.pk)]
    assert 'data-testid="enterprise-flag"' in rows[str(late.pk)]  # the same enterprise: flagged
    assert 'data-testid="enterprise-flag"' not in rows[str(fine.pk)].split("</tr>")[0]
    # Filters: overdue only, level, division, search.
    client = login(personas.city_officer)
    assert client.get(LEDGER, {"overdue": "on"}).context["page_obj"].paginator.count == 1
    assert [h.pk for h in client.get(LEDGER, {"level": "major"}).context["rows"]] == [major.pk]
    division = personas.other_enterprise.region.code
    assert [h.pk for h in client.get(LEDGER, {"division": division}).context["rows"]] == [fine.pk]
    assert [h.pk for h in client.get(LEDGER, {"q": "配电箱"}).context["rows"]] == [late.pk]
    # htmx swaps only the table.
    fragment = client.get(LEDGER, {"level": "major"}, HTTP_HX_REQUEST="true")
    assert [t.name for t in fragment.templates][0] == "rectification/_ledger_table.html"


def test_ledger_filters_by_leader(login, personas, plan):
    application, the_plan, leader, principal = plan
    make_hazard(application.enterprise, description="自查发现的隐患")
    client = login(personas.city_officer)
    expert = Expert.objects.get(user=leader)
    assert list(client.get(LEDGER).context["form"].fields["leader"].queryset) == [expert]
    rows = client.get(LEDGER, {"leader": expert.pk}).context["rows"]
    assert {h.pk for h in rows} == set(the_plan.hazards.values_list("pk", flat=True))


def test_export_has_the_ledger_layout_and_one_row_per_hazard(login, personas):
    enterprise = personas.enterprise
    today = timezone.localdate()
    verifier = personas.enterprise_principal
    closed = make_hazard(
        enterprise,
        description='=HYPERLINK("x")',
        measures="清理杂物",
        responsible_name="张三",
        responsible_phone="13900000000",
        funds="1200.50",
        status=H.CLOSED,
        verifier=verifier,
    )
    major = make_hazard(enterprise, description="有限空间未辨识", level=Hazard.Level.MAJOR)
    late = make_hazard(enterprise, description="灭火器过期", deadline=today - timedelta(days=1))
    make_hazard(personas.other_enterprise, description="其他县的隐患")
    response = login(personas.county_officer).get(EXPORT, {"q": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert list(rows[0]) == LEDGER_HEADERS_ZH
    body = rows[1:]
    assert [r[0] for r in body] == [1, 2, 3]  # 序号
    by_text = {r[1]: r for r in body}
    assert set(by_text) == {closed.description, major.description, late.description}  # not the other county's
    row = by_text[closed.description]
    assert row[2] == "一般"
    assert row[5] == "清理杂物"
    assert row[6] == "张三 13900000000"
    assert row[7].date() == closed.deadline
    assert row[8] == 1200.5
    assert row[9] == zh("Closed off")
    assert row[10] == verifier.get_full_name() or verifier.get_username()
    assert row[11].date() == timezone.localdate(closed.verified_at)
    major_row = by_text[major.description]
    assert major_row[2] == "重大"
    assert major_row[3] == str(major.basis_clause) and major_row[3]
    assert by_text[late.description][9] == zh("%(status)s (overdue)", status=zh("To be rectified"))
    # The export follows the list's filters.
    filtered = list(
        load_workbook(
            io.BytesIO(login(personas.county_officer).get(EXPORT, {"level": "major"}).content)
        ).active.values
    )
    assert [r[1] for r in filtered[1:]] == [major.description]
    # The enterprise's register exports through the ledger, within the user's scope.
    other = {"enterprise": personas.other_enterprise.pk}

    def export_rows(persona):
        return list(
            load_workbook(io.BytesIO(login(personas[persona]).get(EXPORT, other).content)).active.values
        )

    assert [r[1] for r in export_rows("city_officer")[1:]] == ["其他县的隐患"]
    assert len(export_rows("county_officer")) == 1


@pytest.mark.parametrize("count", [3, 30])
def test_ledger_query_count_does_not_grow_with_hazards(
    login, personas, settings, django_assert_max_num_queries, count
):
    settings.LIST_PAGE_SIZE = 50
    today = timezone.localdate()
    for i in range(count):
        enterprise = personas.enterprise if i % 2 else personas.other_enterprise
        make_hazard(
            enterprise,
            description=f"隐患{i:02d}",
            level=Hazard.Level.MAJOR if i % 3 == 0 else Hazard.Level.GENERAL,
            deadline=today + timedelta(days=i - count // 2),
        )
    services.escalation_open(
        actor=personas.city_officer, hazard=Hazard.objects.filter(level="major").first(), reason="督办"
    )
    client = login(personas.city_officer)
    client.get(LEDGER)  # warm the session
    with django_assert_max_num_queries(11):
        response = client.get(LEDGER)
    assert response.content.decode().count('data-testid="ledger-row"') == count
    with django_assert_max_num_queries(6):
        response = client.get(EXPORT)
    assert len(list(load_workbook(io.BytesIO(response.content)).active.values)) == count + 1


# --- The plan page, the register and the card --------------------------------------------------


def test_plan_page_shows_progress_gate_history_and_documents(login, personas, plan):
    application, the_plan, leader, principal = plan
    first, second = the_plan.hazards.order_by("pk")
    services.hazard_progress_add(actor=principal, hazard=first, note="已采购材料", percent=30)
    body = html(login(leader).get(reverse("rectification:plan", args=[the_plan.pk])))
    assert body.count('data-testid="plan-hazard"') == 2
    assert 'data-rule="blocked"' in body
    assert zh("The rectification notice has not been generated yet.") in body
    history = html(login(leader).get(reverse("rectification:history", args=[first.pk])))
    assert "已采购材料" in history and "30%" in history
    # The enterprise sees its plan and its register too, but may not add hazards to the plan.
    body = html(login(principal).get(reverse("rectification:plan", args=[the_plan.pk])))
    assert 'data-testid="plan-hazard-new"' not in body
    register = html(
        login(principal).get(reverse("rectification:enterprise", args=[application.enterprise_id]))
    )
    assert register.count('data-testid="register-row"') == 2
    assert 'data-testid="enterprise-plan"' in register


def test_plan_page_links_the_rectification_documents(login, personas, plan):
    from grading.models import GeneratedDocument

    application, the_plan, leader, principal = plan
    GeneratedDocument.objects.create(
        application=application,
        kind=GeneratedDocument.Kind.RECTIFICATION_NOTICE,
        version=1,
        file="documents/notice.pdf",
        sha256="0" * 64,
        size=10,
        created_by=leader,
    )
    body = html(login(principal).get(reverse("rectification:plan", args=[the_plan.pk])))
    assert body.count('data-testid="plan-document"') == 1
    assert reverse("grading:document", args=[application.pk, GeneratedDocument.objects.get().pk]) in body


def test_case_card_and_the_flag(login, personas, plan):
    application, the_plan, leader, principal = plan
    detail = reverse("grading:detail", args=[application.pk])
    body = html(login(principal).get(detail))
    assert 'data-testid="plan-card"' in body
    assert 'data-testid="card-submit"' in body
    assert 'data-testid="card-confirm"' not in body and 'data-testid="enterprise-flag"' not in body
    assert 'data-testid="card-fail"' in html(login(personas.city_chief).get(detail))
    assert 'data-testid="card-submit"' not in html(login(personas.city_chief).get(detail))
    assert 'data-testid="plan-open"' in html(login(leader).get(detail))
    # A panel member who does not lead sees the card on the case, not the way to the plan's pages.
    member = PanelMember.objects.filter(
        panel__application=application, role="member", state="confirmed"
    ).first()
    body = html(login(member.expert.user).get(detail))
    assert 'data-testid="plan-card"' in body and 'data-testid="plan-open"' not in body
    assert login(member.expert.user).get(reverse("rectification:plan", args=[the_plan.pk])).status_code == 404
    # A 重大 hazard under 督办 flags the enterprise: the card, the plan, the hazard page.
    major = make_hazard(application.enterprise, description="液氨制冷间超员", level=Hazard.Level.MAJOR)
    services.escalation_open(actor=personas.city_officer, hazard=major, reason="逾期重大隐患")
    client = login(personas.county_officer)
    for url in (
        detail,
        reverse("rectification:plan", args=[the_plan.pk]),
        reverse("rectification:hazard", args=[the_plan.hazards.first().pk]),
        reverse("rectification:enterprise", args=[application.enterprise_id]),
    ):
        assert 'data-testid="enterprise-flag"' in html(client.get(url)), url


def test_application_moves_through_the_card(login, personas, plan):
    application, the_plan, leader, principal = plan
    submit = reverse("rectification:application_submit", args=[application.pk])
    confirm = reverse("rectification:application_confirm", args=[application.pk])
    # Submitting while hazards are still being rectified is refused, the comment kept.
    response = login(principal).post(submit, {"state": Status.RECTIFYING, "comment": "全部整改完毕"})
    assert response.status_code == 200
    assert zh("%(n)s hazards have not been submitted for verification yet.", n=2) in html(response)
    assert "全部整改完毕" in html(response)
    for hazard in the_plan.hazards.all():
        services.hazard_evidence_add(actor=principal, hazard=hazard, file=jpeg_file(), kind="after")
        services.hazard_submit(actor=principal, hazard=hazard)
    response = login(principal).post(submit, {"state": Status.RECTIFYING, "comment": "全部整改完毕"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "grading:detail", args=[application.pk]
    )
    application.refresh_from_db()
    assert application.status == Status.RECTIFICATION_CHECK
    # The leader may not confirm while the gate is closed: the message, the opinion kept.
    response = login(leader).post(
        confirm, {"state": Status.RECTIFICATION_CHECK, "decision": "pass", "comment": "整改到位"}
    )
    assert response.status_code == 200
    assert zh("The rectification plan still has open hazards: %(n)s must be closed first.", n=2) in html(
        response
    )
    assert "整改到位" in html(response)
    # A stale click (the page was seen in another state) changes nothing.
    response = login(leader).post(
        confirm, {"state": Status.RECTIFYING, "decision": "return", "comment": "补充材料"}
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.RECTIFICATION_CHECK
    # Closing every hazard opens the gate; the leader then confirms.
    for hazard in the_plan.hazards.all():
        services.hazard_verify(actor=leader, hazard=hazard, passed=True, note="复查合格")
    response = login(leader).post(
        confirm, {"state": Status.RECTIFICATION_CHECK, "decision": "pass", "comment": "整改到位"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RESULT_CONFIRMATION


def test_city_chief_decides_the_rectification_failed(login, personas, plan):
    application, the_plan, leader, principal = plan
    fail = reverse("rectification:application_fail", args=[application.pk])
    response = login(personas.city_chief).post(fail, {"state": Status.RECTIFYING, "reason": ""})
    assert response.status_code == 200
    assert zh("Give the reasons for the decision.") in html(response)
    response = login(personas.city_chief).post(fail, {"state": Status.RECTIFYING, "reason": "逾期未整改"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.NOT_PASSED


# --- A hazard's loop through its page -----------------------------------------------------------


def test_report_verify_close_through_the_pages(login, personas, plan):
    application, the_plan, leader, principal = plan
    hazard = the_plan.hazards.order_by("pk").first()
    url = lambda name, *args: reverse(f"rectification:{name}", args=[hazard.pk, *args])  # noqa: E731
    client = login(principal)
    # Submitting without evidence is refused: the message, the comment kept.
    response = client.post(url("submit"), {"comment": "已清理完毕"})
    assert response.status_code == 200
    assert zh(
        "Attach the evidence of the fix (a photo after rectification or a document) before submitting."
    ) in html(response)
    assert "已清理完毕" in html(response)
    assert client.post(url("progress"), {"note": "正在清理", "percent": "50"}).status_code == 302
    response = client.post(
        url("evidence_add"), {"kind": "after", "note": "整改后照片", "file": jpeg_file("整改后.jpg")}
    )
    assert response.status_code == 302
    evidence = HazardEvidence.objects.get(hazard=hazard)
    download = client.get(url("evidence", evidence.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\xff\xd8\xff")
    assert client.post(url("submit"), {"comment": "已清理完毕"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == H.AWAITING_VERIFICATION
    # The leader: an opinion is required (kept input), then the hazard closes.
    response = login(leader).post(url("verify"), {"decision": "reject", "note": ""})
    assert response.status_code == 200 and zh("Write the verification opinion.") in html(response)
    assert (
        login(leader).post(url("verify"), {"decision": "pass", "note": "复查合格，同意销号"}).status_code
        == 302
    )
    hazard.refresh_from_db()
    assert hazard.status == H.CLOSED and hazard.verified_by == leader
    body = html(login(principal).get(url("hazard")))
    assert "复查合格，同意销号" in body and 'data-kind="transition"' in body
    assert 'data-testid="submit-form"' not in body and 'data-testid="hazard-edit"' not in body


def test_the_rectifier_never_verifies_his_own_fix(login, personas):
    principal = personas.enterprise_principal
    hazard = make_hazard(personas.enterprise, status=H.AWAITING_VERIFICATION, rectifier=principal)
    response = login(principal).post(
        reverse("rectification:verify", args=[hazard.pk]), {"decision": "pass", "note": "自己验收"}
    )
    assert response.status_code == 200
    assert "须由他人验收" in html(response) and "自己验收" in html(response)
    hazard.refresh_from_db()
    assert hazard.status == H.AWAITING_VERIFICATION


def test_extension_request_and_decision_keep_the_original_deadline(login, personas):
    enterprise = personas.enterprise
    hazard = make_hazard(enterprise, description="通风设施损坏")
    original = hazard.deadline
    url = reverse("rectification:extension_request", args=[hazard.pk])
    client = login(personas.enterprise_user)
    response = client.post(
        url, {"requested_deadline": (original - timedelta(days=1)).isoformat(), "reason": "配件缺货"}
    )
    assert response.status_code == 200
    assert zh("The new deadline must be after the current one.") in html(response) and "配件缺货" in html(
        response
    )
    later = original + timedelta(days=15)
    assert (
        client.post(url, {"requested_deadline": later.isoformat(), "reason": "配件缺货"}).status_code == 302
    )
    extension = ExtensionRequest.objects.get(hazard=hazard)
    decide = reverse("rectification:extension_decide", args=[hazard.pk, extension.pk])
    response = login(personas.city_officer).post(decide, {"decision": "reject", "note": ""})
    assert response.status_code == 200 and zh("Say why the extension is refused.") in html(response)
    assert (
        login(personas.city_officer).post(decide, {"decision": "approve", "note": "同意"}).status_code == 302
    )
    hazard.refresh_from_db()
    assert hazard.deadline == later and hazard.original_deadline == original
    body = html(login(personas.enterprise_user).get(reverse("rectification:hazard", args=[hazard.pk])))
    assert original.isoformat() in body and later.isoformat() in body


def test_escalation_open_and_close_through_the_page(login, personas):
    hazard = make_hazard(personas.enterprise, description="除尘系统未泄爆", level=Hazard.Level.MAJOR)
    chief = lambda: login(personas.city_chief)  # noqa: E731 - the one test client changes hands
    escalate = reverse("rectification:escalate", args=[hazard.pk])
    assert chief().post(escalate, {"reason": "重大隐患挂牌督办"}).status_code == 302
    order = EscalationOrder.objects.get(hazard=hazard, status="open")
    page = reverse("rectification:hazard", args=[hazard.pk])
    assert 'data-testid="enterprise-flag"' in html(login(personas.enterprise_user).get(page))
    close = reverse("rectification:escalation_close", args=[hazard.pk, order.pk])
    # Not before the fix is submitted; then not without the written request to resume.
    response = chief().post(close, {"assessment": "已整改到位", "resume_request": "申请恢复生产"})
    assert response.status_code == 200
    assert zh("The hazard has not been rectified yet: its fix must be submitted first.") in html(response)
    walk(hazard, H.AWAITING_VERIFICATION)
    response = chief().post(close, {"assessment": "已整改到位", "resume_request": ""})
    assert response.status_code == 200
    assert zh("Record the enterprise's written request to resume.") in html(response)
    assert "已整改到位" in html(response)
    assert (
        chief().post(close, {"assessment": "已整改到位", "resume_request": "申请恢复生产"}).status_code == 302
    )
    order.refresh_from_db()
    assert order.status == EscalationOrder.Status.CLOSED
    assert 'data-testid="enterprise-flag"' not in html(login(personas.enterprise_user).get(page))
    # A county officer sees the 督办 but may neither open nor close one.
    body = html(login(personas.county_officer).get(page))
    assert 'data-testid="escalation-row"' in body and 'data-testid="escalate-form"' not in body
    assert login(personas.county_officer).post(escalate, {"reason": "县局"}).status_code == 403


def test_evidence_with_a_false_name_is_refused_with_its_message(login, personas):
    from rectification.tests.factories import exe_named_jpg

    hazard = make_hazard(personas.enterprise)
    response = login(personas.enterprise_user).post(
        reverse("rectification:evidence_add", args=[hazard.pk]),
        {"kind": "after", "note": "现场照片", "file": exe_named_jpg()},
    )
    assert response.status_code == 200
    assert 'data-testid="evidence-form"' in html(response) and "现场照片" in html(response)
    assert "photo.jpg" in html(response)
    assert not HazardEvidence.objects.filter(hazard=hazard).exists()


# --- New hazards and editing --------------------------------------------------------------------


def test_enterprise_records_a_self_check_hazard(login, personas):
    enterprise = personas.enterprise
    url = reverse("rectification:hazard_new", args=[enterprise.pk])
    client = login(personas.enterprise_user)
    form = client.get(url).context["form"]
    assert "measures" in form.fields and "item_code" not in form.fields
    # Article groups in the clause select.
    groups = [label for label, options in form.fields["basis_clause"].choices if isinstance(options, list)]
    assert groups and groups[0] == zh("Article %(article)s", article=3)
    # A 重大 hazard without its clause is refused: the message, the input kept.
    data = {
        "description": "受限空间未设置警示标志",
        "level": "major",
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert zh("A major hazard must cite its clause of the judgment standard (应急管理部令第10号).") in html(
        response
    )
    assert "受限空间未设置警示标志" in html(response)
    assert not Hazard.objects.exists()
    response = client.post(url, {**data, "basis_clause": major_clause().pk})
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "rectification:hazard", args=[hazard.pk]
    )
    assert hazard.source == Hazard.Source.SELF_CHECK and hazard.level == "major"


def test_county_records_an_enforcement_hazard_with_finding_fields_only(login, personas):
    enterprise = personas.enterprise
    url = reverse("rectification:hazard_new", args=[enterprise.pk])
    client = login(personas.county_officer)
    assert "measures" not in client.get(url).context["form"].fields
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    assert (
        client.post(
            url, {"description": "叉车司机无证上岗", "level": "general", "deadline": deadline}
        ).status_code
        == 302
    )
    assert Hazard.objects.get().source == Hazard.Source.ENFORCEMENT


def test_leader_adds_a_hazard_to_the_plan_and_edits_the_finding(login, personas, plan):
    application, the_plan, leader, principal = plan
    url = reverse("rectification:plan_hazard_new", args=[the_plan.pk])
    client = login(leader)
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        url, {"description": "", "level": "general", "item_code": "1.1.1", "deadline": deadline}
    )
    assert response.status_code == 200 and zh("Describe the hazard.") in html(response)
    response = client.post(
        url,
        {"description": "现场发现的其他隐患", "level": "general", "item_code": "9.9.9", "deadline": deadline},
    )
    assert zh("Item %(code)s is not in this standard.", code="9.9.9") in html(response)
    assert (
        client.post(
            url,
            {
                "description": "现场发现的其他隐患",
                "level": "general",
                "item_code": "1.1.1",
                "deadline": deadline,
            },
        ).status_code
        == 302
    )
    added = the_plan.hazards.get(description="现场发现的其他隐患")
    assert added.item.code == "1.1.1"
    # The enterprise edits the fix, not the finding.
    edit = reverse("rectification:hazard_edit", args=[added.pk])
    fields = login(principal).get(edit).context["form"].fields
    assert "measures" in fields and "description" not in fields and "level" not in fields
    assert (
        login(principal)
        .post(edit, {"measures": "更换护栏", "responsible_name": "李四", "funds": "abc"})
        .status_code
        == 200
    )
    assert (
        login(principal)
        .post(edit, {"measures": "更换护栏", "responsible_name": "李四", "funds": "800"})
        .status_code
        == 302
    )
    added.refresh_from_db()
    assert (
        added.measures == "更换护栏"
        and str(added.funds) == "800.00"
        and added.description == "现场发现的其他隐患"
    )


def test_navigation_has_the_ledger(login, personas):
    for name, present in (
        ("county_officer", True),
        ("enterprise_user", True),
        ("expert", True),
        ("admin", False),
    ):
        items = login(personas[name]).get(reverse("workbench:home")).context["nav_items"]
        assert (LEDGER in {i["url"] for i in items}) == present, name
    items = login(personas.city_officer).get(LEDGER).context["nav_items"]
    assert [i["url"] for i in items if i["active"]] == [LEDGER]
