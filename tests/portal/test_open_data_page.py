"""The open-data page and its file downloads, over a snapshot written to a temporary folder."""

import gzip
import hashlib
import json
import re

import pytest

from opendata.datasets import DATASETS


def _snapshot(root, name="20261118T020000Z", rows=2):
    directory = root / name
    directory.mkdir(parents=True)
    each = DATASETS["enterprises"]
    files = []
    for kind in ("csv", "jsonl"):
        content = gzip.compress(f"{kind} content\n".encode(), mtime=0)
        (directory / f"enterprises.{kind}.gz").write_bytes(content)
        files.append(
            {
                "name": f"enterprises.{kind}.gz",
                "format": kind,
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
    manifest = {
        "format": 1,
        "snapshot": name,
        "generated_at": "2026-11-18T02:00:00+00:00",
        "timepoint": 4711,
        "licence": {"name": "CC BY 4.0"},
        "datasets": [
            {
                "dataset": each.name,
                "title_en": each.title_en,
                "title_zh": each.title_zh,
                "schema_version": each.schema_version,
                "rows": rows,
                "columns": each.column_dictionary(),
                "files": files,
            }
        ],
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
    return manifest


@pytest.fixture
def root(tmp_path, settings):
    settings.OPEN_DATA_ROOT = tmp_path
    return tmp_path


def test_the_page_lists_each_file_with_its_size_hash_and_link(client, root):
    manifest = _snapshot(root)
    _snapshot(root, name="20261117T020000Z")
    response = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Latest snapshot: 20261118T020000Z" in page
    assert "Snapshot 20261117T020000Z" in page
    assert "4711" in page
    assert "CC BY 4.0" in page
    for entry in manifest["datasets"][0]["files"]:
        assert entry["sha256"] in page
        assert f'href="/open-data/files/20261118T020000Z/{entry["name"]}"' in page
    assert "Enterprises and other registered organisations" in page
    assert DATASETS["enterprises"].columns[0].description_en in page
    # No Chinese dataset titles or column descriptions on the English page.
    main = page.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    assert not re.search(r"[\u4e00-\u9fff]", main)


def test_the_chinese_page_names_datasets_and_columns_in_chinese(client, root):
    _snapshot(root)
    page = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "企业及其他登记主体" in page
    assert DATASETS["enterprises"].columns[0].description_zh in page


def test_without_a_snapshot_the_page_says_so(client, root):
    response = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en")
    assert "No snapshot has been published yet." in response.content.decode()


def test_a_partial_export_is_not_listed(client, root):
    (root / ".partial-abc").mkdir()
    (root / ".partial-abc" / "manifest.json").write_text("{}")
    response = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en")
    assert "No snapshot has been published yet." in response.content.decode()


def test_a_file_is_served_with_its_hash_as_etag(client, root):
    manifest = _snapshot(root)
    entry = manifest["datasets"][0]["files"][1]
    response = client.get(f"/open-data/files/20261118T020000Z/{entry['name']}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == entry["sha256"]
    assert response["ETag"] == f'"{entry["sha256"]}"'
    assert response["Content-Type"] == "application/gzip"
    assert "immutable" in response["Cache-Control"]
    again = client.get(
        f"/open-data/files/20261118T020000Z/{entry['name']}", HTTP_IF_NONE_MATCH=f'"{entry["sha256"]}"'
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/files/20261118T020000Z/manifest.json",
        "/open-data/files/20261118T020000Z/officers.csv.gz",
        "/open-data/files/20991118T020000Z/enterprises.csv.gz",
        "/open-data/files/..%2F..%2Fetc/passwd",
        "/open-data/files/.partial-x/enterprises.csv.gz",
    ],
)
def test_only_files_a_manifest_lists_are_served(client, root, path):
    _snapshot(root)
    assert client.get(path).status_code == 404


def test_the_footer_links_the_open_data_page(client, root):
    page = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/open-data/">Open data: bulk downloads</a>' in page
