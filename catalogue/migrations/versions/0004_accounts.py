"""Accounts, their API tokens and the audit log (tables added beside the index; never dropped).

Revision ID: 0004_accounts
Revises: 0003_feeds
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_accounts"
down_revision = "0003_feeds"


def upgrade() -> None:
    op.create_table("accounts",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(80), nullable=False, unique=True),
                    sa.Column("role", sa.String(20), nullable=False),
                    sa.Column("password_hash", sa.Text, nullable=False),
                    sa.Column("session_version", sa.Integer, nullable=False, server_default="0"),
                    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
                    sa.Column("created", sa.DateTime(timezone=True), nullable=False))
    op.create_table("api_tokens",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"),
                              nullable=False, index=True),
                    sa.Column("role", sa.String(20), nullable=False),
                    sa.Column("label", sa.Text, nullable=False),
                    sa.Column("digest", sa.String(64), nullable=False, unique=True),
                    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("expires", sa.DateTime(timezone=True)),
                    sa.Column("last_used", sa.DateTime(timezone=True)),
                    sa.Column("revoked", sa.DateTime(timezone=True)))
    op.create_table("audit_log",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
                    sa.Column("account", sa.Text, nullable=False),
                    sa.Column("token", sa.Text),
                    sa.Column("action", sa.String(40), nullable=False),
                    sa.Column("target", sa.Text, nullable=False))


def downgrade() -> None:
    # Accounts and the audit log are kept: a downgrade of the index never takes them away.
    pass
