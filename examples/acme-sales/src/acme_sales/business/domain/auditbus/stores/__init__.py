"""Implementations of AuditStorer."""
