"""The site as gunicorn serves it, each response naming the worker process that answered.

For the tests that run a real gunicorn with several workers (tests/portal/test_limits_across_workers.py):
they check their requests were spread over more than one worker."""

import os

from config.wsgi import application as site


def application(environ, start_response):
    def start_naming_the_worker(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return site(environ, start_naming_the_worker)
