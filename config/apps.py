"""The admin app with the project's own site (``config.admin_site.ClerkAdminSite``)."""

from django.contrib.admin.apps import AdminConfig


class ClerkAdminConfig(AdminConfig):
    default_site = "config.admin_site.ClerkAdminSite"
