"""The auth client over HTTP (remote mode): every decision asked of the auth service through
`http`, a client with the auth service's address and a deadline on every call, which its owner
opens and closes.

The auth service's refusals (401, 403, 400) reach the caller with their code and message; an
auth service that cannot be reached, or answers anything else, is a 503 for the caller, since
without it nobody can be authenticated.

Each call is a client span named after it (`authclient.authenticate`), and sends the trace
context in `traceparent` so the auth service continues the caller's trace. (OpenTelemetry's
httpx instrumentation would patch the transport and add a second, generic span per call.)
"""

import time
from uuid import UUID

import httpx
import msgspec
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, StatusCode

from acme_sales.app.sdk import errs, metrics
from acme_sales.app.sdk.auth.auth import AuthInfo
from acme_sales.app.sdk.auth.claims import Rule
from acme_sales.app.sdk.authclient.client import AuthorizeRequest
from acme_sales.foundation.logger import Logger

AUTHENTICATE_PATH = "/v1/auth/authenticate"
AUTHORIZE_PATH = "/v1/auth/authorize"
_FORWARDED_STATUSES = frozenset({400, 401, 403})
_auth_info = msgspec.json.Decoder(AuthInfo)
_error_response = msgspec.json.Decoder(errs.ErrorResponse)
_tracer = trace.get_tracer(__name__)


class HTTPAuthClient:
    def __init__(self, http: httpx.AsyncClient, *, log: Logger) -> None:
        self.http = http
        self.log = log

    async def authenticate(self, authorization: str) -> AuthInfo:
        response = await self._call(
            "authenticate",
            "GET",
            AUTHENTICATE_PATH,
            headers={"Authorization": authorization},
            expected=200,
        )
        return _auth_info.decode(response.content)

    async def authorize(self, info: AuthInfo, user_id: UUID, rule: Rule) -> None:
        body = msgspec.json.encode(AuthorizeRequest(user_id=user_id, claims=info.claims, rule=rule))
        await self._call(
            "authorize",
            "POST",
            AUTHORIZE_PATH,
            headers={"Content-Type": "application/json"},
            content=body,
            expected=204,
        )

    async def _call(
        self,
        call: str,
        method: str,
        path: str,
        *,
        headers: dict[str, str],
        expected: int,
        content: bytes | None = None,
    ) -> httpx.Response:
        """Send one call in its span; the response when it has the `expected` status, else the
        refusal or unavailability as errs.Error. Metrics count every call by outcome."""
        started = time.perf_counter()
        outcome = "unavailable"
        with _tracer.start_as_current_span(f"authclient.{call}", kind=SpanKind.CLIENT) as span:
            propagate.inject(headers)
            try:
                response = await self._send(method, path, headers=headers, content=content)
                span.set_attribute("http.response.status_code", response.status_code)
                if response.status_code == expected:
                    outcome = "ok"
                    return response
                refusal = self._refusal(response)
                if refusal.code is not errs.ErrCode.UNAVAILABLE:
                    outcome = "refused"
                raise refusal
            finally:
                if outcome == "unavailable":
                    span.set_status(StatusCode.ERROR, "auth service unavailable")
                metrics.AUTH_CLIENT_REQUESTS.labels(call, outcome).inc()
                metrics.AUTH_CLIENT_DURATION.labels(call).observe(time.perf_counter() - started)

    async def _send(
        self, method: str, path: str, *, headers: dict[str, str], content: bytes | None
    ) -> httpx.Response:
        try:
            return await self.http.request(method, path, headers=headers, content=content)
        except httpx.HTTPError as err:
            # Never log the headers: they carry the caller's token.
            self.log.error("auth service unreachable", path=path, error=repr(err))
            raise errs.Error(errs.ErrCode.UNAVAILABLE, "auth service unavailable") from err

    def _refusal(self, response: httpx.Response) -> errs.Error:
        if response.status_code in _FORWARDED_STATUSES:
            try:
                body = _error_response.decode(response.content)
            except msgspec.DecodeError:
                pass
            else:
                return errs.Error(body.code, body.message, fields=body.fields)
        self.log.error(
            "auth service answered unexpectedly",
            status=response.status_code,
            path=response.request.url.path,
        )
        return errs.Error(errs.ErrCode.UNAVAILABLE, "auth service unavailable")
