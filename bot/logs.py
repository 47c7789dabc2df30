"""Structured logging: one line per event, secrets redacted from every line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

REDACTED = "[redacted]"
PARLEY_LOGGER = "parley"
"""The parent of every logger of Parley's own code (`parley.router`, `parley.polls`, …)."""


class RedactingFormatter(logging.Formatter):
    """`ts=… level=… logger=… msg`, with any configured secret replaced."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """Format one record on one line (tracebacks are indented under it)."""
        stamp = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        line = f"ts={stamp} level={record.levelname} logger={record.name} {record.getMessage()}"
        if record.exc_info:
            trace = self.formatException(record.exc_info)
            line += "\n  " + trace.replace("\n", "\n  ")
        return self.redact(line)

    def redact(self, text: str) -> str:
        """Replace every secret in `text`."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def configure_logging(level: str, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    """Send all logs to `stream` (stderr by default) through the redacting formatter.

    `level` applies to Parley's own loggers. Every other logger stays at INFO or above: at DEBUG
    the platform libraries print whole updates (who pressed which button) and the texts sent
    back, which would say who voted what in an anonymous poll.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    logging.getLogger(PARLEY_LOGGER).setLevel(level)
    root.setLevel(max(logging.INFO, logging.getLevelNamesMapping()[level]))
    for noisy in ("httpx", "httpcore", "discord.gateway", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
