"""Enterprise imports by upload in admin: preview, all-or-nothing write, permissions, the pages."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AgencyMembership
from core.classification import Classification
from imports.models import ImportRun
from imports.services import import_run_confirm, import_run_start
from registry.models import Agency, AuditEntry, Document, Enterprise, Job
from registry.services.jobs import jobs_run_pending
from tests.factories import EnterpriseFactory, make_uscc

pytestmark = pytest.mark.django_db

HEADER = ["uscc", "name", "established", "status", "region_code"]


def enterprise_row(**overrides):
    values = {
        "uscc": make_uscc(),
        "name": "合肥华信科技有限公司",
        "established": "2018-03-09",
        "status": "in_operation",
        "region_code": "340100",
    }
    values.update(overrides)
    return values


def csv_upload(rows, header=None, name="enterprises.csv") -> SimpleUploadedFile:
    header = header or list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def hefei() -> Agency:
    return Agency.objects.get(name_zh="合肥市市场监督管理局")


def clerk(agency: Agency, username: str = "clerk") -> User:
    user = User.objects.create_user(username, password="pw-123456789", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registry"))
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def test_preview_counts_rows_to_create_change_and_leave_unchanged():
    agency = hefei()
    kept = EnterpriseFactory(name="合肥旧名有限公司", registration_authority=agency, region_id="340100")
    renamed = EnterpriseFactory(name="合肥改名前有限公司", registration_authority=agency, region_id="340100")
    same = {
        "uscc": kept.uscc,
        "name": kept.name,
        "established": kept.established.isoformat(),
        "status": kept.status,
        "region_code": kept.region_id,
    }
    changed = {
        **same,
        "uscc": renamed.uscc,
        "name": "合肥改名后有限公司",
        "established": renamed.established.isoformat(),
    }
    rows = [enterprise_row(), enterprise_row(name="合肥第二科技有限公司"), same, changed]
    before = AuditEntry.objects.filter(via="import").count()
    run = import_run_start(kind="enterprises", uploaded_file=csv_upload(rows), actor=clerk(agency))
    assert run.status == ImportRun.Status.READY
    assert run.preview["create"] == 2 and run.preview["change"] == 1 and run.preview["unchanged"] == 1
    # The preview wrote nothing.
    assert Enterprise.objects.count() == 2
    assert Enterprise.objects.get(pk=renamed.pk).name == "合肥改名前有限公司"
    assert AuditEntry.objects.filter(via="import").count() == before


def test_preview_lists_every_error_with_line_and_column_and_writes_nothing():
    rows = [enterprise_row(), enterprise_row(established="2018-02-30"), enterprise_row(region_code="999999")]
    run = import_run_start(kind="enterprises", uploaded_file=csv_upload(rows), actor=clerk(hefei()))
    assert run.status == ImportRun.Status.INVALID
    assert [(e["line"], e["column"]) for e in run.errors] == [(3, "established"), (4, "region_code")]
    assert "YYYY-MM-DD" in run.errors[0]["message"]
    assert Enterprise.objects.count() == 0


def test_errors_are_in_the_clerks_language():
    from django.utils import translation

    rows = [enterprise_row(established="2018-02-30")]
    with translation.override("zh-hans"):
        run = import_run_start(kind="enterprises", uploaded_file=csv_upload(rows), actor=clerk(hefei()))
    assert run.language == "zh-hans"
    assert run.errors[0]["line"] == 2
    assert "YYYY-MM-DD" in run.errors[0]["message"]


def test_confirm_writes_all_rows_with_one_audit_entry_for_the_import():
    user = clerk(hefei())
    rows = [enterprise_row(name=f"合肥华信{n}科技有限公司") for n in range(3)]
    run = import_run_start(kind="enterprises", uploaded_file=csv_upload(rows), actor=user)
    run = import_run_confirm(run=run, actor=user)
    assert run.status == ImportRun.Status.DONE
    assert run.result["create"] == 3
    assert Enterprise.objects.filter(registration_authority=hefei()).count() == 3
    assert run.audit_entry.object_pk == str(run.pk) and run.audit_entry.actor == user
    assert AuditEntry.objects.filter(via="import", actor=user).count() >= 3


def test_write_is_all_or_nothing_when_the_data_changed_after_the_preview():
    user = clerk(hefei())
    taken = make_uscc()
    rows = [enterprise_row(), enterprise_row(uscc=taken, name="合肥后来者有限公司")]
    run = import_run_start(kind="enterprises", uploaded_file=csv_upload(rows), actor=user)
    assert run.status == ImportRun.Status.READY
    # Meanwhile another authority registers that code: the confirmed write must now refuse it.
    EnterpriseFactory(uscc=taken, registration_authority=Agency.objects.get(short_code="amr-340000"))
    run = import_run_confirm(run=run, actor=user)
    assert run.status == ImportRun.Status.INVALID
    assert run.errors[0]["line"] == 3 and run.errors[0]["column"] == "uscc"
    assert Enterprise.objects.count() == 1  # only the one made meanwhile


def test_the_uploaded_file_is_kept_as_restricted_evidence():
    run = import_run_start(
        kind="enterprises", uploaded_file=csv_upload([enterprise_row()]), actor=clerk(hefei())
    )
    document = run.document
    assert document.kind == Document.Kind.IMPORT_FILE and document.enterprise is None
    assert document.content_type == "text/csv" and document.original_name == "enterprises.csv"
    assert Document.classification == Classification.RESTRICTED
    with document.file.open("rb") as handle:
        assert handle.read().startswith(b"uscc,name")


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    from django.core.exceptions import ValidationError

    upload = SimpleUploadedFile("x.csv", b"%PDF-1.4\x00\x01binary", content_type="text/csv")
    with pytest.raises(ValidationError, match=r"\.csv and \.xlsx"):
        import_run_start(kind="enterprises", uploaded_file=upload, actor=clerk(hefei()))
    assert not ImportRun.objects.exists()


def test_a_clerk_imports_only_enterprises_their_authority_registers():
    user = clerk(hefei())
    other = EnterpriseFactory(registration_authority=Agency.objects.get(short_code="amr-340000"))
    rows = [
        enterprise_row(uscc=other.uscc, name=other.name, established=other.established.isoformat()),
        {**enterprise_row(registration_authority="amr-340000")},
    ]
    header = [*HEADER, "registration_authority"]
    run = import_run_start(kind="enterprises", uploaded_file=csv_upload(rows, header=header), actor=user)
    assert run.status == ImportRun.Status.INVALID
    assert [(e["line"], e["column"]) for e in run.errors] == [(2, "uscc"), (3, "registration_authority")]


def test_a_court_clerk_may_not_import_enterprises():
    court = Agency.objects.get(short_code="spc")
    with pytest.raises(PermissionDenied):
        import_run_start(kind="enterprises", uploaded_file=csv_upload([enterprise_row()]), actor=clerk(court))


def test_large_files_are_checked_and_written_by_the_queue(settings):
    settings.IMPORT_INLINE_MAX_BYTES = 10
    user = clerk(hefei())
    run = import_run_start(kind="enterprises", uploaded_file=csv_upload([enterprise_row()]), actor=user)
    assert run.status == ImportRun.Status.CHECKING and run.job.kind == "import.check"
    assert jobs_run_pending() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.READY and run.preview["create"] == 1
    run = import_run_confirm(run=run, actor=user)
    assert run.status == ImportRun.Status.WRITING and Enterprise.objects.count() == 0
    assert jobs_run_pending() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and Enterprise.objects.count() == 1
    assert Job.objects.get(pk=run.job_id).status == Job.Status.DONE
    # A retried write job (its worker died after the commit) writes nothing twice.
    from imports.services import import_run_write

    import_run_write(run=run)
    assert Enterprise.objects.count() == 1


# --- the pages ---------------------------------------------------------------------------------


def test_pages_upload_preview_confirm_result(client):
    user = clerk(hefei())
    client.force_login(user)
    home = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:imports_importrun_choose") in home
    choose = client.get(reverse("admin:imports_importrun_choose")).content.decode()
    upload_url = reverse("admin:imports_importrun_upload", args=["enterprises"])
    assert upload_url in choose
    bad = client.post(upload_url, {"file": csv_upload([enterprise_row(), enterprise_row(status="nonsense")])})
    detail = client.get(bad["Location"]).content.decode()
    assert 'id="import-errors"' in detail and "<td>3</td><td>status</td>" in detail
    good = client.post(upload_url, {"file": csv_upload([enterprise_row()])})
    run = ImportRun.objects.get(pk=int(good["Location"].rstrip("/").split("/")[-1]))
    page = client.get(good["Location"]).content.decode()
    assert "Confirm and import" in page
    done = client.post(reverse("admin:imports_importrun_confirm", args=[run.pk]))
    page = client.get(done["Location"]).content.decode()
    run.refresh_from_db()
    assert reverse("admin:registry_auditentry_change", args=[run.audit_entry_id]) in page
    assert Enterprise.objects.count() == 1
    # Confirming twice is refused with the reason, and writes nothing again.
    again = client.post(reverse("admin:imports_importrun_confirm", args=[run.pk]))
    assert again.status_code == 400 and Enterprise.objects.count() == 1


def test_an_upload_without_a_file_is_a_400_naming_the_field(client):
    client.force_login(clerk(hefei()))
    response = client.post(reverse("admin:imports_importrun_upload", args=["enterprises"]), {})
    assert response.status_code == 400
    assert 'href="#id_file"' in response.content.decode()


def test_another_agencys_clerk_neither_sees_nor_opens_the_import(client):
    run = import_run_start(
        kind="enterprises", uploaded_file=csv_upload([enterprise_row()]), actor=clerk(hefei())
    )
    client.force_login(clerk(Agency.objects.get(short_code="amr-340000"), "other"))
    assert client.get(reverse("admin:imports_importrun_detail", args=[run.pk])).status_code == 404
    assert client.post(reverse("admin:imports_importrun_confirm", args=[run.pk])).status_code == 404
    listing = client.get(reverse("admin:imports_importrun_changelist")).content.decode()
    assert "enterprises.csv" not in listing
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.READY


def test_the_imports_list_and_home_section_take_few_queries(client, django_assert_max_num_queries):
    user = clerk(hefei())
    for _ in range(4):
        import_run_start(kind="enterprises", uploaded_file=csv_upload([enterprise_row()]), actor=user)
    client.force_login(user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:imports_importrun_changelist")).status_code == 200
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    with django_assert_max_num_queries(6):
        html = Template('{% include "admin/imports/_in_progress.html" %}').render(
            Context({"request": request})
        )
    assert html.count("enterprises.csv") == 4


def test_the_agencys_clerks_download_the_evidence_and_each_read_is_audited(client):
    owner = clerk(hefei())
    run = import_run_start(kind="enterprises", uploaded_file=csv_upload([enterprise_row()]), actor=owner)
    url = reverse("admin:imports_importrun_file", args=[run.pk])
    client.force_login(clerk(Agency.objects.get(short_code="amr-340000"), "other"))
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"uscc,name")
    read = AuditEntry.objects.get(action=AuditEntry.Action.READ, object_pk=str(run.document_id))
    assert read.actor == owner and f"import {run.pk}" in read.reason
