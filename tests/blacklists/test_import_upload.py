"""List imports by upload in admin: only into lists the clerk's agency owns; preview; write."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AgencyMembership
from blacklists.models import ListEntry, ListType
from imports.models import ImportRun
from imports.services import import_run_confirm, import_run_start
from registry.models import Agency
from tests.blacklists.test_import_list import defaulter

pytestmark = pytest.mark.django_db


def upload(rows, name="defaulters.csv") -> SimpleUploadedFile:
    header = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def clerk(short_code: str, username: str) -> User:
    user = User.objects.create_user(username, password="pw-123456789", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["blacklists", "registry"])
    )
    AgencyMembership.objects.create(user=user, agency=Agency.objects.get(short_code=short_code))
    return user


def test_preview_then_write_of_a_list_import():
    court = clerk("spc", "court-clerk")
    rows = [defaulter(case_number="(2019)皖1122执1194号"), defaulter(case_number="(2019)皖1122执1195号")]
    run = import_run_start(kind="list", target="court-defaulters", uploaded_file=upload(rows), actor=court)
    assert run.status == ImportRun.Status.READY
    assert (run.preview["create"], run.preview["change"], run.preview["unchanged"]) == (2, 0, 0)
    assert not ListEntry.objects.exists()
    run = import_run_confirm(run=run, actor=court)
    assert run.status == ImportRun.Status.DONE and run.result["create"] == 2
    assert ListEntry.objects.filter(list_type__code="court-defaulters").count() == 2
    # The same file again: both rows already listed, left unchanged.
    again = import_run_start(kind="list", target="court-defaulters", uploaded_file=upload(rows), actor=court)
    assert (again.preview["create"], again.preview["unchanged"]) == (0, 2)


def test_a_bad_line_is_named_and_nothing_is_written():
    court = clerk("spc", "court-clerk")
    rows = [defaulter(case_number="(2019)皖1122执1194号"), defaulter(filing_date="2019-13-01")]
    run = import_run_start(kind="list", target="court-defaulters", uploaded_file=upload(rows), actor=court)
    assert run.status == ImportRun.Status.INVALID
    assert [(e["line"], e["column"]) for e in run.errors] == [(3, "filing_date")]
    assert not ListEntry.objects.exists()


def test_a_clerk_may_not_upload_to_a_list_their_agency_does_not_own(client):
    bureau = clerk("amr-340000", "bureau-clerk")
    rows = [defaulter()]
    with pytest.raises(PermissionDenied):
        import_run_start(kind="list", target="court-defaulters", uploaded_file=upload(rows), actor=bureau)
    client.force_login(bureau)
    url = reverse("admin:imports_importrun_upload", args=["list"])
    assert client.get(f"{url}?target=court-defaulters").status_code == 403
    response = client.post(url, {"target": "court-defaulters", "file": upload(rows)})
    assert response.status_code == 403
    choose = client.get(reverse("admin:imports_importrun_choose")).content.decode()
    assert "court-defaulters" not in choose
    assert not ImportRun.objects.exists() and not ListEntry.objects.exists()


def test_the_import_service_refuses_a_clerk_of_another_agency_even_from_code(tmp_path):
    from blacklists.importing.run import import_list

    path = tmp_path / "f.csv"
    path.write_bytes(upload([defaulter()]).read())
    with pytest.raises(PermissionDenied):
        import_list(list_code="court-defaulters", path=path, actor=clerk("amr-340000", "bureau-clerk"))


def test_the_court_clerk_is_offered_the_court_lists(client):
    client.force_login(clerk("spc", "court-clerk"))
    choose = client.get(reverse("admin:imports_importrun_choose")).content.decode()
    names = ListType.objects.filter(code__in=["court-defaulters", "consumption-restriction"])
    for list_type in names:
        assert f"?target={list_type.code}" in choose
    # Enterprises are imported by registration authorities, not by courts.
    assert reverse("admin:imports_importrun_upload", args=["enterprises"]) not in choose


def test_the_result_page_links_to_the_entries(client):
    court = clerk("spc", "court-clerk")
    run = import_run_start(
        kind="list", target="court-defaulters", uploaded_file=upload([defaulter()]), actor=court
    )
    import_run_confirm(run=run, actor=court)
    client.force_login(court)
    page = client.get(reverse("admin:imports_importrun_detail", args=[run.pk])).content.decode()
    list_type = ListType.objects.get(code="court-defaulters")
    assert f"?list_type__id__exact={list_type.pk}" in page


def test_the_imports_pages_name_each_list_once_not_once_per_row(client, django_assert_max_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    court = clerk("spc", "court-clerk")
    for number in range(4):
        import_run_start(
            kind="list",
            target="court-defaulters" if number % 2 else "consumption-restriction",
            uploaded_file=upload([defaulter(filing_date="2019-13-01")]),
            actor=court,
        )
    client.force_login(court)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("admin:imports_importrun_changelist"))
    assert page.content.decode().count("defaulters.csv") == 4
    request = RequestFactory().get("/")
    request.user = court
    with django_assert_max_num_queries(6):
        html = Template('{% include "admin/imports/_in_progress.html" %}').render(
            Context({"request": request})
        )
    assert html.count("defaulters.csv") == 4
