"""How a worker's connection pool is used, summed over the live workers of a service."""

from prometheus_client import Gauge

POOL_SIZE = Gauge("db_pool_size", "Connections the pools hold open.", multiprocess_mode="livesum")
POOL_MAX_SIZE = Gauge(
    "db_pool_max_size", "Connections the pools may open at most.", multiprocess_mode="livesum"
)
POOL_IN_USE = Gauge(
    "db_pool_in_use", "Connections borrowed from the pools right now.", multiprocess_mode="livesum"
)
POOL_WAITING = Gauge(
    "db_pool_waiting", "Callers waiting for a free connection.", multiprocess_mode="livesum"
)
