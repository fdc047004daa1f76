"""The auth service's HTTP face: tokens for credentials, identity for tokens, rule decisions."""
