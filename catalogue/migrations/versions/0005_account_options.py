"""The edition options each account chose last, kept with the account (a column added; nothing dropped).

Revision ID: 0005_account_options
Revises: 0004_accounts
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_account_options"
down_revision = "0004_accounts"


def upgrade() -> None:
    op.add_column("accounts", sa.Column("edition_options", sa.Text))


def downgrade() -> None:
    op.drop_column("accounts", "edition_options")
