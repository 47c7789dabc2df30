"""Persistence: the SQLite schema, its migrations and one repository per aggregate."""
