import csv
import datetime as dt
import os
from concurrent.futures.process import BrokenProcessPool
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from blacklists.importing import parallel
from blacklists.importing.columns import SPECS, aliases
from blacklists.importing.parallel import chunk_builder
from blacklists.importing.parse import parse_case, province_lookup
from blacklists.importing.rows import ChunkContext
from blacklists.importing.run import import_list
from blacklists.models import (
    ConsumptionRestrictionDetail,
    CourtDefaulterDetail,
    ListEntry,
    ListEntryStatusChange,
    ListType,
)
from blacklists.selectors import restrictions_in_force
from core.identifiers import is_valid_uscc
from registry.importing.spreadsheet import read_rows
from registry.models import Agency, AuditEntry, Enterprise, Person, SubjectEvent
from search.models import SearchDocument
from tests.factories import EnterpriseFactory, make_resident_id, make_uscc
from tests.registry.helpers import tables_containing

pytestmark = pytest.mark.django_db


def defaulter(**overrides):
    row = {
        "name": "张三丰",
        "id_number": make_resident_id(region="341122", birth="19640506"),
        "sex": "",
        "age": "60",
        "legal_representative": "",
        "province": "安徽",
        "court": "来安县人民法院",
        "case_number": f"(2019)皖1122执{len(str(overrides))}{make_resident_id()[-4:-1]}号",
        "filing_date": "2019-03-01",
        "basis_document_number": "(2018)皖1122民初100号",
        "basis_unit": "来安县人民法院",
        "obligation": "支付货款人民币十万元",
        "performance": "全部未履行",
        "performed_part": "",
        "unperformed_part": "十万元",
        "circumstance": "有履行能力而拒不履行生效法律文书确定义务",
        "publish_date": "2025-06-01",
    }
    row.update(overrides)
    return row


def write_csv(path: Path, rows: list[dict]) -> Path:
    header = list(dict.fromkeys(key for row in rows for key in row))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(code: str, path: Path) -> str:
    out = StringIO()
    call_command("import_list", code, str(path), stdout=out)
    return out.getvalue()


def test_court_defaulters_import_persons_and_organisations(tmp_path):
    number = make_resident_id(region="341122", birth="19640506")
    uscc = make_uscc(region="341100")
    rows = [
        defaulter(id_number=number, case_number="(2019)皖1122执1194号"),
        defaulter(
            name="滁州某某建材有限公司",
            id_number=uscc,
            sex="",
            age="",
            legal_representative="李四",
            case_number="(2020)皖11执5号",
            court="滁州市中级人民法院",
            performance="部分未履行",
            circumstance="3",
        ),
    ]
    output = run("court-defaulters", write_csv(tmp_path / "court.csv", rows))
    assert "2 entries created" in output
    person_entry = ListEntry.objects.get(decision_number="(2019)皖1122执1194号")
    assert person_entry.person.id_masked == number[:10] + "****" + number[-4:]
    assert person_entry.planned_end.isoformat() == "2027-06-01"
    assert person_entry.issuing_agency.name_zh == "来安县人民法院"
    assert person_entry.issuing_agency.kind == "court"
    detail = person_entry.court_defaulter
    assert (detail.sex, detail.age, detail.circumstance, detail.performance) == (
        "M" if int(number[16]) % 2 else "F",
        60,
        "1",
        "none",
    )
    org_entry = ListEntry.objects.get(decision_number="(2020)皖11执5号")
    assert org_entry.enterprise.uscc == uscc
    assert org_entry.enterprise.status == "unknown"
    assert org_entry.enterprise.legal_representative == "李四"
    assert org_entry.court_defaulter.legal_representative == "李四"
    assert Agency.objects.get(name_zh="滁州市中级人民法院").level == "prefecture"
    assert ListEntryStatusChange.objects.count() == 2
    assert AuditEntry.objects.filter(via="import", object_pk=str(person_entry.pk)).exists()
    assert tables_containing(number) == []


