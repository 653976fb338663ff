"""Web pages as articles: the guarded fetcher, the page reader, a page's images and metadata, and
adding a page to the library."""
