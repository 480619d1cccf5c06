"""The certificate pages: the list (scope, filters, state counts, pages, query count, the Excel
export holding exactly the list), one certificate (state, PDF, the public verification link),
renewal, the yearly self-assessment and the city's revocation flag."""

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from grading.models import GradingApplication, Kind
from results import services
from results.models import AnnualSelfAssessment, Certificate, RevocationCase
from results.tests.factories import make_certificate, other_enterprise, persona_certificate
from results.tests.page_helpers import CITY_STAFF, PERSONAS, SKIP, battery, html, readers, zh
from standards.services import EntryIn, sheet_entries_save

pytestmark = pytest.mark.django_db

C = Certificate.Status
LIST = reverse("results:certificates")
HEADERS_ZH = [
    zh("Certificate number"),
    zh("Enterprise"),
    zh("USCC"),
    zh("Division"),
    zh("Industry"),
    zh("Grade"),
    zh("Issued on"),
    zh("Valid until"),
    zh("State"),
    zh("Announcement number"),
]
# Who sees a certificate of the persona enterprise (站前区).
SEEING = (
    "admin",
    "city_officer",
    "city_chief",
    "bureau_leader",
    "county_officer",
    "county_chief",
    "enterprise_user",
    "enterprise_principal",
)
OUTSIDERS = ("other_county_officer", "other_enterprise_user", "expert")


def url(name: str, *args) -> str:
    return reverse(f"results:{name}", args=args)


def workbook_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.values)


# --- The permission battery ----------------------------------------------------------------------


def test_every_certificate_page_is_scoped(login, personas, results_clock, media):
    certificate = persona_certificate(personas, issued_on=date(2024, 1, 10))  # renewal opens 2026-10-10
    assessment = services.annual_assessment_start(actor=personas.enterprise_user, certificate=certificate)
    c = certificate.pk
    everyone_but_experts = readers(tuple(p for p in PERSONAS if p != "expert"))
    seeing = readers(SEEING)
    insiders_refused = {name: 403 for name in SEEING}
    failures = battery(login, personas, "get", LIST, everyone_but_experts)
    failures += battery(login, personas, "get", url("certificate", c), seeing)
    failures += battery(login, personas, "get", url("certificate_pdf", c), {})  # no PDF yet
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    failures += battery(login, personas, "get", url("certificate_pdf", c), seeing)
    # Renewal outside its window: the enterprise is sent back to the page with the reason.
    failures += battery(
        login,
        personas,
        "post",
        url("renewal_start", c),
        {**insiders_refused, "enterprise_user": 302, "enterprise_principal": 302},
    )
    failures += battery(
        login,
        personas,
        "post",
        url("assessment_start", c),
        {**insiders_refused, "enterprise_user": 302, "enterprise_principal": 302},
    )
    failures += battery(
        login,
        personas,
        "post",
        url("assessment_submit", c, assessment.pk),
        {**insiders_refused, "enterprise_principal": SKIP},
    )
    failures += battery(
        login, personas, "post", url("revocation_flag", c), {**insiders_refused, **readers(CITY_STAFF)}
    )
    assert failures == []
    assert not GradingApplication.objects.filter(kind=Kind.RENEWAL).exists()
    assert AnnualSelfAssessment.objects.count() == 1  # the second start returned the same one
    assert not RevocationCase.objects.exists()


def test_a_county_sees_only_its_division(login, personas, results_clock):
    own = persona_certificate(personas)
    other = make_certificate(enterprise=other_enterprise(division="鲅鱼圈区"))
    assert [c.pk for c in login(personas.county_officer).get(LIST).context["rows"]] == [own.pk]
    assert [c.pk for c in login(personas.other_county_officer).get(LIST).context["rows"]] == [other.pk]
    assert {c.pk for c in login(personas.city_officer).get(LIST).context["rows"]} == {own.pk, other.pk}
    assert [c.pk for c in login(personas.enterprise_user).get(LIST).context["rows"]] == [own.pk]
    assert login(personas.other_county_officer).get(url("certificate", own.pk)).status_code == 404
    assert login(personas.county_officer).get(url("certificate", other.pk)).status_code == 404
    rows = workbook_rows(login(personas.county_officer).get(LIST, {"export": "xlsx"}))
    assert [r[0] for r in rows[1:]] == [own.number]
    # A county has no division to choose; the city has.
    assert "division" not in login(personas.county_officer).get(LIST).context["form"].fields
    assert "division" in login(personas.city_officer).get(LIST).context["form"].fields


