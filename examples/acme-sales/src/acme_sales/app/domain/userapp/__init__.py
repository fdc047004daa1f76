"""The user domain's HTTP face: JSON models, converters to and from the business model, routes."""
