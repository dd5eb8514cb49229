"""The open-data page: the published bulk snapshots, and their files served as static files."""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from opendata.snapshots import LICENCE, published_snapshots, snapshot_file
from portal.formatting import is_chinese


def _snapshot_rows(manifest: dict, *, chinese: bool) -> dict:
    datasets = []
    for item in manifest["datasets"]:
        files = [
            {
                **entry,
                "url": reverse("portal:open-data-file", args=[manifest["snapshot"], entry["name"]]),
            }
            for entry in item["files"]
        ]
        columns = [
            {"name": column["name"], "description": column["description_zh" if chinese else "description_en"]}
            for column in item["columns"]
        ]
        datasets.append(
            {
                "name": item["dataset"],
                "title": item["title_zh" if chinese else "title_en"],
                "schema_version": item["schema_version"],
                "rows": item["rows"],
                "files": files,
                "columns": columns,
            }
        )
    return {
        "name": manifest["snapshot"],
        "generated_at": dt.datetime.fromisoformat(manifest["generated_at"]),
        "timepoint": manifest["timepoint"],
        "datasets": datasets,
        "size": sum(entry["size"] for item in manifest["datasets"] for entry in item["files"]),
    }


@require_GET
def open_data(request):
    chinese = is_chinese(request.LANGUAGE_CODE)
    snapshots = [_snapshot_rows(manifest, chinese=chinese) for manifest in published_snapshots()]
    return render(
        request,
        "portal/open_data.html",
        {
            "snapshots": snapshots,
            "latest": snapshots[0] if snapshots else None,
            "licence": {**LICENCE, "title": LICENCE["title_zh" if chinese else "title_en"]},
        },
    )


@require_GET
def open_data_file(request, snapshot: str, filename: str):
    """One file of a snapshot, as listed in its manifest; it never changes once published."""
    found = snapshot_file(snapshot, filename)
    if found is None:
        raise Http404("No such snapshot file.")
    path, entry = found
    etag = f'"{entry["sha256"]}"'
    cache = "public, max-age=31536000, immutable"
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(open(path, "rb"), as_attachment=True, filename=filename)  # noqa: SIM115
        response["Content-Type"] = "application/gzip"
        response["Content-Length"] = str(entry["size"])
    response["ETag"] = etag
    response["Cache-Control"] = cache
    return response
