"""Every write to government records, assessments and feedback counts goes through these functions."""

from government.services.assessments import (
    assessment_round_create,
    assessment_round_update,
    assessment_score_record,
    feedback_statistic_record,
)
from government.services.records import (
    dishonesty_record_clear,
    dishonesty_record_create,
    dishonesty_record_update,
)

__all__ = [
    "assessment_round_create",
    "assessment_round_update",
    "assessment_score_record",
    "dishonesty_record_clear",
    "dishonesty_record_create",
    "dishonesty_record_update",
    "feedback_statistic_record",
]
