"""What every page shares: the home page per role, health, language, errors, access."""
