from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self) -> None:
        from django.urls import reverse

        from casework.admin.documents import document_url_builder_register
        from portal import checks  # noqa: F401 - registers the deployment checks

        # Clerks read an application's documents through the portal's audited download view.
        document_url_builder_register(lambda document: reverse("portal:document", args=[document.pk]))
