"""Imports in admin: choose, upload, preview, confirm, result; and the list of an agency's imports.

Thin pages over ``imports.services``; every importer registered in ``imports.kinds`` gets the
same pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import clerk_agency, is_unrestricted
from core.uploads import SPREADSHEET_SUFFIX
from imports.kinds import importer_for, importers
from imports.models import ImportRun
from imports.services import (
    import_file_read,
    import_may_start,
    import_run_cancel,
    import_run_confirm,
    import_run_start,
    import_runs_visible,
)


class UploadForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Import into"), required=False)
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("A UTF-8 .csv file or an .xlsx workbook; the first row names the columns."),
    )

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is None:
            del self.fields["target"]
        else:
            self.fields["target"].required = True
            self.fields["target"].choices = [(t.code, t.label) for t in targets]


# Target names (a list's name) looked up once per page, not once per row.
_labels: ContextVar[dict | None] = ContextVar("import_target_labels", default=None)


@contextlib.contextmanager
def labels_cached() -> Iterator[None]:
    token = _labels.set({})
    try:
        yield
    finally:
        _labels.reset(token)


def kind_label(run: ImportRun) -> str:
    importer = importer_for(run.kind)
    if importer is None:
        return run.kind
    label = str(importer.label())
    if not run.target:
        return label
    cache = _labels.get()
    key = (run.kind, run.target)
    if cache is None or key not in cache:
        name = importer.target_label(run.target)
        if cache is None:
            return f"{label}: {name}"
        cache[key] = name
    return f"{label}: {cache[key]}"


def available_imports(user) -> list[dict]:
    """What ``user`` may import: one entry per importer and target, with its upload page."""
    choices = []
    for importer in importers():
        url = reverse("admin:imports_importrun_upload", args=[importer.kind])
        if importer.targets is None:
            if importer.may_import(user, ""):
                choices.append({"label": str(importer.label()), "url": url})
            continue
        for target in importer.targets(user):
            choices.append(
                {"label": f"{importer.label()}: {target.label}", "url": f"{url}?target={target.code}"}
            )
    return choices


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "what", "file_name", "status", "created_by", "agency")
    list_display_links = ("created_at",)
    list_filter = ("status", "kind")
    list_select_related = ("document", "created_by", "agency")
    ordering = ("-created_at", "-id")
    change_list_template = "admin/imports/change_list.html"

    # Every clerk may see their agency's imports and start the ones the importers allow; the
    # rules are the services', not Django's model permissions.
    def _is_clerk(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and (is_unrestricted(user) or clerk_agency(user)))

    def has_module_permission(self, request):
        return self._is_clerk(request)

    def has_view_permission(self, request, obj=None):
        return self._is_clerk(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return import_runs_visible(request.user, super().get_queryset(request))

    @admin.display(description=gettext_lazy("what"))
    def what(self, obj):
        return kind_label(obj)

    @admin.display(description=gettext_lazy("file"))
    def file_name(self, obj):
        return obj.document.original_name

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "available_imports": available_imports(request.user)}
        with labels_cached():
            response = super().changelist_view(request, extra_context=extra_context)
            return response.render() if hasattr(response, "render") else response

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("new/", wrap(self.choose_view), name="imports_importrun_choose"),
            path("new/<slug:kind>/", wrap(self.upload_view), name="imports_importrun_upload"),
            path("<int:pk>/confirm/", wrap(self.confirm_view), name="imports_importrun_confirm"),
            path("<int:pk>/cancel/", wrap(self.cancel_view), name="imports_importrun_cancel"),
            path("<int:pk>/file/", wrap(self.file_view), name="imports_importrun_file"),
            path("<int:pk>/", wrap(self.detail_view), name="imports_importrun_detail"),
            *super().get_urls(),
        ]

    def _context(self, request, title: str, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def choose_view(self, request):
        if not self._is_clerk(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/imports/choose.html",
            self._context(request, _("New import"), available_imports=available_imports(request.user)),
        )

    def upload_view(self, request, kind: str):
        importer = importer_for(kind)
        if importer is None:
            raise Http404(_("There is no such import."))
        targets = importer.targets(request.user) if importer.targets is not None else None
        if targets is None and not importer.may_import(request.user, ""):
            raise PermissionDenied(_("Your agency may not import this data."))
        if targets is not None and not targets:
            raise PermissionDenied(_("Your agency owns no list that can be imported."))
        status = 200
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES, targets=targets)
            if form.is_valid():
                target = form.cleaned_data.get("target") or ""
                if not import_may_start(actor=request.user, kind=kind, target=target):
                    raise PermissionDenied(_("Your agency may not import into this list."))
                try:
                    run = import_run_start(
                        kind=kind, target=target, uploaded_file=form.cleaned_data["file"], actor=request.user
                    )
                except ValidationError as exc:
                    form.add_error("file", exc)
                else:
                    return HttpResponseRedirect(reverse("admin:imports_importrun_detail", args=[run.pk]))
            status = 400
        else:
            form = UploadForm(initial={"target": request.GET.get("target", "")}, targets=targets)
        context = self._context(
            request,
            _("Import: %(what)s") % {"what": importer.label()},
            form=form,
            importer=importer,
            errors_count=len(form.errors),
        )
        return TemplateResponse(request, "admin/imports/upload.html", context, status=status)

    def _run(self, request, pk: int) -> ImportRun:
        run = (
            import_runs_visible(
                request.user, ImportRun.objects.select_related("document", "job", "created_by")
            )
            .filter(pk=pk)
            .first()
        )
        if run is None:
            # Another agency's import is not shown, nor said to exist.
            raise Http404(_("There is no such import."))
        return run

    def detail_view(self, request, pk: int, *, problem: str = "", status: int = 200):
        run = self._run(request, pk)
        importer = importer_for(run.kind)
        results_url = importer.results_url(run.target) if importer and importer.results_url else None
        audit_url = (
            reverse("admin:registry_auditentry_change", args=[run.audit_entry_id])
            if run.audit_entry_id
            else None
        )
        upload_url = reverse("admin:imports_importrun_upload", args=[run.kind])
        if run.target:
            upload_url += f"?target={run.target}"
        context = self._context(
            request,
            _("Import of %(file)s") % {"file": run.document.original_name},
            run=run,
            what=kind_label(run),
            results_url=results_url,
            audit_url=audit_url,
            upload_url=upload_url,
            may_act=import_may_start(actor=request.user, kind=run.kind, target=run.target),
            problem=problem,
        )
        return TemplateResponse(request, "admin/imports/detail.html", context, status=status)

    def _post_action(self, request, pk: int, action):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:imports_importrun_detail", args=[pk]))
        run = self._run(request, pk)
        try:
            action(run=run, actor=request.user)
        except ValidationError as exc:
            return self.detail_view(request, pk, problem=" ".join(exc.messages), status=400)
        return HttpResponseRedirect(reverse("admin:imports_importrun_detail", args=[pk]))

    def confirm_view(self, request, pk: int):
        return self._post_action(request, pk, import_run_confirm)

    def cancel_view(self, request, pk: int):
        response = self._post_action(request, pk, import_run_cancel)
        if response.status_code == 302 and request.method == "POST":
            messages.info(request, _("The import was cancelled; nothing was written."))
        return response

    def file_view(self, request, pk: int):
        """The uploaded file, to the clerks who may see the import; every read is audited."""
        run = self._run(request, pk)
        import_file_read(run=run, actor=request.user)
        suffix = SPREADSHEET_SUFFIX[run.document.content_type]
        return FileResponse(
            run.document.file.open("rb"),
            as_attachment=True,
            filename=f"import-{run.pk}{suffix}",
            content_type=run.document.content_type,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:imports_importrun_detail", args=[object_id]))
