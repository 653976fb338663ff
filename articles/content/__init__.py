"""What every reader makes of an article's text: sanitised XHTML fragments, section ids, curly
quotes, the files an article uses."""
