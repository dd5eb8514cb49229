"""Django admin for the company's own filings: annual reports (view only), disclosures, commitments.

Every save goes through ``filings.services`` (see ``registry.admin.base``).
"""

from filings.admin import annual_reports, commitments, disclosures  # noqa: F401  (registers the models)
