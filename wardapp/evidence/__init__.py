"""Evidence: the capture forms, the idempotent submission API, the unit's own list."""
