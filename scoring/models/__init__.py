"""Scoring's models, one module per part: agency operational grades (``agency_grades``)."""

from scoring.models.agency_grades import AgencyGrade, AgencyGradeLevel, AgencyGradeScheme

__all__ = ["AgencyGrade", "AgencyGradeLevel", "AgencyGradeScheme"]
