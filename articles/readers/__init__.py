"""Reading a source into an `Article`: plain text, Markdown with front matter; the reader picked by
the source's kind (`sources`), the text decoded and bounded (`decoding`), YAML read safely."""