# --- The list: filters, counts, pages, export --------------------------------------------------


@pytest.fixture
def five(personas, results_clock):
    """One certificate in each state (today is 2026-06-01; the renewal window is 3 months)."""
    return {
        "active": persona_certificate(personas, issued_on=date(2025, 3, 1)),
        "expiring": make_certificate(
            enterprise=other_enterprise(name="营口即将到期商贸有限公司"), issued_on=date(2023, 7, 1)
        ),
        "expired": make_certificate(
            enterprise=other_enterprise(division="鲅鱼圈区"), issued_on=date(2022, 1, 1)
        ),
        "revoked": make_certificate(
            enterprise=other_enterprise(), issued_on=date(2025, 5, 1), status=C.REVOKED
        ),
        "superseded": make_certificate(
            enterprise=other_enterprise(), issued_on=date(2024, 5, 1), status=C.SUPERSEDED, grade_level=2
        ),
    }


def test_list_filters_counts_and_pages(login, personas, five, settings):
    client = login(personas.city_officer)
    response = client.get(LIST)
    body = html(response)
    for state, certificate in five.items():
        row = body.split(f'data-certificate="{certificate.pk}"')[1].split("</tr>")[0]
        assert f'data-state="{state}"' in row, state
    counts = {
        chunk.split('"')[0]: chunk.split('badge text-bg-light">')[1].split("<")[0]
        for chunk in body.split('data-testid="state-count" data-state="')[1:]
    }
    assert counts == {"active": "1", "expiring": "1", "expired": "1", "revoked": "1", "superseded": "1"}

    def pks(**query):
        return [c.pk for c in client.get(LIST, query).context["rows"]]

    assert pks(state="expiring") == [five["expiring"].pk]
    assert pks(q=five["active"].number) == [five["active"].pk]
    assert pks(q="即将到期") == [five["expiring"].pk]
    assert pks(q=five["expired"].uscc.lower()) == [five["expired"].pk]
    assert pks(year="2022") == [five["expired"].pk]
    assert pks(division=five["expired"].enterprise.region.code) == [five["expired"].pk]
    assert pks(industry="machinery") == []
    assert len(pks(industry="commerce_trade")) == 5
    assert len(pks(state="nonsense")) == 5  # an invalid filter is ignored
    # Newest first, in pages; htmx swaps the table only.
    settings.LIST_PAGE_SIZE = 2
    assert pks() == [five["revoked"].pk, five["active"].pk]
    assert pks(page=3) == [five["expired"].pk]
    fragment = client.get(LIST, {"state": "active"}, HTTP_HX_REQUEST="true")
    assert [t.name for t in fragment.templates][0] == "results/_certificate_table.html"
    assert f"{LIST}?state=active&amp;export=xlsx" in html(fragment)


