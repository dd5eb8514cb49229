"""Synthetic, reproducible demo data at any scale (see ``manage.py generate_demo_data``)."""

from demo.codes import demo_resident_id, person_name

__all__ = ["demo_resident_id", "person_name"]