def test_existing_enterprise_is_reused_and_reimport_changes_nothing(tmp_path):
    enterprise = EnterpriseFactory()
    rows = [
        defaulter(
            name=enterprise.name, id_number=enterprise.uscc, sex="", age="", case_number="(2021)京0105执9号"
        ),
        defaulter(case_number="(2021)京0105执10号"),
    ]
    path = write_csv(tmp_path / "court.csv", rows)
    run("court-defaulters", path)
    counts = (
        ListEntry.objects.count(),
        Person.objects.count(),
        Enterprise.objects.count(),
        AuditEntry.objects.count(),
    )
    output = run("court-defaulters", path)
    assert "0 entries created, 2 already listed" in output
    assert counts == (
        ListEntry.objects.count(),
        Person.objects.count(),
        Enterprise.objects.count(),
        AuditEntry.objects.count(),
    )
    assert ListEntry.objects.get(decision_number="(2021)京0105执9号").enterprise == enterprise


def test_chinese_headings_and_xlsx(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "被执行人姓名/名称",
            "身份证号码/组织机构代码",
            "性别",
            "年龄",
            "省份",
            "执行法院",
            "案号",
            "立案时间",
            "执行依据文号",
            "做出执行依据单位",
            "生效法律文书确定的义务",
            "被执行人的履行情况",
            "失信被执行人行为具体情形",
            "发布时间",
        ]
    )
    number = make_resident_id(region="110105", birth="19800202")
    sheet.append(
        [
            "王五",
            number,
            "男" if int(number[16]) % 2 else "女",
            45,
            "北京",
            "北京市朝阳区人民法院",
            "（2022）京0105执888号",
            "2022-01-05",
            "(2021)京0105民初1号",
            "北京市朝阳区人民法院",
            "偿还借款",
            "全部未履行",
            "违反财产报告制度",
            "2025-01-10",
        ]
    )
    workbook.save(tmp_path / "court.xlsx")
    run("court-defaulters", tmp_path / "court.xlsx")
    entry = ListEntry.objects.get()
    assert entry.decision_number == "(2022)京0105执888号"
    assert entry.court_defaulter.circumstance == "4"
    assert entry.court_defaulter.province_id == "110000"


def test_every_bad_row_is_reported_and_nothing_is_written(tmp_path):
    # A fixed serial: for a few serials the wrong check character happens to make a valid USCC.
    good = make_resident_id(serial=1)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert not is_valid_uscc(bad_check)
    rows = [
        defaulter(id_number=good),  # 2 ok
        defaulter(id_number=bad_check),  # 3 bad check digit
        defaulter(case_number="2019皖执1194"),  # 4 malformed case number
        defaulter(planned_end="2025-05-01"),  # 5 end before start
        defaulter(planned_end="2035-06-01"),  # 6 longer than the list's maximum
        defaulter(province="火星"),  # 7 unknown province
        defaulter(circumstance="迟到"),  # 8 unknown circumstance
        defaulter(id_number=good, case_number="(2019)皖1122执77号"),  # 9
        defaulter(id_number=good, case_number="(2019)皖1122执77号"),  # 10 duplicate of 9
        defaulter(filing_date="2019-02-30"),  # 11 impossible date
    ]
    with pytest.raises(CommandError) as caught:
        run("court-defaulters", write_csv(tmp_path / "bad.csv", rows))
    message = str(caught.value)
    assert "nothing was imported" in message
    assert "line 3, id_number: The check character" in message
    assert "line 4, case_number" in message
    assert "line 5, planned_end" in message and "before the start" in message
    assert "line 6, planned_end" in message and "at most 1826 days" in message
    assert "line 7, province" in message
    assert "line 8, circumstance" in message
    assert "line 10, case_number: the same case and subject are already on line 9" in message
    assert "line 11, filing_date" in message
    assert "line 2," not in message
    assert not ListEntry.objects.exists() and not Person.objects.exists()


def test_subject_kind_the_list_does_not_hold_is_refused(tmp_path, settings):
    from blacklists.models import ListType

    ListType.objects.filter(code="court-defaulters").update(holds_enterprises=False)
    rows = [defaulter(name="某某有限公司", id_number=make_uscc(), sex="", age="")]
    with pytest.raises(CommandError, match="line 2, id_number: this list does not hold"):
        run("court-defaulters", write_csv(tmp_path / "kind.csv", rows))


