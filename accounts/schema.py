"""The accounts' tables as the queries see them (migration 0004_accounts makes them; nothing drops them)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),  # Argon2id, with its salt and parameters
    Column("session_version", Integer, nullable=False, default=0),  # a new password ends older sessions
    Column("failures", Integer, nullable=False, default=0),  # wrong passwords since the last right one
    Column("created", DateTime(timezone=True), nullable=False),
    Column("edition_options", Text),  # JSON: the edition options the account chose last (0005)
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("label", Text, nullable=False),
    Column("digest", String(64), nullable=False, unique=True),  # SHA-256 of the token; the token is never kept
    Column("created", DateTime(timezone=True), nullable=False),
    Column("expires", DateTime(timezone=True)),
    Column("last_used", DateTime(timezone=True)),
    Column("revoked", DateTime(timezone=True)),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("account", Text, nullable=False),  # the account's name as it was (it may be removed since)
    Column("token", Text),  # the token's label and number, when a token did it
    Column("action", String(40), nullable=False),
    Column("target", Text, nullable=False),
)
