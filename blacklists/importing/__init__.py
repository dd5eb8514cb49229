"""All-or-nothing imports of published lists (court defaulters, consumption restriction)."""
