"""The published datasets: which rows of which table, and which of their columns, are open data.

Every column is checked against the data classification (:mod:`opendata.datasets.checks`); the bulk
export and the change feed both project rows through these definitions.
"""

from __future__ import annotations

from .base import Column, Dataset, UnknownDataset, row_from_json
from .common import REFERENCE_LOOKUPS
from .filings import FILING_DATASETS
from .lists import LIST_DATASETS, PUBLIC_LIST_TYPES
from .register import REGISTER_DATASETS

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset for dataset in (*REGISTER_DATASETS, *LIST_DATASETS, *FILING_DATASETS)
}


def dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise UnknownDataset(name, DATASETS) from None


def clear_lookups() -> None:
    """Forget cached reference data (agency names, list types) and batch lookups."""
    for lookup in REFERENCE_LOOKUPS:
        lookup.clear()
    PUBLIC_LIST_TYPES.clear()
    for each in DATASETS.values():
        each.release()


__all__ = ["DATASETS", "Column", "Dataset", "UnknownDataset", "clear_lookups", "dataset", "row_from_json"]
