"""Importing government records: within the agency's scope, all or nothing, errors by line and column."""

import datetime as dt
from decimal import Decimal

import pytest

from government.importing import GOVERNMENT_RECORD_IMPORTER, import_government_records
from government.models import DishonestyRecord
from registry.models import AuditEntry
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory, GovernmentBodyFactory
from tests.government.helpers import clerk_of

pytestmark = pytest.mark.django_db
HEADER = (
    "uscc,kind,document_number,case_number,facts,listed_on,amount,creditor_uscc,due_on,overdue_since,"
    "cleared_on,cleared_how\n"
)


def csv_file(tmp_path, *lines: str):
    path = tmp_path / "records.csv"
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_a_finance_bureau_imports_arrears_and_a_second_run_changes_nothing(tmp_path):
    finance = AgencyFactory(kind="finance")
    body, creditor = GovernmentBodyFactory(), EnterpriseFactory()
    path = csv_file(
        tmp_path,
        f'{body.uscc},arrears,赣财清欠〔2026〕1号,,拖欠工程款,2026-02-01,"1,250,000.50",{creditor.uscc},2025-06-30,2025-07-01,,',
        f"{body.uscc},arrears,赣财清欠〔2026〕2号,,拖欠采购款,2026-02-01,80000,{creditor.uscc},2025-06-30,2025-07-01,2026-05-01,settled",
    )
    clerk = clerk_of(finance)
    checked = import_government_records(agency=finance, path=path, actor=clerk, dry_run=True)
    assert (checked.create, checked.errors) == (2, []) and not DishonestyRecord.objects.exists()
    done = import_government_records(agency=finance, path=path, actor=clerk, dry_run=False)
    assert done.create == 2 and not done.errors
    first = DishonestyRecord.objects.get(document_number="赣财清欠〔2026〕1号")
    assert (
        first.amount == Decimal("1250000.50")
        and first.creditor == creditor
        and first.recording_agency == finance
    )
    assert DishonestyRecord.objects.get(document_number="赣财清欠〔2026〕2号").cleared_how == "settled"
    assert AuditEntry.objects.filter(via="import", action="create").count() == 2
    again = import_government_records(agency=finance, path=path, actor=clerk, dry_run=False)
    assert (again.create, again.change, again.unchanged) == (0, 0, 2)


def test_a_later_file_clears_an_open_record(tmp_path):
    court = AgencyFactory(kind="court")
    body = GovernmentBodyFactory()
    row = f"{body.uscc},court_defaulter,(2026)赣0921执7号,(2026)赣0921执7号,未履行,2026-01-05,300000,,,"
    import_government_records(agency=court, path=csv_file(tmp_path, row + ",,"), actor=SYSTEM, dry_run=False)
    done = import_government_records(
        agency=court, path=csv_file(tmp_path, row + ",2026-03-05,performed"), actor=SYSTEM, dry_run=False
    )
    assert done.change == 1
    assert DishonestyRecord.objects.get().cleared_on == dt.date(2026, 3, 5)


def test_bad_rows_are_named_by_line_and_column_and_nothing_is_written(tmp_path):
    finance = AgencyFactory(kind="finance")
    body, company = GovernmentBodyFactory(), EnterpriseFactory()
    path = csv_file(
        tmp_path,
        f"{body.uscc},arrears,F-1,,拖欠,2026-02-01,100,{company.uscc},2025-06-30,2025-07-01,,",  # good
        f"{company.uscc},arrears,F-2,,拖欠,2026-02-01,100,{company.uscc},2025-06-30,2025-07-01,,",
        f"{body.uscc},arrears,F-3,,拖欠,2026-02-01,-5,{company.uscc},2025-06-30,2025-07-01,,",  # negative
        f"{body.uscc},arrears,F-4,,拖欠,2026-03-01,100,{company.uscc},2025-06-30,2025-07-01,2026-02-01,performed",
        f"{body.uscc},arrears,F-5,,拖欠,2026-13-01,100,{company.uscc},2025-06-30,2025-07-01,,",  # bad date
        f"{body.uscc},bribery,F-6,,拖欠,2026-02-01,100,{company.uscc},2025-06-30,2025-07-01,,",
        f"{body.uscc},arrears,F-1,,拖欠,2026-02-01,100,{company.uscc},2025-06-30,2025-07-01,,",  # duplicate
    )
    outcome = import_government_records(agency=finance, path=path, actor=SYSTEM, dry_run=False)
    messages = {(error.line, error.column): error.message for error in outcome.errors}
    assert "not a government body" in messages[(3, "uscc")]
    assert "not a positive RMB amount" in messages[(4, "amount")]
    assert "cannot come before the listed date" in messages[(5, "")]
    assert "not a date like" in messages[(6, "listed_on")]
    assert "is not one of" in messages[(7, "kind")]
    assert "also on line 2" in messages[(8, "document_number")]
    assert not DishonestyRecord.objects.exists()
    assert not AuditEntry.objects.filter(via="import").exists()


def test_a_clerk_imports_only_for_their_agency_and_only_its_kinds(tmp_path):
    court, finance = AgencyFactory(kind="court"), AgencyFactory(kind="finance")
    clerk = clerk_of(court)
    assert [target.code for target in GOVERNMENT_RECORD_IMPORTER.targets(clerk)] == [court.short_code]
    assert GOVERNMENT_RECORD_IMPORTER.may_import(clerk, court.short_code)
    assert not GOVERNMENT_RECORD_IMPORTER.may_import(clerk, finance.short_code)
    body, company = GovernmentBodyFactory(), EnterpriseFactory()
    path = csv_file(
        tmp_path, f"{body.uscc},arrears,F-9,,拖欠,2026-02-01,100,{company.uscc},2025-06-30,2025-07-01,,"
    )
    outcome = import_government_records(agency=court, path=path, actor=clerk, dry_run=False)
    assert outcome.errors[0].line == 2 and "does not keep records of this kind" in outcome.errors[0].message
    assert not DishonestyRecord.objects.exists()
