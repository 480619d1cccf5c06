"""Name grams: a name contains a query only if its grams include the query's, so the index
of grams finds every match (and the ordinary condition drops the rest)."""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory
from lib.search import GramsContain, gram_prefilter, grams, joined_grams

CJK = st.text(alphabet="营口钢铁机械有限公司鲅鱼圈物流仓储AbC1 ", min_size=0, max_size=16)


def test_grams():
    assert grams("营口钢铁") == ["营口", "口钢", "钢铁"]
    assert grams("营 口A") == ["营口", "口a"]
    assert grams("营") == []
    assert grams("钢钢钢") == ["钢钢"]
    assert joined_grams("营口钢铁", "营口") == "营口 口钢 钢铁"


@given(name=CJK, start=st.integers(0, 16), length=st.integers(2, 6))
def test_a_substring_has_no_gram_the_name_lacks(name, start, length):
    query = name[start : start + length]
    if query.strip() != query or len(query) < 2:
        return
    assert set(grams(query)) <= set(grams(name))


@pytest.mark.django_db
def test_the_enterprise_keeps_the_grams_of_both_names():
    enterprise = EnterpriseFactory(name="营口翔宇机械有限公司", short_name="翔宇机械")
    assert set(enterprise.name_grams.split()) == set(grams("营口翔宇机械有限公司")) | set(grams("翔宇机械"))
    enterprise.name = "盖州新材料有限公司"
    enterprise.save(update_fields=["name"])
    enterprise.refresh_from_db()
    assert "盖州" in enterprise.name_grams.split()
    assert "营口" not in enterprise.name_grams.split()


@pytest.mark.django_db
def test_the_prefilter_is_for_chinese_queries_on_postgresql_only():
    if connection.vendor != "postgresql":
        assert gram_prefilter("name_grams", "翔宇") is None
        return
    assert isinstance(gram_prefilter("name_grams", "翔宇"), GramsContain)
    assert gram_prefilter("name_grams", "ykgt") is None  # pinyin and USCC match ASCII queries too
    assert gram_prefilter("name_grams", "翔") is None  # no gram: a plain scan


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index of grams is PostgreSQL's")
def test_the_prefilter_keeps_every_match():
    names = ["营口翔宇机械有限公司", "翔宇物流有限公司", "宇翔钢铁有限公司", "营口港务集团"]
    for name in names:
        EnterpriseFactory(name=name)
    for query in ["翔宇", "宇翔", "有限公司", "营口", "口翔宇机"]:
        expected = set(Enterprise.objects.filter(name__contains=query).values_list("name", flat=True))
        found = set(
            Enterprise.objects.filter(
                GramsContain("name_grams", grams(query)), name__contains=query
            ).values_list("name", flat=True)
        )
        assert found == expected
        assert expected, query
