"""Reads of government integrity records that the public pages and the API share."""
