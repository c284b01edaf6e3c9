"""What every JSON API of the platform shares: session authentication with CSRF, per-client throttling,
the request's language, 503 on a lost database, and the OpenAPI schema and docs (``urls.py``)."""
