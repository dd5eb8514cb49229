"""All-or-nothing spreadsheet imports for agency clerks."""
