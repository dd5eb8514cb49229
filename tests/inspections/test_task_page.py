"""The public task page of a large draw: pages seek by position, counts come from the draw."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import DrawnTarget
from inspections.selectors.public import TARGETS_PER_PAGE, task_target_page
from tests.inspections.helpers import drawn, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_task():
    cache.clear()
    task = make_task(candidates=2 * TARGETS_PER_PAGE + 10, inspectors=6, ratio_b=100)
    drawn(task)
    return task


def test_the_draw_records_its_counts_on_the_task(large_task):
    rows = DrawnTarget.objects.filter(task=large_task)
    assert large_task.target_rows == rows.count() == 2 * TARGETS_PER_PAGE + 10
    assert large_task.target_count == rows.filter(replaced=False).count()


def test_a_page_of_targets_is_its_range_of_positions(large_task):
    page, rows = task_target_page(large_task, 2)
    assert [row.target.position for row in rows] == list(
        range(TARGETS_PER_PAGE + 1, 2 * TARGETS_PER_PAGE + 1)
    )
    assert page.number == 2 and page.has_next() and page.paginator.num_pages == 3
    last, rows = task_target_page(large_task, 3)
    assert [row.target.position for row in rows] == list(
        range(2 * TARGETS_PER_PAGE + 1, large_task.target_rows + 1)
    )
    assert not last.has_next()
    # past the end or not a number: the nearest page, as before
    assert task_target_page(large_task, 99)[0].number == 3
    assert task_target_page(large_task, "x")[0].number == 1


def test_the_task_page_neither_counts_the_targets_nor_skips_rows_with_an_offset(
    client, django_assert_max_num_queries, large_task
):
    url = reverse("portal:inspection-task", args=[large_task.pk])
    client.get(url)  # the verification is computed once and kept
    with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page": 3})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<td>{large_task.target_rows}</td>" in html
    # Each target links to its enterprise's profile (one reverse() for the page, not one per row).
    _, rows = task_target_page(large_task, 3)
    for row in rows:
        uscc = row.target.enterprise.uscc
        assert f'<a href="{reverse("portal:enterprise", kwargs={"uscc": uscc})}">' in html
    statements = [query["sql"] for query in queries.captured_queries]
    targets = [sql for sql in statements if re.search(r'FROM "inspections_drawntarget"', sql)]
    assert targets and not any("COUNT(" in sql.upper() or "OFFSET" in sql.upper() for sql in targets)
    # The results are counted by their task's index range, not through a join to every target.
    counts = [sql for sql in statements if "COUNT(" in sql.upper() and "inspections_inspectionresult" in sql]
    assert counts and not any("inspections_drawntarget" in sql for sql in counts)


def test_the_database_refuses_to_change_the_counts_of_a_drawn_task(large_task):
    with (
        pytest.raises(IntegrityError, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE inspections_inspectiontask SET target_count = 1 WHERE id = %s", [large_task.pk]
        )
