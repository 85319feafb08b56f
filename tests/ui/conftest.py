"""Fixtures for the desktop client: a session over a real database, run inline or on the real worker."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from stockdesk.app import build_session
from stockdesk.services.context import Context
from stockdesk.ui.session import Session


@pytest.fixture
def session(qtbot, world: Context) -> Iterator[Session]:
    """The small test business; tasks run inline so a test reads the result right after acting."""
    found = build_session(world, synchronous=True)
    yield found
    found.close()


@pytest.fixture
def threaded_session(qtbot, world: Context) -> Iterator[Session]:
    """The same, with the real worker thread, as the app runs."""
    found = build_session(world)
    yield found
    found.close()


def wait_idle(qtbot, session: Session, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: not session.runner.busy, timeout=timeout)


@pytest.fixture
def sql_on_gui_thread(world: Context) -> Iterator[list[str]]:
    """Every SQL statement the GUI (main) thread sends; a screen must leave this empty."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if threading.current_thread() is threading.main_thread():
            seen.append(statement)

    engine = world.database.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)
