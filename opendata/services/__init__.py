"""Writes of the open-data app."""
