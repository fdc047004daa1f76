"""The auth service's entry point: `auth`.

The same as `python -m acme_sales.api.services.auth`.
"""

import os
import sys
from collections.abc import Sequence

from acme_sales.api.services import supervisor
from acme_sales.api.services.auth import config
from acme_sales.foundation import otel
from acme_sales.foundation.config import ConfigError

APP_FACTORY = "acme_sales.api.services.auth.app:create_app"


def main(argv: Sequence[str] | None = None, *, app_factory: str = APP_FACTORY) -> int:
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
