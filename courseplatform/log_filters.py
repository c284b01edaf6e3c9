"""Logging filters (settings.LOGGING)."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused request (4xx: PermissionDenied, SuspiciousOperation, ...) is logged as its one-line message.

    Django logs these with the exception's traceback, which made every 403 look like a crash in the console. A
    4xx is the client's mistake, not the server's; 5xx records keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
