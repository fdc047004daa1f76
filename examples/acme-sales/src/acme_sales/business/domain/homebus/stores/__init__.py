"""Where homes are kept."""
