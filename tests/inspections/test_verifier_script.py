"""The standalone verifier (standard library only) agrees with the service, and catches forgeries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspections.selectors import draw_export
from tests.factories import AgencyFactory, PersonFactory
from tests.inspections.helpers import drawn, inspectors_for, make_task

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_draw.py"

pytestmark = pytest.mark.django_db


def run_script(tmp_path, export: dict, candidates: bytes) -> subprocess.CompletedProcess:
    draw_json = tmp_path / "draw.json"
    draw_json.write_text(json.dumps(export), encoding="utf-8")
    candidate_file = tmp_path / "candidates.csv"
    candidate_file.write_bytes(candidates)
    # -I: isolated mode, so nothing of the project (or its virtualenv's path) is importable.
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), str(draw_json), str(candidate_file)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def joint_task_drawn():
    from inspections.models import Inspector
    from registry.models import Enterprise

    other = AgencyFactory()
    inspectors_for(other, 5, prefix="联合")
    task = make_task(candidates=60, inspectors=6, joint=[other], ratio_b=25, max_targets_per_inspector=6)
    # A recusal, so the verifier must use the published exclusions too.
    person = PersonFactory()
    Inspector.objects.filter(pk=Inspector.objects.filter(agency=task.plan.agency).first().pk).update(
        person=person
    )
    Enterprise.objects.all().update(legal_representative_person=person)
    drawn(task)
    return task


def test_the_script_and_the_service_agree(tmp_path, joint_task_drawn):
    task = joint_task_drawn
    export = draw_export(task)
    assert export["exclusions"], "the fixture should record recusals"
    result = run_script(tmp_path, export, bytes(task.manifest.candidates))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"verified: seed {task.seed}, 15 targets, 30 inspector assignments")


@pytest.mark.parametrize("forgery", ["target", "inspector", "secret", "candidates", "manifest"])
def test_the_script_names_a_forgery(tmp_path, joint_task_drawn, forgery):
    task = joint_task_drawn
    export = draw_export(task)
    candidates = bytes(task.manifest.candidates)
    if forgery == "target":
        export["targets"][0]["uscc"], export["targets"][1]["uscc"] = (
            export["targets"][1]["uscc"],
            export["targets"][0]["uscc"],
        )
    elif forgery == "inspector":
        first = export["assignments"][0]["inspector"]
        # another inspector (the third assignment's may be the same one, depending on the seed)
        export["assignments"][0]["inspector"] = next(
            a["inspector"] for a in export["assignments"] if a["inspector"] != first
        )
    elif forgery == "secret":
        export["secrets"][1]["secret"] = "f" * 64
    elif forgery == "candidates":
        candidates = candidates.replace(b",2\n", b",1\n", 1)
    else:
        export["manifest_document"] = export["manifest_document"].replace(
            '"inspectors_per_target":2', '"inspectors_per_target":3'
        )
    result = run_script(tmp_path, export, candidates)
    assert result.returncode == 1
    expected = {
        "target": "the targets differ from position 1",
        "inspector": "the inspector assignments differ",
        "secret": "does not match its commitment",
        "candidates": "the candidate file's SHA-256",
        "manifest": "the manifest's SHA-256",
    }[forgery]
    assert expected in result.stdout


def test_the_script_imports_only_the_standard_library():
    source = SCRIPT.read_text(encoding="utf-8")
    imported = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from ")) and not line.startswith("from __future__")
    }
    assert imported <= set(sys.stdlib_module_names)
