"""Helpers shared by the tests that run a copy of the project in a subprocess."""
