"""Settings of a gunicorn started by a test: the test database, the shared database cache."""

import os

from config.settings_test import *  # noqa: F403
from config.settings_test import DATABASES

DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["WORKER_DATABASE_NAME"]}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}
