"""The content folder: its articles found by slug, uploads, pasted text and zip archives added to it."""
