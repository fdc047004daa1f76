"""Logs are JSON lines with the service name, or console lines for people."""

import io
import json
import logging

from acme_sales.foundation import logger
from tests.support.logs import CapturedLogs


def test_json_lines_carry_service_level_time_and_source() -> None:
    logs = CapturedLogs(service="sales")
    logger.get_logger(component="orders").info("order placed", order_id=42)
    [line] = logs.events("order placed")
    assert line["service"] == "sales"
    assert line["component"] == "orders"
    assert line["order_id"] == 42
    assert line["level"] == "info"
    assert line["timestamp"].endswith("Z")
    assert line["filename"] == "test_logger.py"
    assert isinstance(line["lineno"], int)


def test_standard_library_logging_comes_out_in_the_same_format() -> None:
    logs = CapturedLogs(service="sales")
    logging.getLogger("some.library").warning("disk %s full", "/var")
    [line] = logs.events("disk /var full")
    assert (line["service"], line["level"]) == ("sales", "warning")


def test_lines_below_the_level_are_dropped() -> None:
    stream = io.StringIO()
    logger.configure(service="sales", level="WARNING", fmt="json", stream=stream)
    log = logger.get_logger()
    log.info("chatter")
    log.warning("worth reading")
    events = [json.loads(line)["event"] for line in stream.getvalue().splitlines()]
    assert events == ["worth reading"]


def test_http_client_request_lines_are_dropped_unless_debugging() -> None:
    """httpx logs one INFO line per request (per auth call): noise in the service's logs."""
    stream = io.StringIO()
    logger.configure(service="sales", level="INFO", fmt="json", stream=stream)
    logging.getLogger("httpx").info("HTTP Request: GET http://auth/v1/auth/authenticate")
    logging.getLogger("httpx").warning("connection pool full")
    events = [json.loads(line)["event"] for line in stream.getvalue().splitlines()]
    assert events == ["connection pool full"]

    logger.configure(service="sales", level="DEBUG", fmt="json", stream=stream)
    logging.getLogger("httpx").info("HTTP Request: GET http://auth/v1/auth/authorize")
    assert "authorize" in stream.getvalue()


def test_exceptions_are_logged_with_their_traceback() -> None:
    logs = CapturedLogs()
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.get_logger().exception("failed")
    [line] = logs.events("failed")
    assert "RuntimeError: boom" in line["exception"]


def test_bound_request_context_is_added_only_inside_the_block() -> None:
    logs = CapturedLogs()
    log = logger.get_logger()
    with logger.bind_request_context(trace_id="abc"):
        log.info("inside")
    log.info("outside")
    assert logs.events("inside")[0]["trace_id"] == "abc"
    assert "trace_id" not in logs.events("outside")[0]


def test_console_format_is_for_people() -> None:
    stream = io.StringIO()
    logger.configure(service="sales", level="INFO", fmt="console", stream=stream)
    logger.get_logger().info("hello", user="ada")
    text = stream.getvalue()
    assert "hello" in text
    assert "user=ada" in text
    assert not text.lstrip().startswith("{")
