"""Implementations of UserStorer."""
