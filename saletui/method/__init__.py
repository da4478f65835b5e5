"""The key-account sales method as plain data and pure functions (no UI, no database)."""
