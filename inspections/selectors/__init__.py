from inspections.selectors.candidates import (
    task_candidate_file,
    task_candidates_with_stratum,
    task_enterprises,
)
from inspections.selectors.export import draw_export, task_roster
from inspections.selectors.recusals import recusals_for

__all__ = [
    "draw_export",
    "recusals_for",
    "task_candidate_file",
    "task_candidates_with_stratum",
    "task_enterprises",
    "task_roster",
]
