from casework.models.base import DecidedApplication, DecidedApplicationQuerySet
from casework.models.objections import Objection
from casework.models.removal import AbnormalRemovalApplication
from casework.models.repair import RepairApplication

__all__ = [
    "AbnormalRemovalApplication",
    "DecidedApplication",
    "DecidedApplicationQuerySet",
    "Objection",
    "RepairApplication",
]
