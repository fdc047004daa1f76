"""Reusable packages that know nothing of this service: config, logging, web glue, Postgres."""
