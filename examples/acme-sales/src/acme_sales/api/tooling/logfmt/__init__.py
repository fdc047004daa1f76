"""logfmt: JSON log lines made readable."""
