"""The service's own metrics, summed over its workers and served on the debug port.

Labels are bounded on purpose: a route is its template (`/v1/users/{user_id}`, never the
raw path), a status is a number, a code is one of errs.ErrCode. Anything unbounded (ids, emails,
raw paths) would make a new series per value.
"""

from prometheus_client import Counter, Gauge, Histogram

from acme_sales.foundation.metrics import LATENCY_BUCKETS

REQUESTS = Counter("http_requests", "HTTP requests answered.", ["method", "route", "status"])
REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from a request's arrival to the end of its response.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
IN_FLIGHT = Gauge(
    "http_requests_in_flight", "Requests being handled right now.", multiprocess_mode="livesum"
)
ERRORS = Counter("app_errors", "Requests answered with an error, by error code.", ["code"])
PANICS = Counter("app_panics", "Unhandled exceptions: bugs, answered with a masked 500.")

AUTH_CLIENT_REQUESTS = Counter(
    "auth_client_requests",
    "Calls to the auth service (authenticate, authorize, jwks), by call and outcome.",
    ["call", "outcome"],
)
AUTH_CLIENT_DURATION = Histogram(
    "auth_client_request_duration_seconds",
    "Time the auth service took to answer a call.",
    ["call"],
    buckets=LATENCY_BUCKETS,
)
AUTH_DECISIONS = Counter(
    "auth_decisions",
    "Auth decisions, in the auth service or in process: authenticate or a rule, and outcome.",
    ["decision", "outcome"],
)
