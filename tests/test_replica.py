"""A real streaming replica: public reads go to it, writes never do, nobody sees their own change missing.

The module starts a hot standby of the test database's server with ``pg_basebackup -R``
(config/embedded_db.py) and points the ``replica`` alias at it; elsewhere that alias only mirrors
the primary and no router uses it. Pausing the standby's WAL replay makes replication lag as long
as a test needs, so "stale" is observable, not assumed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from config.db_routing import PIN_COOKIE
from config.embedded_db import start_embedded_replica, stop_embedded_replica
from registry.models import Enterprise
from tests.factories import EnterpriseFactory
from tests.portal.account_helpers import make_user, member

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)

MIDDLEWARE_WITH_REPLICA = [
    *settings.MIDDLEWARE[: settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")],
    "config.db_routing.ReplicaReadsMiddleware",
    *settings.MIDDLEWARE[settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") :],
]
REPLICA_ON = override_settings(
    DATABASE_ROUTERS=["config.db_routing.PrimaryReplicaRouter"], MIDDLEWARE=MIDDLEWARE_WITH_REPLICA
)


@pytest.fixture(scope="module")
def streaming_replica(django_db_setup, django_db_blocker):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the replica is started from the embedded server; an external DATABASE_URL has none")
    replica_dir = Path(tempfile.mkdtemp(prefix="credit-test-replica-"))
    with django_db_blocker.unblock():
        primary = connections["default"].settings_dict
        replica_settings = start_embedded_replica(primary, replica_dir / "data")
        mirrored = connections["replica"].settings_dict
        # A new dict: as a test mirror the alias shares the primary's dict, which must not change.
        # Still marked as a mirror, so the tests' flush and reload leave the read-only standby alone.
        connections["replica"].settings_dict = {
            **primary,
            "HOST": replica_settings["HOST"],
            "TEST": {**primary["TEST"], "MIRROR": "default"},
        }
        connections["replica"].close()
        try:
            yield replica_settings
        finally:
            connections["replica"].close()
            connections["replica"].settings_dict = mirrored
            stop_embedded_replica(replica_dir / "data")
            shutil.rmtree(replica_dir, ignore_errors=True)


def replica_cursor():
    return connections["replica"].cursor()


def caught_up() -> None:
    """Wait until the replica has replayed everything the primary has committed so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + 30
    while True:
        with replica_cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        if time.monotonic() > deadline:
            raise AssertionError("the replica did not catch up within 30 seconds")
        time.sleep(0.05)


def pause_replay() -> None:
    with replica_cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")


def resume_replay() -> None:
    with replica_cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")


def test_the_replica_is_a_read_only_standby(streaming_replica):
    with replica_cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
        assert cursor.fetchone() == (True, "on")


def test_a_public_page_reads_the_replica_and_shows_what_it_holds(streaming_replica):
    enterprise = EnterpriseFactory(name="杭州回声贸易有限公司")
    caught_up()
    pause_replay()
    try:
        Enterprise.objects.filter(pk=enterprise.pk).update(name="杭州改名贸易有限公司")
        with (
            REPLICA_ON,
            CaptureQueriesContext(connections["replica"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            content = Client().get(reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc}))
        assert content.status_code == 200
        # The replica has not replayed the rename: the page shows the name the replica holds.
        assert "杭州回声贸易有限公司" in content.content.decode()
        assert any("registry_enterprise" in query["sql"] for query in on_replica.captured_queries)
        assert not any("registry_enterprise" in query["sql"] for query in on_primary.captured_queries)
    finally:
        resume_replay()
    caught_up()
    with REPLICA_ON:
        fresh = Client().get(reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc}))
    assert "杭州改名贸易有限公司" in fresh.content.decode()


def test_writes_and_account_pages_use_the_primary(streaming_replica):
    company = EnterpriseFactory()
    user = make_user("writer@example.com")
    member(user, company)
    caught_up()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    with REPLICA_ON, CaptureQueriesContext(connections["replica"]) as on_replica:
        client.get(reverse("portal:disclosures", kwargs={"uscc": company.uscc}))
        response = client.post(
            reverse("portal:disclosure-new", kwargs={"uscc": company.uscc, "kind": "penalty"}),
            {
                "occurred_on": timezone.localdate().isoformat(),
                "decision_number": "杭市监罚〔2026〕9号",
                "violation": "虚假宣传",
                "content": "罚款一万元",
                "authority": "杭州市市场监督管理局",
                "step": "publish",
            },
        )
    assert response.status_code == 302
    assert on_replica.captured_queries == []


def test_a_client_that_just_wrote_reads_the_primary_while_others_read_the_lagging_replica(streaming_replica):
    company = EnterpriseFactory()
    user = make_user("filer@example.com")
    member(user, company)
    caught_up()
    pause_replay()
    try:
        filer = Client(HTTP_ACCEPT_LANGUAGE="en")
        filer.force_login(user)
        with REPLICA_ON:
            published = filer.post(
                reverse("portal:disclosure-new", kwargs={"uscc": company.uscc, "kind": "penalty"}),
                {
                    "occurred_on": timezone.localdate().isoformat(),
                    "decision_number": "杭市监罚〔2026〕11号",
                    "violation": "虚假宣传",
                    "content": "罚款一万元",
                    "authority": "杭州市市场监督管理局",
                    "step": "publish",
                },
            )
            assert published.status_code == 302
            assert PIN_COOKIE in published.cookies
            profile = reverse("portal:enterprise", kwargs={"uscc": company.uscc})
            own_view = filer.get(profile).content.decode()
            stranger_view = Client(HTTP_ACCEPT_LANGUAGE="en").get(profile).content.decode()
        assert "杭市监罚〔2026〕11号" in own_view
        assert "杭市监罚〔2026〕11号" not in stranger_view  # the replica is behind, as replicas are
    finally:
        resume_replay()


def test_without_the_router_nothing_reads_the_replica(streaming_replica):
    enterprise = EnterpriseFactory()
    caught_up()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        Client().get(reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc}))
    assert on_replica.captured_queries == []
