"""Capturing what a service logs, as parsed JSON lines."""

import io
import json
from typing import Any

from acme_sales.foundation import logger


class CapturedLogs:
    """Route all logging (structlog and the standard library) into memory, as JSON lines."""

    def __init__(self, service: str = "test") -> None:
        self.stream = io.StringIO()
        logger.configure(service=service, level="DEBUG", fmt="json", stream=self.stream)

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line]

    def events(self, event: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line.get("event") == event]
