"""Finding articles in the index: the user's words made safe for each engine, filters, sorts, pages of
50, counts by author, language, year, site and subject, and a snippet of each hit's text."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Float, Integer, and_, case, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..errors import PressroomError
from .records import UNSPACED
from .schema import article_authors, article_subjects, articles, state

MAX_QUERY_CHARS = 500
PER_PAGE = 50
FACET_VALUES = 12
SNIPPET_CHARS = 220
SORTS = {"relevance": "Relevance", "title": "Title", "author": "Author", "published": "Date published",
         "added": "Date added"}
FACETS = {"author": "Author", "language": "Language", "year": "Year", "site": "Source site", "subject": "Subject"}
_TOKENS = re.compile(r'"([^"]*)"?|([^\s"]+)')
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


class SearchError(PressroomError):
    """A search the catalogue will not run (too long); the message says how to ask instead."""

    exit_code = 2


@dataclass(frozen=True)
class Term:
    """One thing to find: a word, a "phrase in quotes", or a prefix* (its last word's beginning)."""

    text: str
    phrase: bool = False
    prefix: bool = False

    @property
    def unspaced(self) -> bool:
        """Whether it is in a script written without spaces: then it is found as a substring."""
        return bool(UNSPACED.search(self.text))


def terms_of(query: str) -> list[Term]:
    """The terms of what the user typed; syntax the engines have (NEAR, column:, ^, unbalanced quotes)
    is taken as words, and what holds no letter or digit is dropped."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"the search is {len(query):,} characters long; ask with at most {MAX_QUERY_CHARS} "
                          "(a few words or a phrase find as much)")
    terms = []
    for phrase, word in _TOKENS.findall(_CONTROLS.sub(" ", query)):
        words = " ".join((phrase or word).split())
        prefix = not phrase and words.endswith("*")
        words = words.rstrip("*") if not phrase else words
        if re.search(r"\w", words):
            terms.append(Term(words, phrase=bool(phrase), prefix=prefix))
    return terms


@dataclass(frozen=True)
class Filters:
    """What a listing shows: the articles matching `search` and every filter given."""

    search: str = ""
    author: str = ""
    language: str = ""
    year: int | None = None
    site: str = ""
    subject: str = ""

    @property
    def given(self) -> dict[str, Any]:
        return {name: value for name, value in vars(self).items() if value not in ("", None)}


@dataclass(frozen=True)
class Hit:
    """One article of a listing, with what its entry shows; `snippet` is its text around the first
    match, as (text, matched) pieces."""

    slug: str
    path: str
    title: str
    subtitle: str | None
    byline: str
    language: str
    published: Any
    added: Any
    words: int
    minutes: int
    site: str | None
    error: str | None
    snippet: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class Listing:
    """A page of a listing: its hits, how many match in all, the page (from 1) of how many, the counts."""

    hits: list[Hit]
    total: int
    page: int
    pages: int
    sort: str
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def listing(engine: Engine, filters: Filters, sort: str = "", page: int = 1, per_page: int = PER_PAGE,
            facets: bool = True) -> Listing:
    """The page `page` of the articles matching `filters`, sorted by `sort` (relevance when searching,
    else title); a page past the end is the last one."""
    terms = terms_of(filters.search)
    sort = sort if sort in SORTS and (sort != "relevance" or terms) else ("relevance" if terms else "title")
    try:
        with engine.connect() as connection:
            generation = connection.execute(select(state.c.value).where(state.c.name == "generation")).scalar()
            index = (str(engine.url), generation)
            counted = _cached((*index, filters, facets), generation)
            if counted is None:
                counted = _counts(connection, *_matching(connection, index, filters, terms, ranking=False), facets)
                _remember((*index, filters, facets), counted, generation)
            total, found_facets = counted
            pages = max(1, -(-total // per_page))
            page = min(max(page, 1), pages)
            # A page's articles are kept by id with the counts: the next request for the page ranks nothing.
            ids = _cached((*index, filters, sort, page, per_page), generation)
            if ids is None:
                ranked, conditions = _matching(connection, index, filters, terms)
                query = select(articles.c.id).where(*conditions)
                if ranked is not None:
                    query = query.join(ranked, ranked.c.id == articles.c.id)
                query = query.order_by(*_order(sort, ranked), articles.c.path).limit(per_page)
                ids = tuple(connection.execute(query.offset((page - 1) * per_page)).scalars())
                _remember((*index, filters, sort, page, per_page), ids, generation)
            found = {row.id: row for row in connection.execute(select(articles).where(articles.c.id.in_(ids)))}
            rows = [found[number] for number in ids if number in found]
            bodies = _bodies(connection, [row.id for row in rows]) if terms else {}
    except SQLAlchemyError as error:
        raise SearchError(f"the catalogue cannot answer this search ({_first_line(error)}); try other words") from None
    hits = [Hit(row.slug, row.path, row.title, row.subtitle, row.byline, row.language, row.published, row.added,
                row.words, row.minutes, row.site, row.error, snippet(bodies.get(row.id, ""), terms))
            for row in rows]
    return Listing(hits, total, page, pages, sort, found_facets)


def _matching(connection, index: tuple, filters: Filters, terms: list[Term], ranking: bool = True):
    """The ranked matches of the words (a subquery of id and rank, lower first), or None; and the conditions.
    Without `ranking`, every match has the rank 0 (what counting needs, for less work)."""
    conditions = []
    for column, value in ((articles.c.language, filters.language), (articles.c.year, filters.year),
                          (articles.c.site, filters.site)):
        if value not in ("", None):
            conditions.append(column == value)
    for table, value in ((article_authors, filters.author), (article_subjects, filters.subject)):
        if value:
            conditions.append(articles.c.id.in_(select(table.c.article_id).where(table.c.name == value)))
    sqlite = connection.dialect.name == "sqlite"
    for number, term in enumerate(term for term in terms if term.unspaced):
        conditions.append(articles.c.id.in_(_substring(sqlite, term.text, f"glyphs{number}")))
    words = [term for term in terms if not term.unspaced]
    if not words:
        if terms and ranking:  # substrings only: a title that holds them first
            return (select(articles.c.id, case((and_(*[articles.c.title.contains(term.text) for term in terms]), 0),
                                               else_=1).label("rank")).subquery("ranked"), conditions)
        return None, conditions
    if sqlite:
        match = " ".join('"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "") for term in words)
        rank = "bm25(article_words, 10.0, 4.0, 1.0)" if ranking else "0.0"
        ranked = text(f"SELECT rowid AS id, {rank} AS rank FROM article_words "
                      "WHERE article_words MATCH :match").bindparams(match=match)
    else:
        ranked = _postgresql_ranked(connection, index, words, ranking)
    return ranked.columns(id=Integer, rank=Float).subquery("ranked"), conditions


def _substring(sqlite: bool, wanted: str, name: str):
    """The ids of the articles whose text holds `wanted`; through the trigram index when it has three
    characters or more (SQLite's trigram index matches nothing shorter, so that is looked for in each text)."""
    if sqlite and len(wanted) < 3:
        query = f"SELECT rowid FROM article_glyphs WHERE instr(text, :{name}) > 0"
        return text(query).bindparams(**{name: wanted}).columns(id=Integer)
    pattern = "%" + re.sub(r"[%_\\]", "", wanted) + "%"
    query = (f"SELECT rowid FROM article_glyphs WHERE text LIKE :{name}" if sqlite
             else f"SELECT article_id FROM article_glyphs WHERE text ILIKE :{name}")
    return text(query).bindparams(**{name: pattern}).columns(id=Integer)


def _postgresql_ranked(connection, index: tuple, words: list[Term], ranking: bool):
    """Every term in the article's words, in any text-search configuration the index uses."""
    configs = _cached((*index, "configs"), index[1])
    if configs is None:  # a look at every row of the index: once for each state of it
        configs = tuple(connection.execute(text("SELECT DISTINCT config FROM article_words")).scalars()) or ("simple",)
        _remember((*index, "configs"), configs, index[1])
    values: dict[str, str] = {}
    alternatives = []
    for c, config in enumerate(configs):
        values[f"c{c}"] = config
        parts = []
        for t, term in enumerate(words):
            if term.prefix:
                pieces = re.findall(r"\w+", term.text)
                values[f"t{t}"] = " <-> ".join(pieces[:-1] + [pieces[-1] + ":*"])
                parts.append(f"to_tsquery(CAST(:c{c} AS regconfig), :t{t})")
            else:
                values[f"t{t}"] = term.text
                parts.append(f"phraseto_tsquery(CAST(:c{c} AS regconfig), :t{t})")
        alternatives.append("(" + " && ".join(parts) + ")")
    query = " || ".join(alternatives)
    rank = "-ts_rank(vector, q)" if ranking else "0.0"
    return text(f"SELECT article_id AS id, {rank} AS rank FROM article_words, (SELECT {query}) AS found(q) "
                "WHERE vector @@ q").bindparams(**values)


def _order(sort: str, ranked):
    if sort == "relevance":
        return [ranked.c.rank, articles.c.title_key]
    if sort == "author":
        return [articles.c.author_key == "", articles.c.author_key, articles.c.title_key]
    if sort == "published":
        return [articles.c.published.is_(None), articles.c.published.desc(), articles.c.title_key]
    if sort == "added":
        return [articles.c.added.desc()]
    return [articles.c.title_key]


def _counts(connection, ranked, conditions, facets: bool):
    if ranked is not None and not conditions:  # the words alone: their matches, without a join
        matching = select(ranked.c.id)
    else:
        matching = select(articles.c.id).where(*conditions)
        if ranked is not None:
            matching = matching.where(articles.c.id.in_(select(ranked.c.id)))
    filtered = ranked is not None or bool(conditions)
    total = connection.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
    found = {}
    if facets and total:
        for name, column in (("language", articles.c.language), ("year", articles.c.year), ("site", articles.c.site)):
            query = select(column, func.count().label("n")).where(column.is_not(None))
            query = query.where(column != "") if name != "year" else query
            found[name] = _top(connection, query.where(articles.c.id.in_(matching)) if filtered else query, column)
        for name, table in (("author", article_authors), ("subject", article_subjects)):
            query = select(table.c.name, func.count().label("n"))
            found[name] = _top(connection, query.where(table.c.article_id.in_(matching)) if filtered else query,
                               table.c.name)
    return total, {name: found[name] for name in FACETS if found.get(name)}


def _top(connection, query, column) -> list[tuple[str, int]]:
    rows = connection.execute(query.group_by(column).order_by(text("n DESC"), column).limit(FACET_VALUES))
    return [(str(value), count) for value, count in rows]


def _bodies(connection, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    key = "rowid" if connection.dialect.name == "sqlite" else "article_id"
    rows = connection.execute(text(f"SELECT {key}, substr(body, 1, 200000) FROM article_words "
                                   f"WHERE {key} IN ({','.join(str(int(i)) for i in ids)})"))
    return dict(rows.all())


def snippet(body: str, terms: list[Term]) -> tuple[tuple[str, bool], ...]:
    """The body around the first place a term occurs, cut at spaces, as (text, matched) pieces."""
    if not body or not terms:
        return ()
    patterns = [r"\s+".join(map(re.escape, term.text.split())) + (r"\w*" if term.prefix else "") for term in terms]
    finder = re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)
    first = finder.search(body)
    start = 0 if first is None else max(0, first.start() - SNIPPET_CHARS // 3)
    if start:
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < (first.start() if first else start) else start
    window = " ".join(body[start:start + SNIPPET_CHARS].split())
    pieces, at = [], 0
    for found in finder.finditer(window):
        if found.start() > at:
            pieces.append((window[at:found.start()], False))
        pieces.append((found.group(), True))
        at = found.end()
    if at < len(window):
        pieces.append((window[at:], False))
    return (("…", False),) * bool(start) + tuple(pieces) + (("…", False),) * (start + SNIPPET_CHARS < len(body))


_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()
CACHED = 512  # counts, pages of ids, configurations: each small


def _cached(key, generation):
    """What was kept for `key` in the index's state `generation`; None, as if not kept, when the index
    has no generation yet."""
    if not generation:
        return None
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    return None


def _remember(key, value, generation) -> None:
    """Kept until the index changes (its generation is part of every key); the oldest go first."""
    if not generation:
        return
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > CACHED:
            _cache.popitem(last=False)


def _first_line(error: SQLAlchemyError) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]
