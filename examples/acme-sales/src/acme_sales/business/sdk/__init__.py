"""Support that every business domain shares, such as the database migrations."""
