"""The Django side of `make bench`: run by benchmarks/harness.py in a subprocess, with the
environment of the benchmark database (DEBUG off, DATABASE_URL of anbiao_bench_<size>).

    .venv/bin/python benchmarks/bench_django.py counts
        print the row counts of the seeded data as JSON.
    .venv/bin/python benchmarks/bench_django.py prepare
        create a session per role and an API token, pick the pages' parameters (a name
        fragment, an industry, an application) and print them as JSON.
    .venv/bin/python benchmarks/bench_django.py queries < pages.json
        fetch each page once through Django's test client and print its status and
        query count as JSON (stdin: [{"name", "path", "role", "auth"}, ...]).

It only reads the database, except for the sessions and the token `prepare` creates.
"""

import json
import os
import sys
import time
from collections import Counter
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.middleware import SESSION_KEY as LAST_ACTIVITY_KEY  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.services import api_token_create  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from grading.models import GradingApplication  # noqa: E402
from lib.search import grams  # noqa: E402
from rectification.models import Hazard  # noqa: E402
from results.models import Certificate  # noqa: E402

# Roles the pages are fetched as: seed_demo creates one user per role under these names.
ROLE_USERS = {"city_officer": "city_officer", "leader": "leader", "county_officer": "zhanqian_officer"}
TOKEN_ROLE = "city_officer"  # noqa: S105 - a role name, not a secret


def counts() -> dict:
    return {
        "enterprises": Enterprise.objects.count(),
        "applications": GradingApplication.objects.count(),
        "hazards": Hazard.objects.count(),
        "certificates": Certificate.objects.count(),
        "users": User.objects.count(),
    }


def session_for(user: User) -> str:
    """A logged-in session, as `login()` would write it (plus the idle-timeout stamp)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_ACTIVITY_KEY] = int(time.time())
    store.create()
    return store.session_key


def fragment(name: str) -> str:
    """Two characters from the middle of a name: a realistic search, matching more than one row."""
    core = name.removesuffix("有限公司").removesuffix("有限责任公司")
    middle = max(0, len(core) // 2 - 1)
    return core[middle : middle + 2] or name[:2]


SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "公司")


def common_fragment(names: list[str], share: float = 0.25) -> str:
    """The commonest two characters of the names (legal suffixes aside) found in at most
    ``share`` of them: a search that fills a page at every size without matching most rows."""
    counts: Counter[str] = Counter()
    for name in names:
        core = name
        for suffix in SUFFIXES:
            core = core.removesuffix(suffix)
        counts.update(set(grams(core)))
    limit = share * len(names)
    for gram, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if n <= limit:
            return gram
    return fragment(names[0]) if names else "示例"


def prepare() -> dict:
    users = {role: User.objects.get(username=username) for role, username in ROLE_USERS.items()}
    sessions = {role: session_for(user) for role, user in users.items()}
    _token, secret = api_token_create(
        actor=users[TOKEN_ROLE],
        user=users[TOKEN_ROLE],
        name=f"bench {time.strftime('%Y-%m-%d %H:%M')}",
        days=1,
    )
    industries = Counter(Enterprise.objects.values_list("industry", flat=True))
    industry = industries.most_common(1)[0][0] if industries else ""
    # Same industry and a search that fills the first page at 1k and at 100k: the growth then
    # compares pages of the same size (a fragment of one name matched 7 rows at 1k, 851 at 100k).
    q = common_fragment(list(Enterprise.objects.filter(industry=industry).values_list("name", flat=True)))
    # A rich application: the first with a rectification plan (a seed_demo case, the same at every size).
    application = (
        GradingApplication.objects.filter(rectification_plan__isnull=False).order_by("pk").first()
        or GradingApplication.objects.order_by("pk").first()
    )
    certificate = Certificate.objects.order_by("pk").first()
    return {
        "sessions": sessions,
        "token": secret,
        "token_role": TOKEN_ROLE,
        "q": q,
        "industry": industry,
        "application_id": application.pk if application else None,
        "certificate_q": fragment(certificate.enterprise_name) if certificate else q,
        "counts": counts(),
    }


def queries(pages: list[dict], prepared: dict) -> dict:
    """Status and number of queries of one request to each page (a warm second request:
    the first in a process also loads caches such as content types and the region tree)."""
    out = {}
    for page in pages:
        client = Client()
        headers = {}
        if page["auth"] == "session":
            client.cookies[settings.SESSION_COOKIE_NAME] = prepared["sessions"][page["role"]]
        elif page["auth"] == "token":
            headers["Authorization"] = f"Bearer {prepared['token']}"
        client.get(page["path"], headers=headers)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page["path"], headers=headers)
        out[page["name"]] = {"status": response.status_code, "queries": len(ctx.captured_queries)}
    return out


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "counts":
        result = counts()
    elif command == "prepare":
        result = prepare()
    elif command == "queries":
        payload = json.load(sys.stdin)
        result = queries(payload["pages"], payload["prepared"])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
