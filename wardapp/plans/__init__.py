"""Plans, their tasks and units; a plan is loaded from shipped data or imported."""
