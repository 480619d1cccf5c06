"""Build applications in any state through the real services (no shortcuts past the rules).

``make_application(personas)`` gives a draft for the persona enterprise (switched to 商贸 so the
bundled 仓储物流 standard applies). ``advance(application, personas, to=Status.X)`` walks it
forward the way users do, so a test starts from a realistic case. Publicity is backdated by
the enterprise's own start date (which the service allows), so no clock tricks are needed.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grading import services
from grading.models import CityDecision, CountyOpinion, GradingApplication, RequiredDocument, Status
from standards.services import EntryIn, sheet_entries_save
from standards.tests.factories import published_warehousing

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def commerce_enterprise(personas):
    enterprise = personas.enterprise
    if enterprise.industry != "commerce_trade":
        enterprise.gb4754_code = "5951"
        enterprise.industry = "commerce_trade"
        enterprise.safety_manager_name = "李四"
        enterprise.save()
    return enterprise


def make_application(personas, **kwargs) -> GradingApplication:
    enterprise = commerce_enterprise(personas)
    standard = published_warehousing(personas.admin)
    return services.application_create(
        actor=personas.enterprise_user, enterprise=enterprise, standard=standard, **kwargs
    )


def fill_sheet(application: GradingApplication, actor) -> None:
    """Score every item as fully met (no deductions)."""
    codes = list(application.standard.items.values_list("code", flat=True))
    sheet_entries_save(actor=actor, sheet=application.self_sheet, entries=[EntryIn(code=c) for c in codes])


def file_everything(application: GradingApplication, personas) -> None:
    user = personas.enterprise_user
    for document in RequiredDocument.objects.filter(required=True):
        services.attachment_add(actor=user, application=application, document=document, file=pdf_file())
    services.commitment_sign(actor=personas.enterprise_principal, application=application)


def confirm_all() -> dict:
    return {code: {"ok": True, "note": "核实无误"} for code in ("E2", "E3", "E4", "E6", "E11")}


def advance(application: GradingApplication, personas, to: str, *, publicity_start: date | None = None):
    """Walk ``application`` forward to state ``to`` along the main path and return it fresh."""
    principal = personas.enterprise_principal
    path = [
        Status.INTERNAL_PUBLICITY,
        Status.COUNTY_REVIEW,
        Status.CITY_REVIEW,
        Status.ACCEPTED,
    ]
    extra = {
        Status.COUNTY_RETURNED: Status.COUNTY_REVIEW,
        Status.CITY_RETURNED: Status.CITY_REVIEW,
        Status.NOT_ACCEPTED: Status.CITY_REVIEW,
    }
    goal = extra.get(to, to)
    for state in path:
        application.refresh_from_db()
        if application.status == to or application.status == goal and to not in extra:
            break
        if application.status in path and path.index(application.status) >= path.index(state):
            continue  # already past this step: advance() also works from a later state
        if state == Status.INTERNAL_PUBLICITY:
            fill_sheet(application, personas.enterprise_user)
            services.team_save(
                actor=personas.enterprise_user,
                application=application,
                members=[services.MemberIn(name="张三", role="leader", position="总经理")],
            )
            services.application_start_publicity(
                actor=principal,
                application=application,
                start=publicity_start or timezone.localdate() - timedelta(days=30),
                place="办公楼一层公告栏",
            )
        elif state == Status.COUNTY_REVIEW:
            file_everything(application, personas)
            services.application_submit(actor=principal, application=application)
        elif state == Status.CITY_REVIEW:
            services.county_opinion_save(
                actor=personas.county_officer,
                application=application,
                data={
                    "basic_info_check": "企业基本情况属实",
                    "licence_check": "证照齐全有效",
                    "score_check": "自评得分复核无误",
                    "site_check": "现场核查未见重大隐患",
                    "conclusion": CountyOpinion.Conclusion.FORWARD,
                    "condition_checks": confirm_all(),
                },
            )
            opinion = services.current_county_opinion(application)
            services.county_opinion_submit(actor=personas.county_officer, opinion=opinion)
            services.county_opinion_approve(actor=personas.county_chief, opinion=opinion)
        elif state == Status.ACCEPTED:
            services.city_decision_save(
                actor=personas.city_officer,
                application=application,
                data={
                    "package_check": "材料齐全",
                    "proposal": CityDecision.Proposal.ACCEPT,
                    "condition_checks": confirm_all(),
                },
            )
            decision = services.current_city_decision(application)
            services.city_decision_submit(actor=personas.city_officer, decision=decision)
            services.city_decision_approve(actor=personas.city_chief, decision=decision)
        application.refresh_from_db()
        if application.status == goal:
            break
    application.refresh_from_db()
    if to == Status.COUNTY_RETURNED:
        services.application_county_return(
            actor=personas.county_officer,
            application=application,
            items=[services.CorrectionIn("营业执照", "扫描件不清晰", "重新上传清晰的营业执照")],
        )
    elif to in (Status.CITY_RETURNED, Status.NOT_ACCEPTED):
        proposal = (
            CityDecision.Proposal.RETURN_ENTERPRISE
            if to == Status.CITY_RETURNED
            else CityDecision.Proposal.NOT_ACCEPT
        )
        services.city_decision_save(
            actor=personas.city_officer,
            application=application,
            data={
                "proposal": proposal,
                "reasons": "材料不符合要求",
                "correction_items": [
                    {"subject": "自评报告", "problem": "未签字", "fix": "主要负责人签字后重新上传"}
                ],
            },
        )
        decision = services.current_city_decision(application)
        services.city_decision_submit(actor=personas.city_officer, decision=decision)
        services.city_decision_approve(actor=personas.city_chief, decision=decision)
    application.refresh_from_db()
    assert application.status == to, (application.status, to)
    return application
