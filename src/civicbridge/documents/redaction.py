"""Calendar subscription tokens are secrets in a URL (calendar programs cannot sign in):
they must not end up in log files. ``redact`` blanks them in any text; ``RedactTokens`` is
the logging filter (settings.LOGGING) and ``demo.access_log`` gunicorn's access log."""

from __future__ import annotations

import logging
import re

# documents/urls.py: calendar/<token>.ics (also percent-encoded, in any query or referer).
CALENDAR_TOKEN = re.compile(r"(/calendar/)[^/?#\s\"']+?(\.ics)", re.IGNORECASE)
REDACTED = "[token]"


def redact(text: str) -> str:
    return CALENDAR_TOKEN.sub(rf"\g<1>{REDACTED}\g<2>", text)


class RedactTokens(logging.Filter):
    """Rewrites a record's message with the calendar tokens blanked (Django's "Not Found:
    /documents/calendar/….ics" warnings, runserver's request lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
