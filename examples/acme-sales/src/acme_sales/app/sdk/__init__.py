"""Pieces every app domain shares: the error model and the middleware."""
