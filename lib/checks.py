"""System checks for what the host must provide: a CJK font and next year's holiday data.

Both are warnings, not errors: development works without them, but a deployment run with
``check --deploy --fail-level WARNING`` stops until they are fixed.
"""

import shutil
import subprocess
from collections.abc import Callable
from datetime import date

from django.core import checks
from django.utils import timezone

# From this day on, next year's statutory holidays must be known: deadlines set in the
# fourth quarter already run into January.
HOLIDAY_DATA_NEEDED_FROM = (10, 1)


def cjk_font_available() -> bool:
    """Return True when fontconfig knows a font covering Chinese (``fc-list :lang=zh``)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


# Other sources of holiday data (the admin-maintained calendar), registered by their apps.
_HOLIDAY_SOURCES: list[Callable[[int], bool]] = []


def register_holiday_source(source: Callable[[int], bool]) -> None:
    """Add a function telling whether a year's holidays are known (called from AppConfig.ready)."""
    if source not in _HOLIDAY_SOURCES:
        _HOLIDAY_SOURCES.append(source)


def holiday_data_available(year: int) -> bool:
    """Return True when chinese_calendar, or a registered source, knows the holidays of ``year``."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return any(source(year) for source in _HOLIDAY_SOURCES)
    return True


def check_cjk_font(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if cjk_font_available():
        return []
    return [
        checks.Warning(
            "No CJK font found (fc-list :lang=zh is empty): Chinese text in generated PDFs will show as boxes.",
            hint="Install Debian's fonts-noto-cjk (make install does this when run as root).",
            id="anbiao.W001",
        )
    ]


def check_holiday_data(app_configs=None, *, today: date | None = None, **kwargs) -> list[checks.CheckMessage]:
    today = today or timezone.localdate()
    if (today.month, today.day) < HOLIDAY_DATA_NEEDED_FROM:
        return []
    year = today.year + 1
    if holiday_data_available(year):
        return []
    return [
        checks.Warning(
            f"chinese_calendar has no holiday data for {year}: deadlines that run into {year} cannot "
            "be computed (cases show 'calendar missing') until its holidays are known.",
            hint="Record the year's holidays and make-up working days on the working-day calendar "
            "page (/regulation/), or upgrade chinese-calendar once it has the schedule and re-lock "
            "requirements.",
            id="anbiao.W002",
        )
    ]


def register_all() -> None:
    checks.register(check_cjk_font, checks.Tags.compatibility, deploy=False)
    checks.register(check_holiday_data, checks.Tags.compatibility, deploy=False)
