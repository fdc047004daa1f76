"""The audit domain's HTTP face: reading the audit trail (admins only)."""
