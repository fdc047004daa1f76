"""The sales service: the API the project exists for."""
