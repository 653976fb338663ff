"""What a listing page reads from its URL (search, filters, sort, page) and the links that change one of them."""

from __future__ import annotations

from flask import abort, request, url_for

from ..catalogue.search import FACETS, SORTS, Filters

# The URL's name of each filter (the language's is the HTML attribute's).
PARAMETERS = {"author": "author", "language": "lang", "year": "year", "site": "site", "subject": "subject"}


def requested_filters() -> Filters:
    """The search and filters of this request's query; a year that is not a number is a 400 page."""
    year = request.args.get("year", "").strip()
    if year and not year.isdigit():
        abort(400, f"The year to filter by is a number such as 2024, not “{year[:40]}”.")
    values = {name: request.args.get(parameter, "").replace("\x00", "")[:400] for name, parameter in PARAMETERS.items()
              if name != "year"}
    return Filters(search=request.args.get("q", ""), year=int(year[:6]) if year else None, **values)


def requested_sort() -> str:
    sort = request.args.get("sort", "")
    if sort and sort not in SORTS:
        abort(404, f"The library sorts by {', '.join(SORTS)}, not “{sort[:40]}”.")
    return sort


def requested_page() -> int:
    page = request.args.get("page", "1").strip()
    if not page.isdigit():
        abort(400, f"The page is a number such as 2, not “{page[:40]}”.")
    return int(page[:9])


def link(endpoint: str, **changes) -> str:
    """This page's URL with `changes` (a None value removes a parameter); any change but the page's goes
    back to the first page."""
    values = {key: request.args[key] for key in request.args if key != "page" or "page" in changes}
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return url_for(endpoint, **values)


def facet_parameters() -> list[tuple[str, str, str]]:
    """Each facet's name, label and URL parameter."""
    return [(name, label, PARAMETERS[name]) for name, label in FACETS.items()]
