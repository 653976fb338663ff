"""Books: several articles bound in order, read from a manifest (BOOK.yaml)."""
