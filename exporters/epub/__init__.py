"""The EPUB 3 edition: the exporter, its package built by ebooklib, its cover picture, its check."""

from .exporter import EpubExporter

__all__ = ["EpubExporter"]
