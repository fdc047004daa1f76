"""The sales service's entry point: `sales`.

The same as `python -m acme_sales.api.services.sales`. This process is the supervisor
(see api/services/supervisor.py); each worker process builds the app with `app.create_app`.
"""

import os
import sys
from collections.abc import Sequence

from acme_sales.api.services import supervisor
from acme_sales.api.services.sales import config
from acme_sales.foundation import otel
from acme_sales.foundation.config import ConfigError

APP_FACTORY = "acme_sales.api.services.sales.app:create_app"


def main(argv: Sequence[str] | None = None, *, app_factory: str = APP_FACTORY) -> int:
    """Run the service; `app_factory` names the ASGI app factory the workers serve."""
    try:
        cfg = config.load(sys.argv[1:] if argv is None else argv, os.environ)
        tracing = otel.resolve(cfg.trace, os.environ, prefix=config.PREFIX)
    except ConfigError as err:
        print(f"{config.SERVICE}: {err}", file=sys.stderr)
        return 2
    return supervisor.supervise(
        cfg,
        service=config.SERVICE,
        prefix=config.PREFIX,
        tracing=tracing,
        app_factory=app_factory,
    )
