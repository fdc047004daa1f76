"""Business rules on strong types; knows nothing of HTTP."""
