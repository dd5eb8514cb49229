"""The agency format: every list but the two court lists, imported by the owning agency's clerks."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from blacklists.importing.run import ListImportError, import_list
from blacklists.models import ListEntry, ListType
from imports.models import ImportRun
from imports.services import import_run_confirm, import_run_start
from registry.models import AuditEntry, Person
from search.models import SearchDocument
from tests.blacklists.test_import_list import run, write_csv
from tests.blacklists.test_import_upload import clerk, upload
from tests.factories import EnterpriseFactory, make_resident_id, make_uscc

pytestmark = pytest.mark.django_db
DECIDED = timezone.localdate() - dt.timedelta(days=30)


def decision(enterprise=None, **overrides):
    row = {
        "name": enterprise.name if enterprise else "某某贸易有限公司",
        "uscc": enterprise.uscc if enterprise else make_uscc(serial=99999999),
        "decision_number": "海关失信〔2026〕1号",
        "decision_date": DECIDED.isoformat(),
        "legal_basis": "海关总署令第251号",
        "circumstance": "走私",
    }
    row.update(overrides)
    return row


def test_a_customs_clerk_previews_then_imports_a_dishonest_list():
    customs = clerk("gac", "customs-clerk")
    first, second = EnterpriseFactory(), EnterpriseFactory()
    rows = [decision(first), decision(second, decision_number="海关失信〔2026〕2号", severity="严重失信")]
    run_ = import_run_start(kind="list", target="gac-dishonest", uploaded_file=upload(rows), actor=customs)
    assert run_.status == ImportRun.Status.READY, run_.errors
    assert (run_.preview["create"], run_.preview["unchanged"]) == (2, 0)
    assert not ListEntry.objects.exists()
    run_ = import_run_confirm(run=run_, actor=customs)
    assert run_.status == ImportRun.Status.DONE and run_.result["create"] == 2
    entry = ListEntry.objects.get(enterprise=first)
    list_type = ListType.objects.get(code="gac-dishonest")
    assert entry.list_type == list_type and entry.issuing_agency == list_type.owner
    assert entry.starts_on == entry.published_on == DECIDED
    assert entry.planned_end == DECIDED + dt.timedelta(days=list_type.default_period_days)
    assert entry.severity == list_type.default_severity and entry.circumstance == "走私"
    assert entry.status_changes.count() == 1
    assert AuditEntry.objects.filter(via=AuditEntry.Via.IMPORT, object_pk=str(entry.pk)).exists()
    assert SearchDocument.objects.filter(kind="list_entry", object_id=entry.pk).exists()
    # The same file again: both decisions already listed, left unchanged.
    again = import_run_start(kind="list", target="gac-dishonest", uploaded_file=upload(rows), actor=customs)
    assert (again.preview["create"], again.preview["unchanged"]) == (0, 2)


def test_bad_lines_are_named_with_their_column_and_nothing_is_written():
    customs = clerk("gac", "customs-clerk")
    rows = [
        decision(EnterpriseFactory()),
        decision(uscc=make_uscc(serial=77777777)),
        decision(EnterpriseFactory(), decision_date="2026-02-30"),
        decision(name="张三丰", uscc="", id_number=make_resident_id()),
    ]
    run_ = import_run_start(kind="list", target="gac-dishonest", uploaded_file=upload(rows), actor=customs)
    assert run_.status == ImportRun.Status.INVALID
    assert [(e["line"], e["column"]) for e in run_.errors] == [
        (3, "uscc"),
        (4, "decision_date"),
        (5, "id_number"),
    ]
    assert "USCC" in run_.errors[0]["message"]
    assert not ListEntry.objects.exists()


def test_a_period_the_list_does_not_allow_is_named_by_the_service(tmp_path):
    rows = [decision(EnterpriseFactory(), planned_end=(DECIDED + dt.timedelta(days=10)).isoformat())]
    with pytest.raises(ListImportError) as caught:
        import_list(list_code="gac-dishonest", path=write_csv(tmp_path / "short.csv", rows))
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "planned_end")]
    assert not ListEntry.objects.exists()


def test_persons_are_found_or_created_by_id_number_without_storing_it(tmp_path):
    number = make_resident_id(region="110101", birth="19700101")
    rows = [
        decision(
            name="李四",
            uscc="",
            id_number=number,
            decision_number="税务〔2026〕3号",
            planned_end=(DECIDED + dt.timedelta(days=400)).isoformat(),
            issuing_agency="sta",
        )
    ]
    output = run("sta-major-tax-violations", write_csv(tmp_path / "tax.csv", rows))
    assert "1 entries created" in output
    person = Person.objects.get()
    assert number not in str(list(Person.objects.values_list()))
    entry = ListEntry.objects.get(person=person)
    assert entry.planned_end == DECIDED + dt.timedelta(days=400)
    assert "0 entries created, 1 already listed" in run("sta-major-tax-violations", tmp_path / "tax.csv")
    assert Person.objects.count() == 1


def test_an_issuing_agency_the_clerk_may_not_use_is_refused(tmp_path):
    customs = clerk("gac", "customs-clerk")
    rows = [decision(EnterpriseFactory(), issuing_agency="no-such-agency")]
    with pytest.raises(ListImportError) as caught:
        import_list(
            list_code="gac-dishonest", path=write_csv(tmp_path / "a.csv", rows), actor=customs, dry_run=True
        )
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "issuing_agency")]


def test_a_clerk_of_another_agency_is_refused_the_list(tmp_path, client):
    tax = clerk("sta", "tax-clerk")
    rows = [decision(EnterpriseFactory())]
    with pytest.raises(PermissionDenied):
        import_list(list_code="gac-dishonest", path=write_csv(tmp_path / "a.csv", rows), actor=tax)
    client.force_login(tax)
    url = reverse("admin:imports_importrun_upload", args=["list"])
    # The tax clerk's page offers only the tax office's lists; an upload to customs' is refused.
    page = client.get(f"{url}?target=gac-dishonest").content.decode()
    assert "sta-major-tax-violations" in page and "gac-dishonest" not in page
    response = client.post(url, {"target": "gac-dishonest", "file": upload(rows)})
    assert response.status_code == 400
    assert not ImportRun.objects.exists() and not ListEntry.objects.exists()


def test_the_upload_page_offers_the_agencys_own_lists(client):
    client.force_login(clerk("gac", "customs-clerk"))
    page = client.get(reverse("admin:imports_importrun_choose")).content.decode()
    assert "gac-dishonest" in page
    assert "court-defaulters" not in page and "sta-major-tax-violations" not in page
    url = reverse("admin:imports_importrun_upload", args=["list"])
    assert client.get(f"{url}?target=gac-dishonest").status_code == 200
