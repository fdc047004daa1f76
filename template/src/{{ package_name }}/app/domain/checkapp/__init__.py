"""Liveness and readiness: is the process up, can it serve."""
