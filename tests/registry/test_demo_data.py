"""The demo-data generator: valid, complete, reproducible, and never a plaintext ID number."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from core.identifiers import is_valid_resident_id, is_valid_uscc, mask_resident_id
from core.privacy import resident_id_hash
from demo import demo_resident_id
from demo.codes import organisation_code, permute, resident_id_regions
from demo.database import verify_references
from demo.geo import short_name
from demo.rows import TABLES
from registry import models

ENTERPRISES, PERSONS = 300, 600


def generate(**options) -> str:
    out = StringIO()
    arguments = {"enterprises": ENTERPRISES, "persons": PERSONS, "seed": 7, "workers": 1, **options}
    call_command("generate_demo_data", stdout=out, **arguments)
    return out.getvalue()


def table_digests() -> dict[str, str]:
    """One digest per generated table over every column of every row, in id order."""
    digests = {}
    with connection.cursor() as cursor:
        for model, _ in TABLES.values():
            name = model._meta.db_table
            cursor.execute(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {name} t")
            digests[name] = cursor.fetchone()[0]
    return digests


def enterprise_digest() -> str:
    rows = models.Enterprise.objects.order_by("uscc").values_list(
        "uscc", "name", "address", "legal_representative", "established", "registered_capital", "status"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.mark.django_db
def test_small_run_is_complete_and_valid():
    output = generate()
    assert "Done:" in output
    assert models.Enterprise.objects.count() == ENTERPRISES
    assert models.Person.objects.count() == PERSONS

    codes = list(models.Enterprise.objects.values_list("uscc", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(is_valid_uscc(code) for code in codes)
    region_codes = set(models.Region.objects.values_list("code", flat=True))
    for code, region, entity_type in models.Enterprise.objects.values_list(
        "uscc", "region_id", "entity_type"
    ):
        assert region in region_codes
        assert code[2:8] == region
        assert code[:2] == {"individual_business": "92", "cooperative": "93"}.get(entity_type, "91")

    for model in models.RECORD_MODELS:
        assert model.objects.exists(), f"no {model.__name__} rows"
    assert verify_references(dict.fromkeys(TABLES, 1)) == []

    # Every enterprise has shareholders and a legal representative who is a person row.
    assert not models.Enterprise.objects.filter(shareholders__isnull=True).exists()
    assert not models.Enterprise.objects.filter(legal_representative_person__isnull=True).exists()
    representatives = models.KeyPersonnel.objects.filter(role="legal_representative")
    assert representatives.count() == ENTERPRISES
    assert not representatives.filter(person__isnull=True).exists()
    for enterprise in models.Enterprise.objects.select_related("legal_representative_person")[:50]:
        assert enterprise.legal_representative == enterprise.legal_representative_person.name

    # Removed abnormal listings exist, and some are still open.
    listings = models.AbnormalOperationListing.objects
    assert listings.filter(removed_on__isnull=True).exists()
    assert listings.filter(removed_on__isnull=False).exists() or listings.count() < 5

    for model in (models.Person, models.Enterprise, *models.RECORD_MODELS):
        for instance in model.objects.order_by("id")[:25]:
            instance.full_clean()


@pytest.mark.django_db
def test_persons_carry_only_hash_and_masked_id():
    generate()
    for person in models.Person.objects.all():
        number = demo_resident_id(person.pk)
        assert is_valid_resident_id(number)
        assert person.id_hash == resident_id_hash(number)
        assert person.id_masked == mask_resident_id(number)
        assert person.sex == ("M" if int(number[16]) % 2 else "F")
        assert person.birth_year == int(number[6:10])
        assert 1940 <= person.birth_year <= 2005


@pytest.mark.django_db
def test_no_plaintext_resident_id_anywhere():
    output = generate()
    numbers = [demo_resident_id(pk) for pk in models.Person.objects.values_list("pk", flat=True)]
    assert len(numbers) == PERSONS
    assert not any(number in output for number in numbers)
    patterns = [f"%{number}%" for number in numbers]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND data_type IN ('character varying', 'text', 'character', 'json', 'jsonb', 'ARRAY')
            """
        )
        columns = cursor.fetchall()
        assert ("registry_person", "id_hash") in columns
        for table, column in columns:
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text LIKE ANY(%s)', [patterns])
            assert cursor.fetchone()[0] == 0, f"plaintext resident ID in {table}.{column}"
    hashes = set(models.Person.objects.values_list("id_hash", flat=True))
    assert hashes == {resident_id_hash(number) for number in numbers}