def test_unknown_list_code_is_named(tmp_path):
    path = write_csv(tmp_path / "x.csv", [defaulter()])
    with pytest.raises(CommandError, match="Unknown list code 'no-such-list'"):
        run("no-such-list", path)
    # An agency list takes the agency format: a court file's columns are not its columns.
    with pytest.raises(CommandError, match="Nothing was imported"):
        run("caac-no-fly", path)


def test_unknown_organisation_code_asks_for_the_uscc(tmp_path):
    from core.identifiers import organisation_code_check_char

    code = "12345678" + organisation_code_check_char("12345678")
    rows = [defaulter(name="某某有限公司", id_number=code[:8] + "-" + code[8], sex="", age="")]
    with pytest.raises(CommandError, match="no registered enterprise has organisation code"):
        run("court-defaulters", write_csv(tmp_path / "org.csv", rows))
    enterprise = EnterpriseFactory(uscc=make_uscc(serial=12345678))
    assert enterprise.uscc[8:17] == code
    run("court-defaulters", write_csv(tmp_path / "org.csv", rows))
    assert ListEntry.objects.get().enterprise == enterprise


def test_consumption_restriction_binds_the_legal_representative(tmp_path):
    rep_number = make_resident_id(region="320102", birth="19750808")
    rows = [
        {
            "name": "南京某某贸易有限公司",
            "id_number": make_uscc(region="320100"),
            "province": "江苏",
            "court": "南京市玄武区人民法院",
            "case_number": "(2023)苏0102执321号",
            "filing_date": "2023-02-01",
            "publish_date": "2025-03-01",
            "order_text": "限制被执行人及其法定代表人高消费及非生活和工作必需的消费行为",
            "restricted_person_name": "赵六",
            "restricted_person_id_number": rep_number,
        }
    ]
    run("consumption-restriction", write_csv(tmp_path / "xf.csv", rows))
    detail = ConsumptionRestrictionDetail.objects.get()
    assert detail.restricted_person.id_masked == rep_number[:10] + "****" + rep_number[-4:]
    assert detail.restricted_person_name == "赵六"
    assert detail.entry.permanent  # no fixed end: until performed or lifted
    assert tables_containing(rep_number) == []
    # The organisation came into the register with this row alone, without posts; the order binds
    # the person it names all the same.
    company = detail.entry.enterprise
    assert not company.key_personnel.exists() and company.legal_representative_person_id is None
    answer = restrictions_in_force(person=detail.restricted_person, on=dt.date(2025, 6, 1))
    (reason,) = next(item for item in answer.measures if item.measure.code == "no-flight").reasons
    assert reason.entry == detail.entry and reason.link.named and reason.link.enterprise == company
    missing = [{**rows[0], "case_number": "(2023)苏0102执322号", "restricted_person_id_number": ""}]
    with pytest.raises(CommandError, match="names the person it binds"):
        run("consumption-restriction", write_csv(tmp_path / "missing.csv", missing))


def test_import_rate_is_bulk(tmp_path):
    rows = [
        defaulter(id_number=make_resident_id(serial=n), case_number=f"(2024)皖1122执{n}号")
        for n in range(2000)
    ]
    run("court-defaulters", write_csv(tmp_path / "many.csv", rows))
    assert CourtDefaulterDetail.objects.count() == 2000
    assert ListEntryStatusChange.objects.count() == 2000


def test_organisations_registered_by_an_import_are_found_by_the_enterprise_search(tmp_path):
    from search.query import search

    uscc = make_uscc(region="341100")
    rows = [
        defaulter(name="滁州明远建材有限公司", id_number=uscc, sex="", age="", case_number="(2020)皖11执77号")
    ]
    run("court-defaulters", write_csv(tmp_path / "org.csv", rows))
    hits = search("明远建材", kinds=["enterprise"]).results
    assert [hit.object_id for hit in hits] == [Enterprise.objects.get(uscc=uscc).pk]


