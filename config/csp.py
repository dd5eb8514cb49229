"""The Content-Security-Policy middleware: django-csp's, with one narrow exception for the API's
HTML pages (docs/security.md).

The Swagger UI and Redoc pages and the REST framework's browsable API are third-party templates
that set styles inline (a ``<style>`` element with generated text, ``style`` attributes, styles
injected by the Redoc bundle). On HTML answers under ``/api/`` the policy therefore allows inline
styles; scripts stay restricted to this site's files everywhere (Swagger UI is served with its
initialisation script as a file of its own, Redoc without settings so it needs none).
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

API_PREFIX = "/api/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and request.path_info.startswith(API_PREFIX):
            # A hash in style-src would make browsers ignore 'unsafe-inline': replace, not add.
            parts.replace = {**(parts.replace or {}), "style-src": [SELF, UNSAFE_INLINE]}
        return parts
