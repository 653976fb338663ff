"""The catalogue: a database that indexes the content folder for listing and search, and holds what is not a file."""
