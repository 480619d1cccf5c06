import pytest

from portal.tests.factories import make_announcement, make_article, make_batch, make_certificate


@pytest.fixture
def published_article(personas):
    return make_article(
        personas.city_officer,
        publish=True,
        title="辽宁省工贸企业安全生产标准化定级实施细则",
        summary="细则全文。",
        body="第一条 为规范定级工作，制定本细则。\n\n第二条 本细则适用于全市工贸企业。",
    )


@pytest.fixture
def batch(personas):
    return make_batch(personas, entries=2)


@pytest.fixture
def certificate(personas):
    return make_certificate(personas, own_enterprise=True)


@pytest.fixture
def announcement(personas, certificate):
    return make_announcement(personas, certificates=[certificate])
