"""Helpers every server-rendered page shares: CSRF protection and who is logged in."""
