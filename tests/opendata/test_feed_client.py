"""The example client in docs/open-data-feed.md, run as written against the API."""

import datetime as dt
import gzip
import hashlib
import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from opendata.models import FeedEvent
from opendata.selectors import feed_timepoint_now
from registry.models import Enterprise
from tests.factories import EnterpriseFactory
from tests.opendata.test_feed_replay import live_projection

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "open-data-feed.md"
BASE = "http://testserver"


def example_client() -> dict:
    text = DOC.read_text(encoding="utf-8")
    code = text.split("## Example client", 1)[1]
    (block,) = re.findall(r"```python\n(.*?)```", code, flags=re.DOTALL)
    assert len(block.splitlines()) <= 40
    namespace: dict = {}
    exec(compile(block, str(DOC), "exec"), namespace)
    return namespace


class Server:
    """urlopen for the example: every URL through the test client (API and snapshot files)."""

    def __init__(self) -> None:
        self.client = Client()

    def urlopen(self, url, timeout=None):
        response = self.client.get(url.removeprefix(BASE))
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code >= 400:
            raise urllib.error.HTTPError(url, response.status_code, "error", {}, io.BytesIO(content))
        return io.BytesIO(content)


def publish_snapshot(root: Path, name: str) -> None:
    """A snapshot of the enterprises as the export writes it: the JSON Lines file and the manifest."""
    records = [data for (dataset, _), data in live_projection().items() if dataset == "enterprises"]
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    content = gzip.compress(lines.encode())
    (root / name).mkdir(parents=True)
    (root / name / "enterprises.jsonl.gz").write_bytes(content)
    entry = {
        "name": "enterprises.jsonl.gz",
        "format": "jsonl",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    manifest = {
        "snapshot": name,
        "generated_at": "2026-11-18T02:00:00+00:00",
        "timepoint": feed_timepoint_now(),
        "datasets": [{"dataset": "enterprises", "rows": len(records), "files": [entry]}],
    }
    (root / name / "manifest.json").write_text(json.dumps(manifest))


def test_the_example_client_loads_a_snapshot_and_follows_the_feed(monkeypatch, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path
    client = example_client()
    kept = EnterpriseFactory(name="合肥保留有限公司")
    gone = EnterpriseFactory()
    publish_snapshot(tmp_path, "20261118T020000Z")
    monkeypatch.setattr(urllib.request, "urlopen", Server().urlopen)

    records, timepoint = client["load_snapshot"](BASE, "enterprises", "uscc")
    assert records[kept.uscc]["name"] == "合肥保留有限公司"

    Enterprise.objects.filter(pk=kept.pk).update(name="合肥改名有限公司")
    gone.delete()
    newcomer = EnterpriseFactory()
    after = client["follow"](BASE, "enterprises", records, timepoint, rounds=1, wait=0)

    assert after == feed_timepoint_now()
    assert records[kept.uscc]["name"] == "合肥改名有限公司"
    assert gone.uscc not in records and newcomer.uscc in records
    live = {key: data for (dataset, key), data in live_projection().items() if dataset == "enterprises"}
    assert records == live

    FeedEvent.objects.update(published_at=timezone.now() - dt.timedelta(days=91))
    EnterpriseFactory()
    with pytest.raises(urllib.error.HTTPError) as gone_error:
        client["follow"](BASE, "enterprises", records, timepoint, rounds=1, wait=0)
    assert gone_error.value.code == 410
