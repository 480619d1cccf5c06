"""Personas shared by every app's tests (conventions §8)."""

import os
import shutil

import pytest

from accounts.roles import Role
from accounts.tests.factories import (
    UserFactory,
    admin_org,
    city_bureau,
    county_bureau,
    expert_pool,
)
from enterprises.tests.factories import EnterpriseFactory


class Personas:
    """Lazily created users, one per persona name, for permission batteries."""

    def __init__(self) -> None:
        self._cache: dict = {}

    @property
    def enterprise(self):
        if "enterprise" not in self._cache:
            self._cache["enterprise"] = EnterpriseFactory(
                name="营口站前测试机械有限公司", with_organisation=True
            )
        return self._cache["enterprise"]

    @property
    def other_enterprise(self):
        if "other_enterprise" not in self._cache:
            from accounts.tests.factories import region

            self._cache["other_enterprise"] = EnterpriseFactory(
                name="鲅鱼圈测试物流有限公司", region=region("鲅鱼圈区"), with_organisation=True
            )
        return self._cache["other_enterprise"]

    def _make(self, name: str):
        if name == "anonymous":
            return None
        specs = {
            "admin": (Role.SYSTEM_ADMIN, admin_org),
            "city_officer": (Role.CITY_OFFICER, city_bureau),
            "city_chief": (Role.CITY_CHIEF, city_bureau),
            "bureau_leader": (Role.BUREAU_LEADER, city_bureau),
            "county_officer": (Role.COUNTY_OFFICER, lambda: county_bureau("站前区")),
            "county_chief": (Role.COUNTY_CHIEF, lambda: county_bureau("站前区")),
            "other_county_officer": (Role.COUNTY_OFFICER, lambda: county_bureau("鲅鱼圈区")),
            "enterprise_user": (Role.ENTERPRISE_USER, lambda: self.enterprise.organisation),
            "enterprise_principal": (Role.ENTERPRISE_PRINCIPAL, lambda: self.enterprise.organisation),
            "other_enterprise_user": (Role.ENTERPRISE_USER, lambda: self.other_enterprise.organisation),
            "expert": (Role.EXPERT, expert_pool),
        }
        role, org = specs[name]
        return UserFactory(username=name, role=role, organisation=org())

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str):
        if name not in self._cache:
            self._cache[name] = self._make(name)
        return self._cache[name]


@pytest.fixture
def personas(db) -> Personas:
    return Personas()


@pytest.fixture
def login(client):
    """Return a function that logs the test client in as a persona user (or stays anonymous)."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path


# --- Playwright (e2e) ------------------------------------------------------
# Debian's chromium, never a downloaded browser (`playwright install` is not used).


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "accept_downloads": True}


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright(request):
    """Playwright's sync API runs an event loop; in a run with e2e tests, let the ORM work beside it.

    Session-scoped because the test database is set up once, while that loop is running.
    """
    if not any(item.get_closest_marker("e2e") for item in request.session.items):
        yield
        return
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
