"""Helpers every app uses: identifiers, privacy, data classification, working days, uploads, bulk COPY.

No models and no imports of the project's apps: everything else may import it.
"""
