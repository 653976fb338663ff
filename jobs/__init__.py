"""Exports as jobs on a task queue (Celery on Redis), when a queue URL is given: the same export, elsewhere."""
