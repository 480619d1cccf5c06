"""Test settings: the real settings with fast hashing and the immediate task backend."""

import os

os.environ["ANBIAO_TESTING"] = "1"

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DASHBOARD_CACHE_SECONDS = 0  # figures reflect each test's data; dashboard/tests/test_cache.py turns it on
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
