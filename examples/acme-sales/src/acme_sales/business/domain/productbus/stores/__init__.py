"""Where products are kept."""
