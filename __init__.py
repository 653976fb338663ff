"""Pressroom turns articles into editions people keep: PDF, EPUB 3, HTML and plug-ins."""
