"""Persistence: peewee models, queries and schema migrations. Knows nothing of the UI."""
