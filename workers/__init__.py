"""The Celery application: ``celery -A workers worker -Q default`` (see workers/README.md)."""

from .app import app

__all__ = ["app"]
