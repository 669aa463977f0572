"""Accounts: registration, log-in, password reset, roles and the learner's profile."""
