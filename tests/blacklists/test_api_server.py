"""The production server's settings (config/gunicorn.py): the API is served by sync workers forked
from a master that loaded the application once, with what it loaded kept out of the workers'
garbage collections."""

import gc
import os
import runpy
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import translation


def gunicorn_settings() -> dict:
    return runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "gunicorn.py"))


def test_the_application_is_loaded_once_in_the_master_and_served_by_sync_workers(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    conf = gunicorn_settings()
    assert conf["wsgi_app"] == "config.wsgi"
    assert conf["worker_class"] == "sync"
    assert conf["preload_app"] is True
    assert conf["workers"] == 2 * (os.cpu_count() or 1)
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert gunicorn_settings()["workers"] == 5


def test_the_master_loads_urls_and_catalogues_and_leaves_no_database_connection(monkeypatch):
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    gunicorn_settings()["when_ready"](None)
    assert closed == [True]  # a connection made while loading would otherwise be shared by workers
    assert translation.get_language() == settings.LANGUAGE_CODE  # nothing left activated


def test_what_the_master_loaded_is_frozen_before_each_fork():
    assert gc.get_freeze_count() == 0
    try:
        gunicorn_settings()["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
