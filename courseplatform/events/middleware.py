"""Writes the impressions noted while rendering (``buffer.py``) after the response is rendered."""

from . import services


class PendingEventsMiddleware:
    """Place after the session and authentication middleware (it reads the visitor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 500:  # a page that failed was not shown
            services.pending_flush(request)
        return response
