import dataclasses

import pytest
from django.db import connection
from django.utils import timezone

from opendata.datasets import DATASETS, Column, UnknownDataset, dataset, row_from_json
from opendata.datasets.checks import classification_problems, dictionary_problems
from opendata.datasets.transforms import BatchLookup, money
from tests.opendata.helpers import build_sample

ISSUE_DATASETS = {
    "enterprises",
    "officers",
    "shareholders",
    "licences",
    "penalties",
    "abnormal-operations",
    "inspection-results",
    "list-entries",
    "court-defaulters",
    "commitments",
    "disclosures",
}


def test_every_dataset_of_the_issue_is_defined():
    assert set(DATASETS) == ISSUE_DATASETS


def test_an_unknown_dataset_names_the_valid_ones():
    with pytest.raises(UnknownDataset) as raised:
        dataset("companies")
    assert "'companies'" in str(raised.value)
    assert "enterprises" in str(raised.value)


@pytest.mark.parametrize("name", sorted(ISSUE_DATASETS))
def test_every_column_is_public_by_the_classification(name):
    assert classification_problems(DATASETS[name]) == []


@pytest.mark.parametrize("name", sorted(ISSUE_DATASETS))
def test_every_column_is_described_in_both_languages(name):
    assert dictionary_problems(DATASETS[name]) == []


def test_a_restricted_field_fails_the_check():
    officers = DATASETS["officers"]
    leaking = dataclasses.replace(
        officers, columns=(*officers.columns, Column("person", "Person.", "人员。", "person_id"))
    )
    assert classification_problems(leaking) == [
        "officers.person: KeyPersonnel.person is restricted (authorised agencies and platforms)"
    ]


def test_a_lookup_into_a_restricted_table_fails_the_check():
    officers = DATASETS["officers"]
    masked = BatchLookup("registry.Person", "id_masked", "person_id")
    leaking = dataclasses.replace(
        officers, columns=(*officers.columns, Column("id_masked", "ID.", "证件。", "person_id", masked))
    )
    problems = classification_problems(leaking)
    assert any("reads Person.id_masked" in problem for problem in problems)


def test_a_government_only_field_fails_the_check():
    list_entries = DATASETS["list-entries"]
    from blacklists.models import ListEntryStatusChange

    leaking = dataclasses.replace(
        list_entries,
        name="status-changes",
        model=ListEntryStatusChange,
        columns=(Column("actor", "Who.", "谁。", "actor_id"),),
    )
    assert classification_problems(leaking) == [
        "status-changes.actor: ListEntryStatusChange.actor is government only"
    ]


def _rows(each) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT to_jsonb(t) FROM {each.table} t")
        return [row_from_json(row) for (row,) in cursor.fetchall()]


def _public_keys_by_sql(each, today) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT to_jsonb(t) FROM {each.table} t WHERE {each.public_sql}",
            each.sql_params(today=today),
        )
        return {each.key(row_from_json(row)) for (row,) in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ISSUE_DATASETS))
def test_is_public_and_public_sql_agree(name):
    build_sample()
    each = DATASETS[name]
    today = timezone.localdate()
    rows = _rows(each)
    assert rows, f"the sample has no {name}"
    by_python = {each.key(row) for row in rows if each.is_public(row, today=today)}
    assert by_python == _public_keys_by_sql(each, today)


@pytest.mark.django_db
def test_ended_and_hidden_entries_are_not_published():
    sample = build_sample()
    each = DATASETS["list-entries"]
    published = {each.key(row) for row in _rows(each) if each.project(row) is not None}
    assert published == {str(sample["in_force"].pk), str(sample["defaulter"].pk)}
    defaulters = DATASETS["court-defaulters"]
    assert {defaulters.key(row) for row in _rows(defaulters) if defaulters.project(row)} == {
        str(sample["defaulter"].pk)
    }


@pytest.mark.django_db
def test_a_listed_person_is_published_with_the_masked_id_only():
    sample = build_sample()
    each = DATASETS["list-entries"]
    (row,) = [row for row in _rows(each) if row["id"] == sample["defaulter"].pk]
    record = each.project(row)
    assert record["person_id_masked"] == sample["listed_person"].id_masked
    assert "****" in record["person_id_masked"]
    assert record["enterprise_uscc"] == ""


@pytest.mark.django_db
def test_a_record_names_its_enterprise_by_uscc_and_its_agency_by_name():
    sample = build_sample()
    each = DATASETS["penalties"]
    records = [each.project(row) for row in _rows(each)]
    published = [record for record in records if record is not None]
    assert {record["enterprise_uscc"] for record in published} == {sample["company"].uscc}
    assert "12345.60" in {record["fine_amount"] for record in published}
    assert all(record["deciding_agency_en"] and record["deciding_agency_zh"] for record in published)


def test_money_is_exact_whichever_parser_read_it():
    from decimal import Decimal

    assert money(12345.6) == money(Decimal("12345.60")) == "12345.60"
    assert money(None) is None


def test_the_documentation_lists_every_column_as_defined():
    from pathlib import Path

    from opendata.datasets.dictionary import dictionary_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "open-data.md").read_text(encoding="utf-8")
    assert dictionary_markdown() in doc, "run: manage.py open_data_dictionary --write docs/open-data.md"
    for each in DATASETS.values():
        for column in each.columns:
            assert f"| `{column.name}` |" in doc
