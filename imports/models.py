"""One clerk's spreadsheet import: the uploaded file (kept as evidence), its preview and result.

One model for every kind of import (enterprises, each list, and later agency grades and
inspection results): ``kind`` names the importer registered in ``imports.kinds`` and
``target`` what it imports into (a list's code), so the upload, preview and result pages, the
queue and the audit trail are shared.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class ImportRun(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("checking the file")
        INVALID = "invalid", _("has errors: nothing written")
        READY = "ready", _("checked: waiting for confirmation")
        WRITING = "writing", _("writing")
        DONE = "done", _("written")
        FAILED = "failed", _("failed: nothing written")
        CANCELLED = "cancelled", _("cancelled: nothing written")

    IN_PROGRESS = (Status.CHECKING, Status.WRITING)

    classification = Classification.GOVERNMENT

    kind = models.CharField(_("kind of import"), max_length=64)
    target = models.CharField(
        _("imported into"), max_length=64, blank=True, default="", help_text=_("A list's code, for lists.")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKING)
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The clerk's agency; empty for the central office."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language of the messages"), max_length=16, default="en")
    document = models.OneToOneField(
        "registry.Document",
        verbose_name=_("uploaded file"),
        on_delete=models.PROTECT,
        related_name="import_run",
    )
    job = models.ForeignKey(
        "registry.Job",
        verbose_name=_("background job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    preview = models.JSONField(
        _("preview"), default=dict, blank=True, help_text=_("Rows to create, change and leave unchanged.")
    )
    errors = models.JSONField(_("errors"), default=list, blank=True, help_text=_("Line, column and message."))
    result = models.JSONField(_("result"), default=dict, blank=True)
    audit_entry = models.ForeignKey(
        "registry.AuditEntry",
        verbose_name=_("audit entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "-created_at"], name="import_run_agency_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["checking", "invalid", "ready", "writing", "done", "failed", "cancelled"]
                ),
                name="import_run_status_known",
            ),
            models.CheckConstraint(condition=~Q(kind=""), name="import_run_kind_named"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(audit_entry__isnull=False, finished_at__isnull=False),
                name="import_run_done_is_audited",
            ),
        ]

    def __str__(self) -> str:
        name = self.document.original_name if self.document_id else ""
        return f"{self.kind}{'/' + self.target if self.target else ''} #{self.pk} {name}".strip()

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS
