"""Server errors in the log, without what people typed: the path, the exception's type and where it was raised."""

from __future__ import annotations

import logging
import traceback

from mingdan.store.loggable import loggable


class ErrorsWithoutValues(logging.Formatter):
    """Formats an error as its message and traceback frames; the exception's own text only where it holds no values.

    An exception's text can hold a value (a name that failed to parse, a query), and the log is
    not sealed; the frames (file, line, function) are enough to find the fault. Django's request
    logger gives the path only, never the query string.
    """

    def format(self, record: logging.LogRecord) -> str:
        # Django's security loggers put the client's own text in the message (a Host header: an outside tester, rt44).
        message = (f"{record.name}: a request was refused (its text withheld)" if record.name.startswith("django.security")
                   else record.getMessage())
        head = f"{self.formatTime(record)} {record.levelname} {message}"
        if not record.exc_info or record.exc_info[0] is None:
            return head
        _kind, value, trace = record.exc_info
        frames = "".join(traceback.format_list(traceback.extract_tb(trace)))
        return f"{head}\nTraceback (most recent call last):\n{frames}{loggable(value)}"
