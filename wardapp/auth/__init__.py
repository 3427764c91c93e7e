"""Accounts: sign-in, roles, the unit a user belongs to, and their administration."""