@pytest.mark.django_db
def test_same_seed_same_rows_other_seed_other_rows():
    generate()
    first, digests = enterprise_digest(), table_digests()
    generate(replace=True, batch_size=250)
    assert enterprise_digest() == first
    assert table_digests() == digests
    generate(replace=True, seed=8)
    assert enterprise_digest() != first


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_do_not_depend_on_worker_count():
    generate(workers=2, batch_size=250)
    parallel = table_digests()
    generate(workers=1, batch_size=1000, replace=True)
    assert table_digests() == parallel


@pytest.mark.django_db
def test_if_empty_leaves_a_populated_database_alone():
    generate(enterprises=20, persons=40)
    before = table_digests()
    output = generate(if_empty=True, seed=99)
    assert "already exist" in output
    assert table_digests() == before


@pytest.mark.django_db
def test_appending_uses_fresh_ids_and_codes():
    generate(enterprises=50, persons=100)
    generate(enterprises=50, persons=100, seed=9)
    assert models.Enterprise.objects.count() == 100
    assert models.Person.objects.count() == 200
    codes = list(models.Enterprise.objects.values_list("uscc", flat=True))
    assert len(set(codes)) == 100
    # Companies of the second run cite only the second run's persons.
    assert not models.KeyPersonnel.objects.filter(enterprise_id__gt=50, person_id__lte=100).exists()


@pytest.mark.django_db
def test_few_persons_are_shared_between_companies():
    generate(enterprises=100, persons=3)
    assert models.Person.objects.count() == 3
    assert models.KeyPersonnel.objects.filter(person__isnull=False).values("person").distinct().count() == 3


def test_codes_are_bijections():
    for size in (97, 1000, 31**3):
        assert sorted(permute(value, size) for value in range(size)) == list(range(size))
    modern = {organisation_code(index, modern=True) for index in range(1, 50_001)}
    legacy = {organisation_code(index, modern=False) for index in range(1, 50_001)}
    assert len(modern) == len(legacy) == 50_000
    numbers = [demo_resident_id(index) for index in (1, 2, 10**6, 10**7, 10**9)]
    assert all(is_valid_resident_id(number) for number in numbers)
    assert all(number[:6] in resident_id_regions() for number in numbers)


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("合肥市", "合肥"),
        ("延边朝鲜族自治州", "延边"),
        ("阿里地区", "阿里"),
        ("兴安盟", "兴安"),
        ("广西壮族自治区", "广西"),
        ("黔西南布依族苗族自治州", "黔西南"),
        ("海西蒙古族藏族自治州", "海西"),
        ("安徽省", "安徽"),
        ("北京市", "北京"),
    ],
)
def test_short_names(full, short):
    assert short_name(full) == short


def secondary_indexes() -> set[str]:
    names = [model._meta.db_table for model, _ in TABLES.values()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s)", [names])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_a_failed_load_leaves_empty_tables_with_all_their_indexes(monkeypatch):
    indexes = secondary_indexes()

    def broken(*args, **kwargs):
        raise ValueError("simulated failure")

    monkeypatch.setattr("demo.runner.enterprise_lines", broken)
    with pytest.raises(ValueError, match="simulated failure"):
        generate()
    assert secondary_indexes() == indexes
    assert not models.Person.objects.exists()
    assert not models.Enterprise.objects.exists()


@pytest.mark.django_db
def test_indexes_dropped_by_a_killed_run_are_rebuilt_by_the_next():
    from demo.indexes import defer_indexes

    indexes = secondary_indexes()
    assert defer_indexes() > 0  # as a run killed mid-load would leave things
    assert secondary_indexes() < indexes
    generate(enterprises=20, persons=40, if_empty=True)
    assert secondary_indexes() == indexes
