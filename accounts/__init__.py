"""Accounts, their roles, API tokens and the audit log, kept in the catalogue's database."""
