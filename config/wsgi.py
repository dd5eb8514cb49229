import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# With DEBUG off, refuse to start without the static files manifest (collectstatic not run) rather
# than answer every page with a server error.
from portal.checks import refuse_to_serve_without_static_manifest  # noqa: E402

refuse_to_serve_without_static_manifest()
