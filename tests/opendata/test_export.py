"""The bulk export: files, manifest, consistency, atomicity and the command's errors.

The export opens its own repeatable-read transaction, so these tests commit their data
(transactional tests) and read it back through the files.
"""

import csv
import gzip
import hashlib
import io
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from opendata.datasets import DATASETS, row_from_json
from opendata.datasets.checks import classification_problems
from opendata.snapshots import ExportInTransaction, export, published_snapshots, snapshot_export
from opendata.snapshots.listing import MANIFEST
from tests import factories
from tests.opendata.helpers import build_sample

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _read(path) -> bytes:
    with gzip.open(path, "rb") as file:
        return file.read()


def _csv_records(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_read(path).decode("utf-8"))))


def _jsonl_records(path) -> list[dict]:
    return [json.loads(line) for line in _read(path).decode("utf-8").splitlines()]


def _as_csv(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return value
    return str(value)


def _csv_values(record: dict) -> dict:
    # A list or an object is JSON text in its CSV cell.
    return {
        name: json.loads(value) if value[:1] in ("[", "{") and name in ("former_names", "details") else value
        for name, value in record.items()
    }


def _published_in_order(each) -> list[dict]:
    """What the Python projection (the feed's) makes of the public rows, in export order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT to_jsonb(t)::text FROM {each.table} t WHERE {each.public_sql} ORDER BY {each.order_by}",
            each.sql_params(),
        )
        rows = [row_from_json(text) for (text,) in cursor.fetchall()]
    return [json.loads(json.dumps(each.project(row), ensure_ascii=False)) for row in rows]


@transactional
def test_the_snapshot_files_match_their_manifest(tmp_path):
    sample = build_sample()
    target = snapshot_export(root=tmp_path)
    manifest = json.loads((target / MANIFEST).read_text())
    assert [item["dataset"] for item in manifest["datasets"]] == list(DATASETS)
    assert manifest["licence"]["name"] == "CC BY 4.0"
    assert manifest["snapshot"] == target.name
    for item in manifest["datasets"]:
        assert item["columns"] == DATASETS[item["dataset"]].column_dictionary()
        assert {entry["format"] for entry in item["files"]} == {"csv", "jsonl"}
        for entry in item["files"]:
            content = (target / entry["name"]).read_bytes()
            assert entry["size"] == len(content)
            assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        by_name = {entry["format"]: target / entry["name"] for entry in item["files"]}
        jsonl = _jsonl_records(by_name["jsonl"])
        csv_rows = _csv_records(by_name["csv"])
        assert item["rows"] == len(jsonl) == len(csv_rows)
        # The same records in the same order, in both formats, with exactly the defined columns.
        columns = DATASETS[item["dataset"]].column_names
        assert [list(record) for record in jsonl] == [columns] * len(jsonl)
        assert [_csv_values(row) for row in csv_rows] == [
            {name: _as_csv(record[name]) for name in columns} for record in jsonl
        ]
        # And they are what the change feed's projection makes of the same rows.
        assert jsonl == _published_in_order(DATASETS[item["dataset"]])
    rows = {item["dataset"]: item["rows"] for item in manifest["datasets"]}
    # Only the public rows: the ended, future and hidden-list entries and the penalty past its
    # publication are left out.
    assert rows["list-entries"] == 2
    assert rows["court-defaulters"] == 1
    assert rows["penalties"] == 2
    entries = _jsonl_records(target / "list-entries.jsonl.gz")
    assert {record["id"] for record in entries} == {str(sample["in_force"].pk), str(sample["defaulter"].pk)}


@transactional
def test_no_restricted_column_reaches_the_files(tmp_path):
    build_sample()
    target = snapshot_export(root=tmp_path)
    manifest = json.loads((target / MANIFEST).read_text())
    for item in manifest["datasets"]:
        each = DATASETS[item["dataset"]]
        assert classification_problems(each) == []
        header = _read(target / f"{each.name}.csv.gz").decode("utf-8").splitlines()[0]
        assert header.split(",") == each.column_names
    text = _read(target / "list-entries.jsonl.gz").decode("utf-8")
    assert "id_hash" not in text
    assert '"person_id"' not in text


@pytest.fixture
def feed_table():
    """The feed's table, as a bare stand-in where the feed is not installed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('opendata_feedevent') IS NULL")
        stand_in = cursor.fetchone()[0]
        if stand_in:
            cursor.execute("CREATE TABLE opendata_feedevent (timepoint bigint PRIMARY KEY)")
            cursor.execute("INSERT INTO opendata_feedevent VALUES (7)")
    yield stand_in
    if stand_in:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE opendata_feedevent")


def _max_timepoint() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(timepoint), 0) FROM opendata_feedevent")
        return cursor.fetchone()[0]


