from scoring.indicators import catalogue  # noqa: F401 - registers the indicators
from scoring.indicators.base import (
    COLUMNS,
    Indicator,
    Tier,
    indicator_choices,
    indicator_get,
    indicator_register,
    indicators_all,
)

__all__ = [
    "COLUMNS",
    "Indicator",
    "Tier",
    "indicator_choices",
    "indicator_get",
    "indicator_register",
    "indicators_all",
]
