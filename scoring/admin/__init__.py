"""Django admin for scoring: rule sets, evaluations and risk classes; agency grading schemes and the
grades agencies imported."""

from scoring.admin import agency_grades, rules  # noqa: F401  (registers the models)
