"""Declared relations, unavailable dates and certificates: validation, links, badges."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from enterprises.tests.factories import EnterpriseFactory, make_uscc
from experts.domain import certificate_expiry, periods_overlap
from experts.models import ExpertCertificate, ExpertRelation, ExpertUnavailability
from experts.services import (
    expert_certificate_add,
    expert_relation_add,
    expert_relation_remove,
    expert_relation_update,
    expert_unavailability_add,
)
from experts.tests.conftest import pdf_upload

# --- Relations -----------------------------------------------------------------------


def test_relation_with_a_registered_uscc_links_the_enterprise(personas, own):
    enterprise = EnterpriseFactory(name="营口示例钢铁有限公司")
    relation = expert_relation_add(
        actor=personas.expert,
        expert=own,
        kind="employment",
        enterprise_name="营口钢铁",
        enterprise_uscc=enterprise.uscc.lower(),
        start=date(2015, 3, 1),
        end=date(2020, 6, 30),
    )
    assert relation.enterprise == enterprise
    assert relation.enterprise_uscc == enterprise.uscc
    event = AuditEvent.objects.get(action="expert.relation_add")
    assert event.target_id == str(own.pk)
    assert event.data["after"]["enterprise"] == enterprise.pk


def test_relation_with_an_unknown_uscc_stays_unlinked_and_update_relinks(personas, own):
    relation = expert_relation_add(
        actor=personas.city_officer,
        expert=own,
        kind="consulting",
        enterprise_name="某咨询客户",
        enterprise_uscc=make_uscc(777),
    )
    assert relation.enterprise is None
    enterprise = EnterpriseFactory(uscc=make_uscc(778))
    expert_relation_update(
        actor=personas.expert, relation=relation, data={"enterprise_uscc": enterprise.uscc}
    )
    relation.refresh_from_db()
    assert relation.enterprise == enterprise
    expert_relation_update(actor=personas.expert, relation=relation, data={"enterprise_uscc": ""})
    relation.refresh_from_db()
    assert relation.enterprise is None


def test_relation_validation(personas, own):
    bad_uscc = make_uscc(1)[:-1] + ("0" if make_uscc(1)[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        expert_relation_add(
            actor=personas.expert,
            expert=own,
            kind="relative",
            enterprise_name="",
            enterprise_uscc=bad_uscc,
            start=date(2020, 1, 1),
            end=date(2019, 1, 1),
        )
    assert set(exc.value.message_dict) == {
        "enterprise_name",
        "enterprise_uscc",
        "relative_relationship",
        "end",
    }
    with pytest.raises(ValidationError) as exc:
        expert_relation_add(
            actor=personas.expert,
            expert=own,
            kind="employment",
            enterprise_name="甲",
            relative_relationship="spouse",
        )
    assert set(exc.value.message_dict) == {"relative_relationship"}
    relation = expert_relation_add(
        actor=personas.expert,
        expert=own,
        kind="relative",
        enterprise_name="甲",
        relative_relationship="spouse",
    )
    assert relation.get_relative_relationship_display()


def test_relations_of_others_are_not_the_experts(personas, own, target):
    with pytest.raises(PermissionDenied):
        expert_relation_add(actor=personas.expert, expert=target, kind="other", enterprise_name="甲")
    with pytest.raises(PermissionDenied):
        expert_relation_add(actor=personas.bureau_leader, expert=target, kind="other", enterprise_name="甲")


def test_relation_remove_is_audited_with_what_it_said(personas, own):
    relation = expert_relation_add(actor=personas.expert, expert=own, kind="other", enterprise_name="甲公司")
    expert_relation_remove(actor=personas.expert, relation=relation)
    assert not ExpertRelation.objects.exists()
    assert (
        AuditEvent.objects.get(action="expert.relation_remove").data["before"]["enterprise_name"] == "甲公司"
    )


def test_relation_pages(login, personas, own):
    enterprise = EnterpriseFactory(name="营口示例物流有限公司")
    client = login(personas.expert)
    response = client.post(
        reverse("experts:relation_add", args=[own.pk]),
        {
            "kind": "consulting",
            "enterprise_name": "示例物流",
            "enterprise_uscc": enterprise.uscc,
            "start": "2024-01-01",
        },
    )
    assert response.status_code == 302 and response.url == reverse("experts:me")
    relation = ExpertRelation.objects.get()
    assert relation.enterprise == enterprise
    form = client.get(reverse("experts:relation_edit", args=[own.pk, relation.pk])).context["form"]
    assert (form["enterprise_name"].value(), form["kind"].value()) == ("示例物流", "consulting")
    response = client.post(
        reverse("experts:relation_edit", args=[own.pk, relation.pk]),
        {"kind": "consulting", "enterprise_name": "示例物流", "start": "2024-01-01", "end": "2023-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    # The city sees the link to the registered enterprise; the expert only its name.
    html = login(personas.city_officer).get(reverse("experts:detail", args=[own.pk])).content.decode()
    assert 'data-testid="relation-enterprise-link"' in html
    html = login(personas.expert).get(reverse("experts:me")).content.decode()
    assert "示例物流" in html and 'data-testid="relation-enterprise-link"' not in html


# --- Unavailable dates -------------------------------------------------------------------


def test_periods_overlap_includes_both_ends():
    d = date(2026, 5, 1)
    assert periods_overlap(d, d + timedelta(days=2), d + timedelta(days=2), d + timedelta(days=5))
    assert not periods_overlap(d, d + timedelta(days=2), d + timedelta(days=3), d + timedelta(days=5))


def test_unavailability_overlap_is_refused(personas, own):
    today = timezone.localdate()
    expert_unavailability_add(
        actor=personas.expert, expert=own, start=today + timedelta(days=10), end=today + timedelta(days=20)
    )
    with pytest.raises(ValidationError) as exc:
        expert_unavailability_add(
            actor=personas.expert,
            expert=own,
            start=today + timedelta(days=20),
            end=today + timedelta(days=25),
        )
    assert set(exc.value.message_dict) == {"start"}
    # The day after is fine; another expert's periods do not matter.
    expert_unavailability_add(
        actor=personas.expert, expert=own, start=today + timedelta(days=21), end=today + timedelta(days=25)
    )
    assert ExpertUnavailability.objects.filter(expert=own).count() == 2


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(5, 2, "end"), (-10, -1, "end"), (None, 3, "start"), (1, None, "end")],
)
def test_unavailability_dates_are_checked(personas, own, start, end, field):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        expert_unavailability_add(
            actor=personas.expert,
            expert=own,
            start=today + timedelta(days=start) if start is not None else None,
            end=today + timedelta(days=end) if end is not None else None,
        )
    assert field in exc.value.message_dict


def test_unavailability_page_and_removal(login, personas, own):
    today = timezone.localdate()
    client = login(personas.expert)
    url = reverse("experts:unavailability_add", args=[own.pk])
    data = {
        "start": (today + timedelta(days=3)).isoformat(),
        "end": (today + timedelta(days=4)).isoformat(),
        "reason": "出差",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["start"]
    period = ExpertUnavailability.objects.get()
    assert "出差" in client.get(reverse("experts:me")).content.decode()
    assert client.post(reverse("experts:unavailability_remove", args=[own.pk, period.pk])).status_code == 302
    assert not ExpertUnavailability.objects.exists()


# --- Certificates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"), [(-1, "expired"), (0, "expiring"), (90, "expiring"), (91, ""), (None, "")]
)
def test_certificate_expiry(days, expected):
    today = date(2026, 6, 1)
    assert certificate_expiry(today + timedelta(days=days) if days is not None else None, today) == expected


def test_certificate_badges_on_the_detail_page(login, personas, target):
    today = timezone.localdate()
    officer = personas.city_officer
    expert_certificate_add(
        actor=officer, expert=target, name="过期证书", expires_on=today - timedelta(days=1)
    )
    expert_certificate_add(
        actor=officer, expert=target, name="将到期证书", expires_on=today + timedelta(days=30)
    )
    expert_certificate_add(
        actor=officer, expert=target, name="长期证书", expires_on=today + timedelta(days=400)
    )
    response = login(officer).get(reverse("experts:detail", args=[target.pk]))
    rows = {row.certificate.name: row.expiry for row in response.context["certificates"]}
    assert rows == {"过期证书": "expired", "将到期证书": "expiring", "长期证书": ""}
    html = response.content.decode()
    assert html.count('data-testid="certificate-expired"') == 1
    assert html.count('data-testid="certificate-expiring"') == 1


def test_certificate_scan_is_checked_and_stored(personas, target):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as exc:
        expert_certificate_add(
            actor=personas.city_officer,
            expert=target,
            name="证书",
            file=SimpleUploadedFile("证书.pdf", b"MZ\x90\x00not a pdf"),
        )
    assert "file" in exc.value.message_dict
    certificate = expert_certificate_add(
        actor=personas.city_officer, expert=target, name="证书", file=pdf_upload()
    )
    assert certificate.state == ExpertCertificate.State.RECORDED
    assert certificate.original_name == "证书.pdf"
    assert certificate.file.name.startswith(f"experts/{target.pk}/certificates/")


def test_certificate_dates_are_checked(personas, target):
    with pytest.raises(ValidationError) as exc:
        expert_certificate_add(
            actor=personas.city_officer,
            expert=target,
            name="",
            issued_on=date(2025, 1, 1),
            expires_on=date(2024, 1, 1),
        )
    assert set(exc.value.message_dict) == {"name", "expires_on"}


def test_certificate_page_uploads(login, personas, target):
    response = login(personas.city_officer).post(
        reverse("experts:certificate_add", args=[target.pk]),
        {"name": "注册安全工程师证", "number": "ZAQ-1", "expires_on": "2030-12-31", "file": pdf_upload()},
    )
    assert response.status_code == 302
    certificate = ExpertCertificate.objects.get()
    assert (certificate.number, certificate.expires_on, bool(certificate.file)) == (
        "ZAQ-1",
        date(2030, 12, 31),
        True,
    )