@transactional
def test_a_write_during_the_export_is_not_in_the_snapshot(tmp_path, monkeypatch, feed_table):
    first = factories.EnterpriseFactory(name="合肥先到科技有限公司")
    before = _max_timepoint()
    written = {}
    original = export._copy_into

    once = threading.Lock()  # the two files of a dataset are read by two threads at once

    def commit_elsewhere_first(writer, sql, **kwargs):
        with once:
            if not written:
                commit_before_the_first_copy()
        return original(writer, sql, **kwargs)

    def commit_before_the_first_copy():
        # Another connection commits a new enterprise (and its feed event) mid-export.
        def other_connection():
            with transaction.atomic():
                factories.EnterpriseFactory(name="合肥后到科技有限公司")
                if feed_table:
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "INSERT INTO opendata_feedevent SELECT max(timepoint) + 1 FROM opendata_feedevent"
                        )
            written["timepoint"] = _max_timepoint()
            connections["default"].close()

        thread = threading.Thread(target=other_connection)
        thread.start()
        thread.join()

    monkeypatch.setattr(export, "_copy_into", commit_elsewhere_first)
    target = snapshot_export(root=tmp_path, names=["enterprises", "officers"])
    manifest = json.loads((target / MANIFEST).read_text())
    assert manifest["timepoint"] == before < written["timepoint"]
    names = {record["name"] for record in _jsonl_records(target / "enterprises.jsonl.gz")}
    assert first.name in names
    assert "合肥后到科技有限公司" not in names
    # The CSV file, read at the same time on a second connection, sees the same snapshot.
    assert {record["name"] for record in _csv_records(target / "enterprises.csv.gz")} == names
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_enterprise WHERE name = %s", ["合肥后到科技有限公司"])
        assert cursor.fetchone()[0] == 1


@transactional
def test_the_timepoint_is_read_in_the_exports_transaction(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(export, "feed_timepoint_now", lambda: seen.append(connection.in_atomic_block) or 41)
    target = snapshot_export(root=tmp_path, names=["licences"])
    assert seen == [True]
    assert json.loads((target / MANIFEST).read_text())["timepoint"] == 41


@transactional
def test_a_failed_export_leaves_the_previous_snapshot_and_no_partial_one(tmp_path, monkeypatch):
    build_sample()
    previous = snapshot_export(root=tmp_path, names=["enterprises"])
    original = export._copy_into

    def fail_on_penalties(writer, sql, **kwargs):
        if "registry_administrativepenalty" in sql:
            raise OSError("disk full")
        return original(writer, sql, **kwargs)

    monkeypatch.setattr(export, "_copy_into", fail_on_penalties)
    with pytest.raises(OSError, match="disk full"):
        snapshot_export(root=tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == [previous.name]
    assert [manifest["snapshot"] for manifest in published_snapshots(tmp_path)] == [previous.name]


@transactional
def test_only_the_newest_snapshots_are_kept(tmp_path):
    made = [snapshot_export(root=tmp_path, names=["licences"], keep=2) for _ in range(3)]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in made[1:])


@pytest.mark.django_db
def test_the_export_refuses_to_run_inside_another_transaction(tmp_path):
    with pytest.raises(ExportInTransaction):
        snapshot_export(root=tmp_path, names=["licences"])
    assert list(tmp_path.iterdir()) == []


def test_the_command_names_an_unknown_dataset(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("export_open_data", output=tmp_path, datasets=["companies"])
    assert "Unknown dataset 'companies'" in str(raised.value)
    assert "enterprises" in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_the_command_refuses_to_keep_no_snapshot(tmp_path):
    with pytest.raises(CommandError, match="--keep must be at least 1"):
        call_command("export_open_data", output=tmp_path, keep=0)


@transactional
def test_the_command_writes_a_snapshot(tmp_path):
    out = io.StringIO()
    call_command("export_open_data", output=tmp_path, datasets=["licences", "officers"], stdout=out)
    (manifest,) = published_snapshots(tmp_path)
    assert [item["dataset"] for item in manifest["datasets"]] == ["licences", "officers"]
    assert f"Snapshot {manifest['snapshot']} written" in out.getvalue()
