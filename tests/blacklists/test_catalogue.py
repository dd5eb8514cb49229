"""The public list catalogue: every public list grouped, with counts, and the abnormal directory."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import translation

from blacklists.models import ListType
from blacklists.selectors import (
    ABNORMAL_SLUG,
    public_list,
    public_list_counts_clear,
    public_lists,
    public_lists_grouped,
)
from blacklists.services import list_entry_create
from registry.services.audit import SYSTEM
from tests.factories import AbnormalListingFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def _listed(code: str, *, start: dt.date, number: str):
    list_type = ListType.objects.get(code=code)
    return list_entry_create(
        actor=SYSTEM,
        via="form",
        list_type=list_type,
        enterprise=EnterpriseFactory(),
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=start,
        starts_on=start,
        published_on=start,
    )


def test_every_public_list_and_the_abnormal_directory_are_in_the_catalogue():
    slugs = {item.slug for item in public_lists(today=TODAY)}
    assert slugs == set(ListType.objects.filter(public_search=True).values_list("code", flat=True)) | {
        ABNORMAL_SLUG
    }


def test_groups_come_blacklists_then_redlists_then_watch_lists():
    kinds = [kind for kind, _label, _lists in public_lists_grouped(today=TODAY)]
    assert kinds == ["blacklist", "redlist", "watchlist"]
    watch = dict((kind, lists) for kind, _label, lists in public_lists_grouped(today=TODAY))["watchlist"]
    assert ABNORMAL_SLUG in {item.slug for item in watch}


def test_counts_entries_in_force_and_the_last_publication():
    _listed("gac-dishonest", start=dt.date(2026, 3, 1), number="海关失信〔2026〕1号")
    _listed("gac-dishonest", start=dt.date(2021, 3, 1), number="海关失信〔2021〕1号")  # past its end
    found = public_list(slug="gac-dishonest", today=TODAY)
    assert found.in_force == 1
    assert found.last_published == dt.date(2026, 3, 1)


def test_the_abnormal_directory_counts_listings_not_removed():
    AbnormalListingFactory(listed_on=dt.date(2026, 7, 1))
    AbnormalListingFactory(
        listed_on=dt.date(2025, 7, 1),
        removed_on=dt.date(2025, 9, 1),
        removal_reason="report_filed",
        removal_agency=AbnormalListingFactory._meta.model.objects.first().listing_agency,
    )
    directory = public_list(slug=ABNORMAL_SLUG, today=TODAY)
    assert (directory.in_force, directory.last_published) == (1, dt.date(2026, 7, 1))
    assert directory.holds_enterprises and not directory.holds_persons


def test_counts_are_cached_until_cleared():
    public_list(slug="gac-dishonest", today=TODAY)
    _listed("gac-dishonest", start=dt.date(2026, 3, 1), number="海关失信〔2026〕2号")
    assert public_list(slug="gac-dishonest", today=TODAY).in_force == 0
    public_list_counts_clear()
    assert public_list(slug="gac-dishonest").in_force == 1


def test_names_follow_the_language():
    found = public_list(slug=ABNORMAL_SLUG, today=TODAY)
    with translation.override("en"):
        assert found.name == "Directory of enterprises with abnormal operations"
    with translation.override("zh-hans"):
        assert found.name == "经营异常名录"


def test_unknown_or_private_lists_are_not_found():
    assert public_list(slug="no-such-list", today=TODAY) is None
    ListType.objects.filter(code="gac-dishonest").update(public_search=False)
    assert public_list(slug="gac-dishonest", today=TODAY) is None


def test_the_catalogue_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    for number in range(3):
        _listed("gac-dishonest", start=dt.date(2026, 3, 1), number=f"海关失信〔2026〕{number + 10}号")
    with django_assert_max_num_queries(6):
        lists = public_lists(today=TODAY)
        assert all(isinstance(item.memoranda, list) for item in lists)
