"""The real sales service plus one slow route, for watching a shutdown with requests in flight.

`python -m tests.support.slow_sales [flags]` runs the real supervisor (config, logging, debug
listener, granian workers). Each worker serves the real sales app, with `/test/slow?seconds=N`
answered in front of it after N seconds.
"""

import asyncio
import sys
from urllib.parse import parse_qs

from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)

from acme_sales.api.services.sales import app as sales_app
from acme_sales.api.services.sales import main

SLOW_PATH = "/test/slow"


def create_app() -> ASGIApp:
    real_app = sales_app.create_app()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["path"] != SLOW_PATH:
            await real_app(scope, receive, send)
            return
        query = parse_qs(scope["query_string"].decode())
        await asyncio.sleep(float(query.get("seconds", ["2"])[0]))
        start: HTTPResponseStartEvent = {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
        body: HTTPResponseBodyEvent = {
            "type": "http.response.body",
            "body": b"finished",
            "more_body": False,
        }
        await send(start)
        await send(body)

    return app


if __name__ == "__main__":
    sys.exit(main.main(app_factory="tests.support.slow_sales:create_app"))
