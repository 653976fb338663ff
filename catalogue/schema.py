"""The catalogue's tables as the queries see them (the migrations make them): the index of the content
folder's articles and books, and the catalogue's own state."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

state = Table(
    "catalogue_state", metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False, unique=True),  # in the content folder, with "/" between folders
    Column("slug", Text, nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("digest", String(64), nullable=False),  # SHA-256 of the file's bytes
    Column("title", Text, nullable=False),
    Column("title_key", Text, nullable=False, index=True),
    Column("subtitle", Text),
    Column("byline", Text, nullable=False),
    Column("author_key", Text, nullable=False, index=True),
    Column("language", String(35), nullable=False, index=True),
    Column("published", Date, index=True),
    Column("year", Integer, index=True),
    Column("added", DateTime(timezone=True), nullable=False, index=True),
    Column("words", Integer, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("source_url", Text),
    Column("site", Text, index=True),
    Column("series", Text),
    Column("subjects", Text, nullable=False),  # one a line, as written
    Column("warnings", Text, nullable=False),  # one a line
    Column("error", Text),  # why the file cannot be read; the other fields then hold what is known
)

article_authors = Table(
    "article_authors", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", Text, nullable=False, index=True),
)

article_subjects = Table(
    "article_subjects", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", Text, nullable=False, index=True),
)

books = Table(
    "books", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),  # the manifest's file name without .yaml
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("title_key", Text, nullable=False, index=True),
    Column("editors", Text, nullable=False),
    Column("words", Integer, nullable=False),
    Column("error", Text),  # why the book cannot be made (an article it lists is missing...)
)

book_entries = Table(
    "book_entries", metadata,
    Column("book_id", Integer, ForeignKey("books.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("slug", Text, nullable=False),
)


periodical_items = Table(
    "periodical_items", metadata,
    Column("periodical", Text, primary_key=True),
    Column("item_key", Text, primary_key=True),
    Column("issue", Integer, nullable=False),
)

periodical_issues = Table(
    "periodical_issues", metadata,
    Column("periodical", Text, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("made", Date, nullable=False),
    Column("book", Text, nullable=False),
    Column("articles", Text, nullable=False),
)
