"""The index of the content folder: articles (with their authors, subjects and words for search), books,
and the catalogue's state.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table("catalogue_state", sa.Column("name", sa.String(40), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.Text, nullable=False, unique=True),
        sa.Column("slug", sa.Text, nullable=False, index=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("title_key", sa.Text, nullable=False, index=True),
        sa.Column("subtitle", sa.Text),
        sa.Column("byline", sa.Text, nullable=False),
        sa.Column("author_key", sa.Text, nullable=False, index=True),
        sa.Column("language", sa.String(35), nullable=False, index=True),
        sa.Column("published", sa.Date, index=True),
        sa.Column("year", sa.Integer, index=True),
        sa.Column("added", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("source_url", sa.Text),
        sa.Column("site", sa.Text, index=True),
        sa.Column("series", sa.Text),
        sa.Column("subjects", sa.Text, nullable=False),
        sa.Column("warnings", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
    )
    for name in ("article_authors", "article_subjects"):
        op.create_table(name, sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                                        nullable=False, index=True),
                        sa.Column("name", sa.Text, nullable=False, index=True))
    op.create_table(
        "books",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("title_key", sa.Text, nullable=False, index=True),
        sa.Column("editors", sa.Text, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
    )
    op.create_table("book_entries",
                    sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id", ondelete="CASCADE"), nullable=False,
                              index=True),
                    sa.Column("position", sa.Integer, nullable=False),
                    sa.Column("slug", sa.Text, nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        # Words as Unicode spells them, accents folded; bm25 weighs a title above the authors above the body.
        op.execute("CREATE VIRTUAL TABLE article_words USING fts5(title, authors, body, "
                   "tokenize = 'unicode61 remove_diacritics 2')")
    else:
        # Each article's words in its language's text-search configuration (stemmed), searched through GIN.
        op.create_table("article_words",
                        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                                  primary_key=True),
                        sa.Column("config", sa.Text, nullable=False),
                        sa.Column("body", sa.Text, nullable=False))
        op.execute("ALTER TABLE article_words ADD COLUMN vector tsvector NOT NULL")
        op.execute("CREATE INDEX article_words_vector ON article_words USING gin (vector)")
        op.execute("CREATE INDEX article_words_config ON article_words (config)")


def downgrade() -> None:
    for name in ("article_words", "book_entries", "books", "article_subjects", "article_authors", "articles",
                 "catalogue_state"):
        op.drop_table(name)
