"""Test settings: a throwaway embedded PostgreSQL unless DATABASE_URL is given."""

import os
import tempfile

os.environ.setdefault("EMBEDDED_PG_DIR", tempfile.mkdtemp(prefix="credit-test-pg-"))
os.environ.setdefault("EMBEDDED_PG_THROWAWAY", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 32)
os.environ.setdefault("ID_HASH_KEY", "test-id-hash-key-" + "y" * 32)
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="credit-test-media-"))
os.environ.setdefault("OPEN_DATA_ROOT", tempfile.mkdtemp(prefix="credit-test-open-data-"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Assertions read English messages; the Chinese catalogue is tested explicitly.
LANGUAGE_CODE = "en"
# The tests run at a fixed instant (tests/conftest.py) while Chromium keeps the real time: cookies
# that last as long as the browser session never look expired to it, whatever the real date.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_AGE = None
# The test client and the live server of the browser tests speak plain HTTP, so they are not
# redirected to HTTPS; the production values are tested in tests/security/test_deploy_check.py.
SECURE_SSL_REDIRECT = False

# tests/test_replica.py points this alias at a streaming replica it starts; in every other test
# it only mirrors the primary, and no router sends a read to it.
DATABASES = {**DATABASES, "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}}}  # noqa: F405
