"""Django admin for scoring: rule sets, evaluations and risk classes; warning interviews, briefings and
the alert list; agency grading schemes and the grades agencies imported."""

from scoring.admin import agency_grades, rules, triggers  # noqa: F401  (registers the models)
