"""Django admin for scoring: agency grading schemes and the grades agencies imported."""

from scoring.admin import agency_grades  # noqa: F401  (registers the models)
