"""Search in languages written without spaces (Chinese, Japanese, Thai...): their text in a trigram
index, matched as substrings. Every article is read again at the next walk to fill it.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE article_glyphs USING fts5(text, tokenize = 'trigram')")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_table("article_glyphs",
                        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                                  primary_key=True),
                        sa.Column("text", sa.Text, nullable=False))
        op.execute("CREATE INDEX article_glyphs_text ON article_glyphs USING gin (text gin_trgm_ops)")
    # The index was made by readers that filled no glyphs: the next walk reads every file again.
    op.execute("DELETE FROM catalogue_state WHERE name = 'reader_version'")


def downgrade() -> None:
    op.drop_table("article_glyphs")
