import pytest

from enterprises.domain import derive_industry, is_valid_gb4754_code, pinyin_keys
from enterprises.selectors import industry_mappings

MAPPINGS = [("31", "metallurgy"), ("3140", "nonferrous"), ("59", "commerce_trade")]


@pytest.mark.parametrize(
    ("code", "industry"),
    [
        ("3130", "metallurgy"),
        ("3140", "nonferrous"),  # the longer prefix wins over "31"
        ("5941", "commerce_trade"),
        ("0610", None),  # coal mining is not an industry-and-trade sector
        ("", None),
    ],
)
def test_derive_industry_takes_the_longest_prefix(code, industry):
    assert derive_industry(code, MAPPINGS) == industry


@pytest.mark.django_db
def test_seeded_mapping_covers_the_eight_industries():
    industries = {industry for _, industry in industry_mappings()}
    assert industries == {
        "metallurgy",
        "nonferrous",
        "building_materials",
        "machinery",
        "light_industry",
        "textiles",
        "tobacco",
        "commerce_trade",
    }
    assert derive_industry("3216", industry_mappings()) == "nonferrous"  # 镁冶炼
    assert derive_industry("5941", industry_mappings()) == "commerce_trade"  # 低温仓储


@pytest.mark.parametrize(
    ("code", "ok"), [("31", True), ("3130", True), ("313", True), ("C31", False), ("31301", False)]
)
def test_gb4754_code_shape(code, ok):
    assert is_valid_gb4754_code(code) is ok


def test_pinyin_keys_cover_name_and_short_name():
    full, initials = pinyin_keys("营口钢铁有限公司", "营钢")
    assert "ykgtyxgs" in initials
    assert "yg" in initials.split()
    assert full.startswith("yingkougangtie")