def _mixed_rows() -> list[dict]:
    rows = [
        defaulter(id_number=make_resident_id(serial=n), case_number=f"(2024)皖1122执{n}号") for n in range(4)
    ]
    rows.append(
        defaulter(
            name="滁州明远建材有限公司",
            id_number=make_uscc(region="341100"),
            sex="",
            age="",
            legal_representative="李四",
            case_number="(2020)皖11执77号",
        )
    )
    return rows


def _parsed(path: Path):
    columns, required = SPECS["court-defaulters"]
    provinces = province_lookup()
    return [
        parse_case(row, list_code="court-defaulters", provinces=provinces)
        for row in read_rows(path, aliases(columns), required)
    ]


_build = parallel._build


def _build_noting_the_process(bounds):
    chunk = _build(bounds)
    chunk.tables.append(("pid", (), str(os.getpid())))
    return chunk


def _build_in_a_dying_process(bounds):
    os._exit(1)  # as if killed, for instance for lack of memory


def test_a_worker_that_dies_fails_the_import_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CASES", 1)
    monkeypatch.setattr(parallel, "CHUNK_CASES", 2)
    monkeypatch.setattr(parallel, "_build", _build_in_a_dying_process)
    with pytest.raises(BrokenProcessPool):
        import_list(
            list_code="court-defaulters", path=write_csv(tmp_path / "m.csv", _mixed_rows()), workers=2
        )
    assert not ListEntry.objects.exists() and not Person.objects.exists()


def test_worker_processes_build_exactly_the_rows_one_process_builds(tmp_path, monkeypatch):
    cases = _parsed(write_csv(tmp_path / "mixed.csv", _mixed_rows()))
    context = ChunkContext(
        list_type=ListType.objects.get(code="court-defaulters"),
        detail_table=CourtDefaulterDetail._meta.db_table,
        now=timezone.now(),
        actor_id=None,
        actor_label="import",
        content_type_id=1,
        persons={case.subject.id_hash: n for n, case in enumerate(cases, 1) if case.is_person},
        enterprises={case.subject.uscc: 1 for case in cases if not case.is_person},
        courts={(case.court_name, case.province.code): 9 for case in cases},
    )
    ids = list(range(100, 100 + len(cases)))
    with chunk_builder(context, cases, ids, workers=2) as chunks:  # small: built here
        alone = [chunk.tables for chunk in chunks]
    assert len(alone) == 1

    monkeypatch.setattr(parallel, "PARALLEL_MIN_CASES", 1)
    monkeypatch.setattr(parallel, "CHUNK_CASES", 2)
    built_in = set()
    monkeypatch.setattr(parallel, "_build", _build_noting_the_process)
    with chunk_builder(context, cases, ids, workers=2) as chunks:
        shared = [chunk.tables for chunk in chunks]
    for tables in shared:
        built_in.add(tables.pop()[2])
    assert len(shared) == 3 and str(os.getpid()) not in built_in

    def joined(chunks):
        text: dict[str, str] = {}
        for tables in chunks:
            for table, _columns, part in tables:
                text[table] = text.get(table, "") + part
        return text

    assert joined(shared) == joined(alone)
    assert joined(alone)["blacklists_listentry"].count("\n") == 5


def test_an_import_built_by_worker_processes_is_written_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CASES", 1)
    monkeypatch.setattr(parallel, "CHUNK_CASES", 2)
    report = import_list(
        list_code="court-defaulters", path=write_csv(tmp_path / "m.csv", _mixed_rows()), workers=2
    )
    assert report.created == 5
    assert ListEntry.objects.count() == CourtDefaulterDetail.objects.count() == 5
    assert ListEntryStatusChange.objects.count() == 5
    assert AuditEntry.objects.filter(via=AuditEntry.Via.IMPORT, action="create").count() >= 5
    assert SearchDocument.objects.filter(kind=SearchDocument.Kind.LIST_ENTRY).count() == 5
    assert SubjectEvent.objects.filter(record_type=SubjectEvent.RecordType.LIST_ENTRY).count() == 5
