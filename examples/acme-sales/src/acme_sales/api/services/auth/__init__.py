"""The auth service: issues tokens, authenticates them, and evaluates authorization rules."""
