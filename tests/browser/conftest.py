"""Browser tests: the live server's request threads finish before the test's database goes.

The live server answers each request in a thread sharing the test's in-memory SQLite
connection. A request still running when a test ends (one the page's script aborted, on a
loaded machine) would close that connection after the test stopped sharing it, and the
error would surface in a later test. The page's teardown waits for those threads first."""

import threading
import time

import pytest

REQUEST_THREAD = "(process_request_thread)"
WAIT_SECONDS = 30


def _request_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.endswith(REQUEST_THREAD) and t.is_alive()]


@pytest.fixture
def page(page):
    yield page
    page.context.close()  # no new requests, and the kept-alive connections closed
    deadline = time.monotonic() + WAIT_SECONDS
    while _request_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
