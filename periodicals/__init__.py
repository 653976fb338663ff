"""Periodicals: feeds fetched on a schedule and bound into dated issues, each a book of the library."""
