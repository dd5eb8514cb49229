from inspections.services.directory import (
    annual_plan_create,
    annual_plan_update,
    conflict_declare,
    inspection_item_create,
    inspection_item_update,
    inspector_create,
    inspector_update,
)
from inspections.services.draw import Verification, draw_verify, task_draw
from inspections.services.results import (
    result_is_late,
    result_penalty_link,
    result_publish,
    result_record,
    result_update,
)
from inspections.services.tasks import (
    commitment_add,
    secret_reveal,
    task_beacon_set,
    task_create,
    task_manifest_publish,
    task_update,
)

__all__ = [
    "Verification",
    "annual_plan_create",
    "annual_plan_update",
    "commitment_add",
    "conflict_declare",
    "draw_verify",
    "inspection_item_create",
    "inspection_item_update",
    "inspector_create",
    "inspector_update",
    "result_is_late",
    "result_penalty_link",
    "result_publish",
    "result_record",
    "result_update",
    "secret_reveal",
    "task_beacon_set",
    "task_create",
    "task_draw",
    "task_manifest_publish",
    "task_update",
]
