"""Agency grade imports: all or nothing, every problem on its line, each agency its own schemes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from imports.models import ImportRun
from imports.services import import_run_confirm, import_run_start
from registry.importing.spreadsheet import ImportFileError
from registry.models import Agency, AuditEntry
from scoring.importing.agency_grades import AgencyGradeImportError, import_agency_grades
from scoring.models import AgencyGrade
from scoring.services.agency_grades import agency_grade_record
from tests.factories import EnterpriseFactory, make_uscc
from tests.scoring.agency_grade_helpers import (
    CUSTOMS,
    TAX,
    clerk,
    last_year,
    month_ago,
    row,
    scheme,
    today,
    upload,
    write,
)

pytestmark = pytest.mark.django_db


def errors_of(tmp_path, rows, *, scheme_code=TAX, actor=None) -> list[tuple[int, str, str]]:
    kwargs = {"actor": actor} if actor else {}
    with pytest.raises(AgencyGradeImportError) as caught:
        import_agency_grades(scheme_code=scheme_code, path=write(tmp_path, rows), **kwargs)
    assert not AgencyGrade.objects.exists()
    return [(error.line, error.column, error.message) for error in caught.value.errors]


def test_an_import_records_every_row_with_its_audit_entry(tmp_path):
    first, second = EnterpriseFactory(), EnterpriseFactory()
    rows = [row(first), row(second, grade="D级", valid_until=(today() + dt.timedelta(days=300)).isoformat())]
    report = import_agency_grades(scheme_code=TAX, path=write(tmp_path, rows))
    assert (report.created, report.changed, report.unchanged) == (2, 0, 0)
    a, d = AgencyGrade.objects.get(enterprise=first), AgencyGrade.objects.get(enterprise=second)
    assert (a.level.code, a.year, a.valid_from, a.valid_until) == ("A", last_year(), month_ago(), None)
    assert d.level.code == "D" and d.issuing_agency.short_code == "sta"
    assert AuditEntry.objects.filter(object_pk=str(a.pk), via=AuditEntry.Via.IMPORT, action="create").exists()
    # The same file again changes nothing; a corrected grade is a change, audited.
    again = import_agency_grades(scheme_code=TAX, path=write(tmp_path, rows))
    assert (again.created, again.unchanged) == (0, 2)
    rows[0]["grade"] = "B"
    corrected = import_agency_grades(scheme_code=TAX, path=write(tmp_path, rows))
    assert (corrected.changed, corrected.unchanged) == (1, 1)
    a.refresh_from_db()
    assert a.level.code == "B"
    assert AuditEntry.objects.filter(object_pk=str(a.pk), action="update").count() == 1


def test_chinese_headings_and_grade_names_are_accepted(tmp_path):
    enterprise = EnterpriseFactory()
    path = write(
        tmp_path,
        [
            {
                "统一社会信用代码": enterprise.uscc,
                "企业名称": enterprise.name,
                "认证类别": "高级认证企业",
                "年度": str(today().year),
                "有效期起": month_ago().isoformat(),
                "文书号": "署企信〔2026〕1号",
            }
        ],
    )
    import_agency_grades(scheme_code=CUSTOMS, path=path)
    assert AgencyGrade.objects.get().level.code == "advanced"


def test_a_scheme_with_a_validity_fills_in_the_end(tmp_path):
    enterprise = EnterpriseFactory()
    rows = [row(enterprise, grade="green", valid_from=f"{today().year}-02-01")]
    import_agency_grades(scheme_code="mee-environmental-credit", path=write(tmp_path, rows))
    assert AgencyGrade.objects.get().valid_until == dt.date(today().year + 1, 1, 31)


def test_an_unknown_grade_is_named_and_nothing_is_written(tmp_path):
    good, bad = EnterpriseFactory(), EnterpriseFactory()
    errors = errors_of(tmp_path, [row(good), row(bad, grade="AA")])
    assert [(line, column) for line, column, _message in errors] == [(3, "grade")]
    assert "'AA' is not a grade" in errors[0][2] and "A, B, M, C, D" in errors[0][2]


def test_a_grade_for_a_future_year_is_refused(tmp_path):
    errors = errors_of(tmp_path, [row(EnterpriseFactory(), year=str(today().year + 1))])
    assert errors == [(2, "year", f"{today().year + 1} has not begun: a grade cannot be for a future year")]


def test_an_unknown_uscc_is_refused(tmp_path):
    unknown = make_uscc("340100", 99_999_991)
    errors = errors_of(tmp_path, [{**row(EnterpriseFactory()), "uscc": unknown}])
    assert errors == [(2, "uscc", f"no registered enterprise has USCC {unknown}; register it first")]


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"uscc": "91340100MA2XXXXX0"}, "uscc", "is not a valid USCC"),
        ({"year": "25"}, "year", "is not a year"),
        ({"valid_from": "2026-02-30"}, "valid_from", "is not a date"),
        ({"valid_from": ""}, "valid_from", "a date is required"),
        ({"valid_until": "2000-01-01"}, "valid_until", "must end after it starts"),
        ({"year": "2026", "valid_from": "2025-12-31"}, "valid_from", "cannot hold before that year"),
        ({"issuing_agency": "nobody"}, "issuing_agency", "no agency has the short code 'nobody'"),
        ({"issuing_agency": "gac"}, "issuing_agency", "does not issue"),
    ],
)
def test_each_bad_cell_is_named(tmp_path, changes, column, message):
    errors = errors_of(tmp_path, [row(EnterpriseFactory(), **changes)])
    assert [(line, col) for line, col, _message in errors] == [(2, column)]
    assert message in errors[0][2]


def test_the_same_enterprise_and_year_twice_is_refused(tmp_path):
    enterprise = EnterpriseFactory()
    errors = errors_of(tmp_path, [row(enterprise), row(enterprise, grade="B")])
    assert errors == [(3, "year", "the same enterprise and year are already on line 2")]


def test_an_unknown_scheme_or_column_refuses_the_file(tmp_path):
    path = write(tmp_path, [row(EnterpriseFactory())])
    with pytest.raises(ImportFileError, match="Unknown grading scheme 'nope'"):
        import_agency_grades(scheme_code="nope", path=path)
    with pytest.raises(ImportFileError, match="column 'colour' is not a known column"):
        import_agency_grades(
            scheme_code=TAX, path=write(tmp_path, [{**row(EnterpriseFactory()), "colour": "x"}])
        )
    assert not AgencyGrade.objects.exists()


def test_a_clerk_may_not_import_another_agencys_scheme(tmp_path):
    customs = clerk("gac", "customs-clerk")
    path = write(tmp_path, [row(EnterpriseFactory())])
    with pytest.raises(PermissionDenied, match="does not issue"):
        import_agency_grades(scheme_code=TAX, path=path, actor=customs)
    with pytest.raises(PermissionDenied):
        import_run_start(
            kind="agency-grades", target=TAX, uploaded_file=upload([row(EnterpriseFactory())]), actor=customs
        )
    assert not AgencyGrade.objects.exists() and not ImportRun.objects.exists()


def test_a_provincial_tax_service_imports_its_own_grades_only(tmp_path):
    anhui = clerk("tax-340000", "anhui-tax-clerk")
    enterprise = EnterpriseFactory()
    import_agency_grades(scheme_code=TAX, path=write(tmp_path, [row(enterprise)]), actor=anhui)
    assert AgencyGrade.objects.get().issuing_agency.short_code == "tax-340000"
    AgencyGrade.objects.all().delete()
    errors = errors_of(tmp_path, [row(enterprise, issuing_agency="tax-320000")], actor=anhui)
    assert errors[0][:2] == (2, "issuing_agency")
    assert "only grades your own agency issued" in errors[0][2]
    # The State Taxation Administration may record any tax service's grades.
    sta = clerk("sta", "sta-clerk")
    import_agency_grades(
        scheme_code=TAX, path=write(tmp_path, [row(enterprise, issuing_agency="tax-320000")]), actor=sta
    )
    assert AgencyGrade.objects.get().issuing_agency.short_code == "tax-320000"


def test_the_service_refuses_another_agencys_clerk_and_a_future_year():
    from django.core.exceptions import ValidationError

    tax = scheme(TAX)
    enterprise = EnterpriseFactory()
    values = {
        "via": "admin",
        "enterprise": enterprise,
        "scheme": tax,
        "level": tax.levels.get(code="A"),
        "valid_from": month_ago(),
    }
    with pytest.raises(PermissionDenied):
        agency_grade_record(actor=clerk("gac", "customs-clerk"), year=last_year(), **values)
    with pytest.raises(ValidationError, match="has not begun"):
        agency_grade_record(actor=clerk("sta", "sta-clerk"), year=today().year + 1, **values)
    with pytest.raises(ValidationError, match="not one of the scheme's grades"):
        agency_grade_record(
            actor=clerk("tax-340000", "anhui-clerk"),
            year=last_year(),
            **{**values, "level": scheme(CUSTOMS).levels.get(code="dishonest")},
        )
    assert not AgencyGrade.objects.exists()


def test_upload_in_admin_previews_then_writes(client):
    sta = clerk("sta", "sta-clerk")
    enterprise = EnterpriseFactory()
    run = import_run_start(
        kind="agency-grades", target=TAX, uploaded_file=upload([row(enterprise)]), actor=sta
    )
    assert run.status == ImportRun.Status.READY and run.preview["create"] == 1
    assert not AgencyGrade.objects.exists()
    run = import_run_confirm(run=run, actor=sta)
    assert run.status == ImportRun.Status.DONE and run.result["create"] == 1
    assert AgencyGrade.objects.get().enterprise == enterprise
    client.force_login(sta)
    page = client.get(reverse("admin:imports_importrun_detail", args=[run.pk])).content.decode()
    assert f"?scheme__code__exact={TAX}" in page
    assert client.get(reverse("admin:scoring_agencygrade_changelist")).status_code == 200


def test_a_bad_upload_lists_its_lines_and_writes_nothing():
    sta = clerk("sta", "sta-clerk")
    rows = [row(EnterpriseFactory()), row(EnterpriseFactory(), grade="Z")]
    run = import_run_start(kind="agency-grades", target=TAX, uploaded_file=upload(rows), actor=sta)
    assert run.status == ImportRun.Status.INVALID
    assert [(error["line"], error["column"]) for error in run.errors] == [(3, "grade")]
    assert not AgencyGrade.objects.exists()


def test_a_clerk_is_offered_only_the_schemes_their_agency_grades_in(client):
    client.force_login(clerk("gac", "customs-clerk"))
    choose = client.get(reverse("admin:imports_importrun_choose")).content.decode()
    assert f"?target={CUSTOMS}" in choose
    assert f"?target={TAX}" not in choose
    url = reverse("admin:imports_importrun_upload", args=["agency-grades"])
    form = client.get(f"{url}?target={TAX}").content.decode()
    assert f'value="{TAX}"' not in form and f'value="{CUSTOMS}"' in form
    response = client.post(url, {"target": TAX, "file": upload([row(EnterpriseFactory())])})
    assert response.status_code == 400
    assert not ImportRun.objects.exists() and not AgencyGrade.objects.exists()


def test_the_command_imports_and_reports_errors(tmp_path):
    enterprise = EnterpriseFactory()
    call_command("import_agency_grades", TAX, str(write(tmp_path, [row(enterprise)])))
    grade = AgencyGrade.objects.get()
    assert AuditEntry.objects.filter(object_pk=str(grade.pk), via=AuditEntry.Via.COMMAND).exists()
    with pytest.raises(CommandError, match="line 2, grade"):
        call_command("import_agency_grades", TAX, str(write(tmp_path, [row(enterprise, grade="Q")])))
    call_command("import_agency_grades", TAX, str(write(tmp_path, [row(EnterpriseFactory())])), "--dry-run")
    assert AgencyGrade.objects.count() == 1
    assert Agency.objects.filter(short_code="sta").exists()
