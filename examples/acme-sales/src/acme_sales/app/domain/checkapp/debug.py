"""The same checks for the debug listener, which speaks plain HTTP rather than Litestar."""

import msgspec

from acme_sales.app.domain.checkapp.routes import (
    LIVENESS_PATH,
    READINESS_PATH,
    ReadinessCheck,
    liveness,
    readiness,
)
from acme_sales.app.sdk import errs
from acme_sales.foundation.debug import DebugResponse, DebugRoute
from acme_sales.foundation.logger import Logger


def debug_routes(*, build: str, check_ready: ReadinessCheck, log: Logger) -> dict[str, DebugRoute]:
    async def get_liveness() -> DebugResponse:
        return DebugResponse(200, msgspec.json.encode(liveness(build)))

    async def get_readiness() -> DebugResponse:
        try:
            ready = await readiness(check_ready, log)
        except errs.Error as err:
            return DebugResponse(err.code.http_status, msgspec.json.encode(errs.to_response(err)))
        return DebugResponse(200, msgspec.json.encode(ready))

    return {LIVENESS_PATH: get_liveness, READINESS_PATH: get_readiness}
