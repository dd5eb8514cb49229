"""Per-language date and number formats (FORMAT_MODULE_PATH); Django's own fill the rest."""
