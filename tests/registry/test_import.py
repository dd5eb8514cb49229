import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from registry.models import AuditEntry, Enterprise
from tests.factories import make_uscc, with_wrong_check_char

pytestmark = pytest.mark.django_db

HEADER = [
    "uscc",
    "name",
    "legal_representative",
    "established",
    "status",
    "region_code",
    "address",
    "business_scope",
    "registered_capital",
]


def row(**overrides):
    values = {
        "uscc": make_uscc(),
        "name": "合肥华信科技有限公司",
        "legal_representative": "王芳",
        "established": "2018-03-09",
        "status": "in_operation",
        "region_code": "340100",
        "address": "安徽省合肥市高新区创新大道1号",
        "business_scope": "软件开发",
        "registered_capital": "5000000",
    }
    values.update(overrides)
    return values


def write_csv(path: Path, rows, header=None) -> Path:
    header = header or list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for values in rows:
            writer.writerow([values.get(column, "") for column in header])
    return path


def run_import(path: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_enterprises", str(path), stdout=out)
    return out.getvalue()


def test_good_csv_creates_every_enterprise_with_an_import_audit(tmp_path):
    rows = [row(name=f"合肥华信{n}科技有限公司") for n in range(3)]
    output = run_import(write_csv(tmp_path / "good.csv", rows))
    assert "3 created" in output
    assert Enterprise.objects.count() == 3
    enterprise = Enterprise.objects.get(uscc=rows[0]["uscc"])
    assert enterprise.registered_capital == Decimal("5000000")
    assert enterprise.established == dt.date(2018, 3, 9)
    assert set(AuditEntry.objects.values_list("via", flat=True)) == {"import"}


def test_chinese_headings_and_values_are_accepted(tmp_path):
    header = [
        "统一社会信用代码",
        "企业名称",
        "法定代表人",
        "成立日期",
        "登记状态",
        "行政区划代码",
        "住所",
        "经营范围",
        "注册资本",
        "企业类型",
        "登记机关",
        "核准日期",
    ]
    # 合肥市市场监督管理局 ships with the reference data (generated from the divisions).
    code = make_uscc()
    path = tmp_path / "zh.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(
            [
                code,
                "合肥华信科技有限公司",
                "王芳",
                "2018-03-09",
                "存续",
                "340100",
                "合肥市",
                "软件开发",
                "500万元",
                "有限责任公司",
                "合肥市市场监督管理局",
                "2024-05-20",
            ]
        )
    run_import(path)
    enterprise = Enterprise.objects.get(uscc=code)
    assert enterprise.status == "in_operation"
    assert enterprise.registered_capital == Decimal("5000000")
    assert enterprise.entity_type == "llc"
    assert enterprise.registration_authority.name_zh == "合肥市市场监督管理局"
    assert enterprise.approved_on == dt.date(2024, 5, 20)


def test_xlsx_is_accepted(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    code = make_uscc()
    sheet.append(
        [
            code,
            "合肥华信科技有限公司",
            "王芳",
            dt.datetime(2018, 3, 9),
            "存续",
            "340100",
            "合肥市",
            "软件开发",
            1000000,
        ]
    )
    workbook.save(tmp_path / "good.xlsx")
    run_import(tmp_path / "good.xlsx")
    assert Enterprise.objects.get(uscc=code).established == dt.date(2018, 3, 9)


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(tmp_path):
    good_code = make_uscc()
    rows = [
        row(uscc=good_code),
        row(uscc=with_wrong_check_char(make_uscc())),  # line 3
        row(region_code="999999"),  # line 4
        row(established="2023-02-30"),  # line 5
        row(registered_capital="-100"),  # line 6
        row(status="vanished"),  # line 7
        row(uscc=good_code),  # line 8: duplicate of line 2
    ]
    with pytest.raises(CommandError) as caught:
        run_import(write_csv(tmp_path / "bad.csv", rows))
    message = str(caught.value)
    assert "nothing was imported" in message
    assert "line 3, uscc: The USCC check character" in message
    assert "line 4, region_code" in message
    assert "line 5, established" in message
    assert "line 6, registered_capital" in message
    assert "line 7, status" in message
    assert "line 8, uscc: the same USCC is already on line 2" in message
    assert "line 2" not in message.replace("already on line 2", "")
    assert not Enterprise.objects.exists()
    assert not AuditEntry.objects.exists()


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "good.csv", [row(), row(name="合肥第二科技有限公司")])
    run_import(path)
    audit_count = AuditEntry.objects.count()
    stamps = list(Enterprise.objects.order_by("uscc").values_list("updated_at", flat=True))
    output = run_import(path)
    assert "0 created, 0 updated, 2 unchanged" in output
    assert AuditEntry.objects.count() == audit_count
    assert list(Enterprise.objects.order_by("uscc").values_list("updated_at", flat=True)) == stamps


def test_a_changed_row_updates_with_old_and_new_values(tmp_path):
    first = row()
    run_import(write_csv(tmp_path / "v1.csv", [first]))
    output = run_import(write_csv(tmp_path / "v2.csv", [{**first, "address": "合肥市包河区1号"}]))
    assert "1 updated" in output
    entry = AuditEntry.objects.get(action="update")
    assert entry.changes["address"] == [first["address"], "合肥市包河区1号"]


def test_legacy_flag_admits_an_official_code_that_fails_the_check_and_is_shown(tmp_path):
    bad = with_wrong_check_char(make_uscc())
    output = run_import(write_csv(tmp_path / "legacy.csv", [{**row(uscc=bad), "legacy": "是"}]))
    assert f"{bad} imported as a LEGACY code" in output
    assert Enterprise.objects.get(uscc=bad).uscc_legacy


@pytest.mark.parametrize(
    "column", ["religion", "blood_type", "血型", "fingerprint", "基因", "medical_history"]
)
def test_prohibited_columns_refuse_the_whole_file(tmp_path, column):
    path = write_csv(tmp_path / "prohibited.csv", [{**row(), column: "x"}])
    with pytest.raises(CommandError, match="prohibited personal data"):
        run_import(path)
    assert not Enterprise.objects.exists()


def test_unknown_and_missing_columns_are_named(tmp_path):
    path = write_csv(tmp_path / "odd.csv", [{"uscc": make_uscc(), "name": "x", "shoe_size": "42"}])
    with pytest.raises(CommandError) as caught:
        run_import(path)
    assert "'shoe_size' is not a known column" in str(caught.value)
    assert "required columns missing: established, region_code, status" in str(caught.value)


def test_unsupported_file_type_and_non_utf8_csv(tmp_path):
    (tmp_path / "data.txt").write_text("x")
    with pytest.raises(CommandError, match=r"Only \.csv and \.xlsx"):
        run_import(tmp_path / "data.txt")
    path = tmp_path / "gbk.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n" + "合肥".encode("gbk") + b"\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        run_import(path)
