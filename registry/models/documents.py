"""Documents companies upload as evidence (objections, credit repair, annual reports).

Kept in private storage (``settings.PRIVATE_MEDIA_ROOT``, never under the static root and never
served by URL): the portal streams a document only to the users allowed to see it
(``portal.permissions.document_read_grounds``): the enterprise's own users, clerks of the agency
that decides the case the document belongs to, and the central credit office (superusers and users
holding ``registry.read_any_document``).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from core.classification import Classification

# Checked by content (core.uploads.sniff_content_type), never by the file name.
ALLOWED_CONTENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
# A clerk's import file (core.uploads.check_spreadsheet_upload), kept as the import's evidence.
SPREADSHEET_CONTENT_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    # A callable, so migrations name this function instead of freezing one machine's folder.
    return _private_storage


def document_path(instance: "Document", filename: str) -> str:
    # The stored name is the content hash: the uploader's file name is kept only as data.
    return f"documents/{instance.sha256[:2]}/{instance.sha256}"


class Document(models.Model):
    class Kind(models.TextChoices):
        REPAIR_APPLICATION = "repair_application", _("credit repair application")
        REPAIR_COMMITMENT = "repair_commitment", _("credit repair commitment letter")
        PROOF_OF_PERFORMANCE = "proof_of_performance", _("proof of performance (e.g. payment receipt)")
        AUTHORISATION = "authorisation", _("authorisation of the person applying")
        TRAINING_CERTIFICATE = "training_certificate", _("credit repair training certificate")
        OBJECTION_EVIDENCE = "objection_evidence", _("evidence for an objection")
        ANNUAL_REPORT = "annual_report", _("annual report attachment")
        IMPORT_FILE = "import_file", _("spreadsheet a clerk imported")
        OTHER = "other", _("other document")

    classification = Classification.RESTRICTED

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        help_text=_("Empty only for a clerk's import file, which concerns many subjects."),
    )
    kind = models.CharField(_("kind of document"), max_length=32, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=document_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=80)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        permissions = [
            ("read_any_document", _("Can read every enterprise's documents (central credit office)"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=ALLOWED_CONTENT_TYPES)
                | Q(kind="import_file", content_type__in=SPREADSHEET_CONTENT_TYPES),
                name="document_content_type_allowed",
                violation_error_message=_("Only PDF, JPEG and PNG documents are accepted."),
            ),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | Q(kind="import_file"),
                name="document_enterprise_unless_import",
                violation_error_message=_("A document belongs to an enterprise."),
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0),
                name="document_not_empty",
                violation_error_message=_("A document has at least one byte."),
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="document_sha256_shape",
                violation_error_message=_("A SHA-256 is 64 lower-case hexadecimal characters."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.original_name or self.sha256[:12]})"
