import subprocess
from datetime import date

import chinese_calendar
import pytest
from django.core import checks as django_checks

from lib import checks


def _fake_run(stdout: str, returncode: int = 0):
    def run(args, **kwargs):
        assert args[1:] == [":lang=zh", "family"]
        return subprocess.CompletedProcess(args, returncode, stdout=stdout, stderr="")

    return run


def test_no_warning_when_fc_list_finds_a_chinese_font(monkeypatch):
    monkeypatch.setattr(checks.shutil, "which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr(checks.subprocess, "run", _fake_run("Noto Sans CJK SC,Noto Sans CJK TC\n"))
    assert checks.check_cjk_font() == []


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param(lambda mp: mp.setattr(checks.shutil, "which", lambda name: None), id="no fc-list"),
        pytest.param(
            lambda mp: (
                mp.setattr(checks.shutil, "which", lambda name: "/usr/bin/fc-list"),
                mp.setattr(checks.subprocess, "run", _fake_run("")),
            ),
            id="no CJK font",
        ),
        pytest.param(
            lambda mp: (
                mp.setattr(checks.shutil, "which", lambda name: "/usr/bin/fc-list"),
                mp.setattr(checks.subprocess, "run", _fake_run("", returncode=1)),
            ),
            id="fc-list fails",
        ),
    ],
)
def test_warns_when_no_cjk_font(monkeypatch, setup):
    setup(monkeypatch)
    [warning] = checks.check_cjk_font()
    assert warning.id == "anbiao.W001"
    assert warning.level == django_checks.WARNING
    assert "fonts-noto-cjk" in warning.hint


def _calendar_knows_up_to(monkeypatch, last_year: int) -> None:
    real = chinese_calendar.is_workday

    def is_workday(day):
        if day.year > last_year:
            raise NotImplementedError(f"no available data for year {day.year}")
        return real(day) if day.year <= 2026 else True

    monkeypatch.setattr(chinese_calendar, "is_workday", is_workday)


def test_no_holiday_warning_before_october(monkeypatch):
    _calendar_knows_up_to(monkeypatch, 2026)
    assert checks.check_holiday_data(today=date(2026, 9, 30)) == []


@pytest.mark.django_db
def test_warns_from_october_when_next_year_is_missing(monkeypatch):
    _calendar_knows_up_to(monkeypatch, 2026)
    [warning] = checks.check_holiday_data(today=date(2026, 10, 1))
    assert warning.id == "anbiao.W002"
    assert "2027" in warning.msg


def test_no_holiday_warning_when_next_year_is_known(monkeypatch):
    _calendar_knows_up_to(monkeypatch, 2027)
    assert checks.check_holiday_data(today=date(2026, 12, 31)) == []


def test_checks_are_registered_with_django():
    registered = django_checks.registry.registry.get_checks()
    assert checks.check_cjk_font in registered
    assert checks.check_holiday_data in registered
