"""Django admin for the master database, usable by an agency clerk.

Every save and delete goes through ``registry.services`` (see ``registry.admin.base``).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.admin import (  # noqa: F401  (registers the models)
    audit,
    calendar,
    records,
    reference,
    subjects,
)

admin.site.site_header = _("Public credit information — agency administration")
admin.site.site_title = _("Public credit information — agency administration")
admin.site.index_title = _("Agency administration")
