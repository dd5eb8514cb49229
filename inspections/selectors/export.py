"""The published record of a draw, as one JSON document anyone can check (``scripts/verify_draw.py``).

Format ``inspection-draw/2``: the manifest exactly as hashed, the candidate file's hash (the file
itself is downloaded beside it), the secrets with their commitments, the beacon, the seed, and
what the draw produced: targets, assignments and exclusions, by USCC and inspector id.
"""

from __future__ import annotations

import json

from inspections.draw.algorithm import CandidateFile
from inspections.models import DrawManifest, DrawnTarget, Exclusion, InspectionTask, InspectorAssignment

EXPORT_FORMAT = "inspection-draw/2"


def task_roster(manifest: DrawManifest) -> list[tuple[int, list[int]]]:
    """[(agency id, inspector ids)] in department order, as frozen in the manifest."""
    document = json.loads(manifest.document)
    return [
        (department["agency"], [inspector["id"] for inspector in department["inspectors"]])
        for department in document["departments"]
    ]


def draw_export(task: InspectionTask) -> dict:
    """Everything public about the task's draw; before the draw, the manifest and commitments only."""
    manifest = DrawManifest.objects.get(task=task)
    commitments = list(task.commitments.order_by("order"))
    export = {
        "format": EXPORT_FORMAT,
        "task": task.pk,
        "state": task.state,
        "manifest_document": manifest.document,
        "manifest_sha256": manifest.sha256,
        "candidates_sha256": manifest.candidates_sha256,
        "candidate_count": manifest.candidate_count,
        "secrets": [
            {
                "order": commitment.order,
                "party": commitment.party,
                "commitment": commitment.commitment,
                "secret": commitment.secret,
            }
            for commitment in commitments
        ],
        "beacon": task.beacon,
        "seed": task.seed,
        "targets": [],
        "assignments": [],
        "exclusions": [],
    }
    if task.state != InspectionTask.State.DRAWN:
        return export
    targets = DrawnTarget.objects.filter(task=task).order_by("position")
    candidates = CandidateFile(bytes(manifest.candidates), len(json.loads(manifest.document)["strata"]))
    # Each target's stratum as published in the candidate file: its number, never its class.
    export["targets"] = [
        {
            "position": position,
            "uscc": uscc,
            "stratum": candidates.stratum_of(uscc),
            "stream_index": stream_index,
            "replaced": replaced,
        }
        for position, uscc, stream_index, replaced in targets.values_list(
            "position", "enterprise__uscc", "stream_index", "replaced"
        )
    ]
    export["assignments"] = [
        {
            "position": position,
            "slot": slot,
            "inspector": inspector,
            "department": department,
            "stream_index": index,
        }
        for position, slot, inspector, department, index in InspectorAssignment.objects.filter(
            target__task=task
        )
        .order_by("target__position", "slot")
        .values_list("target__position", "slot", "inspector_id", "department_id", "stream_index")
    ]
    export["exclusions"] = [
        {"uscc": uscc, "inspector": inspector, "reason": reason}
        for uscc, inspector, reason in Exclusion.objects.filter(task=task)
        .order_by("enterprise__uscc", "inspector_id", "reason")
        .values_list("enterprise__uscc", "inspector_id", "reason")
    ]
    return export
