"""Periodicals: the feed items already in an issue (so that the next issue leaves them out) and the
issues each periodical has made.

Revision ID: 0003_feeds
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_feeds"
down_revision = "0002"


def upgrade() -> None:
    op.create_table("periodical_items",
                    sa.Column("periodical", sa.Text, primary_key=True),
                    sa.Column("item_key", sa.Text, primary_key=True),  # the entry's id, else its link
                    sa.Column("issue", sa.Integer, nullable=False))
    op.create_table("periodical_issues",
                    sa.Column("periodical", sa.Text, primary_key=True),
                    sa.Column("number", sa.Integer, primary_key=True),
                    sa.Column("made", sa.Date, nullable=False),
                    sa.Column("book", sa.Text, nullable=False),  # the manifest's slug in the content folder
                    sa.Column("articles", sa.Text, nullable=False))  # the article folders, one a line


def downgrade() -> None:
    op.drop_table("periodical_issues")
    op.drop_table("periodical_items")
