"""The demo pool has certificates, declared relations and blackout dates, so the draw has conflicts."""

import pytest
from django.core.management import call_command

from demo.services import DEMO_ENTERPRISE_NAME, expert_spec
from experts.models import Expert, ExpertCertificate, ExpertRelation, ExpertUnavailability


def test_details_are_deterministic_and_tie_two_experts_to_the_demo_enterprise():
    specs = [expert_spec(2026, i, set()) for i in range(8)]
    assert specs == [expert_spec(2026, i, set()) for i in range(8)]
    assert [r["pick"] for s in specs[1:3] for r in s["relations"]] == [0, 0]
    assert all(s["certificates"] and s["training_certificate_number"] for s in specs)
    assert specs[3]["unavailable"] and specs[7]["unavailable"]


@pytest.mark.django_db
def test_seeded_pool_has_details_once():
    call_command("seed_demo", "--enterprises", "20", "--experts", "8", "--quiet")
    counts = (
        ExpertCertificate.objects.count(),
        ExpertRelation.objects.count(),
        ExpertUnavailability.objects.count(),
    )
    assert all(counts)
    linked = ExpertRelation.objects.filter(enterprise__name=DEMO_ENTERPRISE_NAME)
    assert linked.count() == 2
    assert all(e.term_until and e.training_certificate_number for e in Expert.objects.all())
    call_command("seed_demo", "--enterprises", "20", "--experts", "8", "--quiet")
    assert (
        ExpertCertificate.objects.count(),
        ExpertRelation.objects.count(),
        ExpertUnavailability.objects.count(),
    ) == counts
