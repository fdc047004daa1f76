"""The home domain's HTTP face: JSON models, converters, query parsing, routes."""
