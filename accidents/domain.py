"""Pure rules of the accident ledger: the 493号令 grade and rolling totals. No ORM, no clock.

Grades (国务院令第493号, domain.md §10): "以上" includes the number, "以下" excludes it, and
the highest band reached by any one measure decides. Rolling totals (domain.md §4, E5 and
§9, revocation) count the accidents in the half-open window [on − months, on): the day
``months`` calendar months before ``on`` is inside, ``on`` itself is not.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccidentGrade(models.TextChoices):
    """The four grades of 国务院令第493号, lowest first."""

    ORDINARY = "ordinary", _("Ordinary accident")  # 一般事故
    RELATIVELY_MAJOR = "relatively_major", _("Relatively major accident")  # 较大事故
    MAJOR = "major", _("Major accident")  # 重大事故
    EXTRAORDINARY = "extraordinary", _("Extraordinarily major accident")  # 特别重大事故


class AccidentType(models.TextChoices):
    """The 20 accident types of GB 6441-1986 (企业职工伤亡事故分类), in the standard's order."""

    STRUCK_BY_OBJECT = "struck_by_object", _("Struck by object")  # 物体打击
    VEHICLE = "vehicle", _("Vehicle injury")  # 车辆伤害
    MACHINERY = "machinery", _("Machinery injury")  # 机械伤害
    LIFTING = "lifting", _("Lifting injury")  # 起重伤害
    ELECTROCUTION = "electrocution", _("Electric shock")  # 触电
    DROWNING = "drowning", _("Drowning")  # 淹溺
    BURN_SCALD = "burn_scald", _("Burn or scald")  # 灼烫
    FIRE = "fire", _("Fire")  # 火灾
    FALL_FROM_HEIGHT = "fall_from_height", _("Fall from height")  # 高处坠落
    COLLAPSE = "collapse", _("Collapse")  # 坍塌
    ROOF_FALL = "roof_fall", _("Roof fall or rib spalling")  # 冒顶片帮
    WATER_INRUSH = "water_inrush", _("Water inrush")  # 透水
    BLASTING = "blasting", _("Blasting injury")  # 放炮
    EXPLOSIVES_EXPLOSION = "explosives_explosion", _("Explosives explosion")  # 火药爆炸
    FIREDAMP_EXPLOSION = "firedamp_explosion", _("Gas (firedamp) explosion")  # 瓦斯爆炸
    BOILER_EXPLOSION = "boiler_explosion", _("Boiler explosion")  # 锅炉爆炸
    VESSEL_EXPLOSION = "vessel_explosion", _("Pressure vessel explosion")  # 容器爆炸
    OTHER_EXPLOSION = "other_explosion", _("Other explosion")  # 其他爆炸
    POISONING_ASPHYXIATION = "poisoning_asphyxiation", _("Poisoning and asphyxiation")  # 中毒和窒息
    OTHER_INJURY = "other_injury", _("Other injury")  # 其他伤害


@dataclass(frozen=True)
class Band:
    """The lower bounds (inclusive, "以上") at which a grade starts, per measure."""

    grade: AccidentGrade
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal


# Highest first; below the last band an accident is 一般.
BANDS = (
    Band(AccidentGrade.EXTRAORDINARY, 30, 100, Decimal("100000000")),
    Band(AccidentGrade.MAJOR, 10, 50, Decimal("50000000")),
    Band(AccidentGrade.RELATIVELY_MAJOR, 3, 10, Decimal("10000000")),
)
GRADE_ORDER = tuple(AccidentGrade.values)  # lowest first, for comparisons


def grade_for(deaths: int, serious_injuries: int, direct_loss_yuan: Decimal) -> AccidentGrade:
    """Return the 493号令 grade: the highest band reached by any one measure.

    Raises ValueError for a negative measure (the service refuses those with a message first).
    """
    loss = Decimal(direct_loss_yuan)
    if deaths < 0 or serious_injuries < 0 or loss < 0:
        raise ValueError("accident measures cannot be negative")
    for band in BANDS:
        if (
            deaths >= band.deaths
            or serious_injuries >= band.serious_injuries
            or loss >= band.direct_loss_yuan
        ):
            return band.grade
    return AccidentGrade.ORDINARY


def grade_rank(grade: str) -> int:
    """Return 0 for 一般 up to 3 for 特别重大."""
    return GRADE_ORDER.index(grade)


@dataclass(frozen=True)
class AccidentTotals:
    """What a set of accidents adds up to (in a window)."""

    accidents: int = 0
    deaths: int = 0
    serious_injuries: int = 0
    direct_loss_yuan: Decimal = Decimal("0.00")


def window_start(on: date, months: int) -> date:
    """Return the first day of the window [on − months, on) (calendar months, relativedelta).

    From 29 February, 12 months back is 28 February; from 31 March, 1 month back is 28 or 29 February.
    """
    if months < 0:
        raise ValueError("months cannot be negative")
    return on - relativedelta(months=months)


def in_window(day: date, *, on: date, months: int) -> bool:
    """Return whether ``day`` lies in [on − months, on)."""
    return window_start(on, months) <= day < on


def rolling_totals(
    accidents: Iterable[tuple[date, int, int, Decimal]], *, on: date, months: int
) -> AccidentTotals:
    """Return the totals of the accidents that occurred in [on − months, on).

    Each accident is a plain tuple (local date it occurred, deaths, serious injuries, direct
    loss in yuan). An accident on ``on`` itself is not counted; one on ``on − months`` is.
    """
    count, deaths, serious, loss = 0, 0, 0, Decimal("0.00")
    for day, accident_deaths, accident_serious, accident_loss in accidents:
        if in_window(day, on=on, months=months):
            count += 1
            deaths += accident_deaths
            serious += accident_serious
            loss += Decimal(accident_loss)
    return AccidentTotals(count, deaths, serious, loss)