def test_export_rows_equal_the_list(login, personas, five):
    client = login(personas.city_chief)
    for query in ({}, {"state": "expiring"}, {"q": "营口"}, {"year": "2024"}):
        listed = list(client.get(LIST, query).context["rows"])
        response = client.get(LIST, {**query, "export": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = workbook_rows(response)
        assert list(rows[0]) == HEADERS_ZH
        assert [r[0] for r in rows[1:]] == [c.number for c in listed], query
    rows = {r[0]: r for r in workbook_rows(client.get(LIST, {"export": "xlsx"}))[1:]}
    superseded = five["superseded"]
    row = rows[superseded.number]
    assert row[1] == superseded.enterprise_name and row[2] == superseded.uscc
    assert row[3] == superseded.enterprise.region.name
    assert row[4] == zh("Commerce and trade") or row[4] == superseded.get_industry_display()
    assert row[5] == zh("Grade 2")
    assert row[6].date() == superseded.issued_on and row[7].date() == superseded.expires_on
    assert row[8] == zh("Superseded by renewal")
    assert rows[five["expiring"].number][8] == zh("Expiring soon")
    assert login(personas.expert).get(LIST, {"export": "xlsx"}).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_list_queries_do_not_grow(
    login, personas, results_clock, settings, django_assert_max_num_queries, count
):
    settings.LIST_PAGE_SIZE = 50
    for i in range(count):
        make_certificate(enterprise=other_enterprise(division="站前区" if i % 2 else "鲅鱼圈区"))
    client = login(personas.city_officer)
    client.get(LIST)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert html(response).count('data-testid="certificate-row"') == count
    with django_assert_max_num_queries(6):
        response = client.get(LIST, {"export": "xlsx"})
    assert len(workbook_rows(response)) == count + 1


# --- One certificate ---------------------------------------------------------------------------


def test_detail_shows_the_state_the_pdf_and_the_verification_link(
    login, personas, results_clock, media, monkeypatch
):
    certificate = persona_certificate(personas, issued_on=date(2023, 7, 1))
    page = url("certificate", certificate.pk)
    body = html(login(personas.county_officer).get(page))
    assert certificate.number in body and zh("Expiring soon") in body
    assert "2026-06-30" in body.split('data-testid="expires-on"')[1][:40]
    assert 'data-testid="pdf-pending"' in body and 'data-testid="certificate-pdf"' not in body
    try:
        target = reverse("portal:certificate_verify", kwargs={"public_id": certificate.public_id})
    except NoReverseMatch:
        target = None
    if target:
        assert f"http://testserver{target}" in body.split('data-testid="verify-link"')[1][:300]
    else:
        assert 'data-testid="verify-link"' not in body
    # Without the portal's page the link is hidden, not an error.
    import results.views.certificates as pages

    def no_portal(name, *args, **kwargs):
        if name == "portal:certificate_verify":
            raise NoReverseMatch(name)
        return reverse(name, *args, **kwargs)

    monkeypatch.setattr(pages, "reverse", no_portal)
    body = html(login(personas.county_officer).get(page))
    assert 'data-testid="verify-link"' not in body and certificate.number in body
    monkeypatch.undo()
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    body = html(login(personas.enterprise_user).get(page))
    assert 'data-testid="certificate-pdf"' in body
    response = login(personas.enterprise_user).get(url("certificate_pdf", certificate.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_renewal_is_offered_inside_the_window_only(login, personas, results_clock):
    early = persona_certificate(personas, issued_on=date(2025, 1, 10))  # renewal opens 2027-10-10
    client = login(personas.enterprise_user)
    body = html(client.get(url("certificate", early.pk)))
    opens = zh("Renewal opens on %(date)s.", date="2027-10-10")
    assert opens in body and 'data-testid="renewal-start"' not in body
    response = client.post(url("renewal_start", early.pk), follow=True)
    assert opens in html(response)
    assert not GradingApplication.objects.filter(kind=Kind.RENEWAL).exists()
    # Inside the window: a renewal application pre-filled from the last one.
    Certificate.objects.filter(pk=early.pk).update(status=C.SUPERSEDED)
    due = persona_certificate(personas, issued_on=date(2023, 7, 1))
    body = html(client.get(url("certificate", due.pk)))
    assert 'data-testid="renewal-start"' in body
    assert 'data-testid="renewal"' not in html(login(personas.city_officer).get(url("certificate", due.pk)))
    response = login(personas.enterprise_principal).post(url("renewal_start", due.pk))
    application = GradingApplication.objects.get(kind=Kind.RENEWAL)
    assert response.status_code == 302
    assert response["Location"] == reverse("grading:detail", args=[application.pk])
    assert application.enterprise_id == due.enterprise_id and application.status == "draft"
    # A second click: the open application refuses a second one, with the message.
    response = login(personas.enterprise_principal).post(url("renewal_start", due.pk), follow=True)
    assert application.number in html(response)
    assert GradingApplication.objects.filter(kind=Kind.RENEWAL).count() == 1


def test_yearly_self_assessment_start_and_file(login, personas, results_clock):
    certificate = persona_certificate(personas, issued_on=date(2025, 3, 1))
    page = url("certificate", certificate.pk)
    user, principal = login(personas.enterprise_user), None
    assert 'data-testid="assessment-start"' in html(user.get(page))
    response = user.post(url("assessment_start", certificate.pk))
    assessment = AnnualSelfAssessment.objects.get()
    assert assessment.year == 2026 and assessment.status == AnnualSelfAssessment.Status.DRAFT
    assert response["Location"] == reverse("standards:sheet_detail", args=[assessment.sheet_id])
    assert user.get(response["Location"]).status_code == 200
    body = html(user.get(page))
    assert 'data-testid="assessment-start"' not in body and 'data-year="2026"' in body
    assert 'data-testid="assessment-submit"' not in body  # the principal files it
    principal = login(personas.enterprise_principal)
    assert 'data-testid="assessment-submit"' in html(principal.get(page))
    # Refused while items are unscored: the message says how many.
    missing = assessment.sheet.standard.items.count()
    response = principal.post(url("assessment_submit", certificate.pk, assessment.pk), follow=True)
    assert zh("%(n)s items are not scored yet.", n=missing) in html(response)
    codes = list(assessment.sheet.standard.items.values_list("code", flat=True))
    sheet_entries_save(
        actor=personas.enterprise_user, sheet=assessment.sheet, entries=[EntryIn(code=c) for c in codes]
    )
    response = principal.post(url("assessment_submit", certificate.pk, assessment.pk), follow=True)
    assessment.refresh_from_db()
    assert assessment.status == AnnualSelfAssessment.Status.SUBMITTED and assessment.percentage is not None
    body = html(response)
    assert f"{assessment.percentage}%" in body and 'data-testid="assessment-submit"' not in body
    # Filed twice: the message, nothing changes.
    response = principal.post(url("assessment_submit", certificate.pk, assessment.pk), follow=True)
    assert zh("This self-assessment has already been filed.") in html(response)
    # A certificate no longer valid has no yearly self-assessment: no button, a post is refused.
    revoked = persona_certificate(personas, issued_on=date(2024, 3, 1), status=C.REVOKED)
    user = login(personas.enterprise_user)
    assert 'data-testid="assessment-start"' not in html(user.get(url("certificate", revoked.pk)))
    response = user.post(url("assessment_start", revoked.pk), follow=True)
    assert zh("Only a valid certificate has a yearly self-assessment.") in html(response)
    assert AnnualSelfAssessment.objects.count() == 1


def test_the_city_flags_a_certificate_for_revocation(login, personas, results_clock):
    certificate = persona_certificate(personas)
    client = login(personas.city_officer)
    assert 'data-testid="revocation-flag"' in html(client.get(url("certificate", certificate.pk)))
    assert 'data-testid="revocation-flag"' not in html(
        login(personas.bureau_leader).get(url("certificate", certificate.pk))
    )
    client = login(personas.city_officer)
    response = client.post(url("revocation_flag", certificate.pk), {"ground": "", "detail": ""})
    assert response.status_code == 200
    body = html(response)
    assert zh("Choose a ground.") in body and zh("Set out the facts.") in body
    response = client.post(
        url("revocation_flag", certificate.pk), {"ground": "fraud", "detail": "申报材料中安全培训记录系伪造"}
    )
    case = RevocationCase.objects.get()
    assert response.status_code == 302 and response["Location"] == url("revocation", case.pk)
    assert case.flagged_by == personas.city_officer and case.ground == "fraud"
    for name in ("city_chief", "county_officer"):
        assert 'data-testid="revocation-row"' in html(
            login(personas[name]).get(url("certificate", certificate.pk))
        )
    assert 'data-testid="revocation-row"' not in html(
        login(personas.enterprise_user).get(url("certificate", certificate.pk))
    )
    # A certificate no longer valid: no form, and a post is refused with the message.
    Certificate.objects.filter(pk=certificate.pk).update(status=C.REVOKED)
    client = login(personas.city_officer)
    assert 'data-testid="revocation-flag"' not in html(client.get(url("certificate", certificate.pk)))
    response = client.post(url("revocation_flag", certificate.pk), {"ground": "fraud", "detail": "再次"})
    assert response.status_code == 200 and zh("Only a valid certificate can be revoked.") in html(response)
    assert RevocationCase.objects.count() == 1
