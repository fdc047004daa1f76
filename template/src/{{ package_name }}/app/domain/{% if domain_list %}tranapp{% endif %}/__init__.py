"""The transaction example: work across domains in one database transaction."""
