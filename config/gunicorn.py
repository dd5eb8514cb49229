"""gunicorn settings for production:

    gunicorn -c config/gunicorn.py config.wsgi

with ``DATABASE_URL`` set. Sync workers, each with one persistent database connection; how many:
``WEB_CONCURRENCY`` or ``-w N`` (default twice the cores). Options given on the command line win
over this file.

The application is loaded once, in the master, before the workers are forked (``preload_app``):
workers start with Django, the URLconf, every view and both translation catalogues already
imported (otherwise each worker's first request takes some 0.15 s importing them) and share those
pages of memory with the master. Then ``gc.freeze()`` moves everything loaded so far out of reach
of the garbage collector: a full collection in a worker walks only what the worker itself
allocated, instead of the hundred thousand objects of the loaded application (about 45 ms,
which a request would wait for). The price of ``preload_app``: a code change needs a restart of
gunicorn, not only a HUP to the master.
"""

import gc
import os

# A web request never waits on one statement for more than 30 s (milliseconds; see config/settings.py).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "30000")

wsgi_app = "config.wsgi"
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
preload_app = True


def when_ready(server):
    """In the master, after the application is loaded: load what Django loads on first use."""
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    for code, _name in settings.LANGUAGES:
        translation.activate(code)  # loads the catalogue, kept for the life of the process
    translation.deactivate()
    # Workers must open their own database connections, never share one made here.
    connections.close_all()


def pre_fork(server, worker):
    gc.freeze()
