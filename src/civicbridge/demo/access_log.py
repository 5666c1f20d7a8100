"""gunicorn's logger with calendar tokens blanked in the access log (``civicbridge serve``
passes ``--logger-class civicbridge.demo.access_log.RedactingLogger``)."""

from __future__ import annotations

from gunicorn.glogging import Logger

from civicbridge.documents.redaction import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
