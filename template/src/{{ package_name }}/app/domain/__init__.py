"""One package per domain, each the HTTP face of a business domain."""
