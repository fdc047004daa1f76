"""Middleware and exception handlers, one concern per module."""
