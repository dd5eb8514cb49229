"""Every write to decided applications goes through these functions."""

from casework.services.corrections import objection_decide
from casework.services.decide import application_decide, may_decide
from casework.services.objections import objection_submit
from casework.services.removal import abnormal_removal_apply
from casework.services.repair import repair_application_submit

__all__ = [
    "abnormal_removal_apply",
    "application_decide",
    "may_decide",
    "objection_decide",
    "objection_submit",
    "repair_application_submit",
]
