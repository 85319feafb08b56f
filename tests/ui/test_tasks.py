"""The task runner: work on the worker thread, results and errors back on the GUI thread, in order."""

from __future__ import annotations

import threading

from stockdesk.domain.errors import InsufficientStock
from stockdesk.ui.messages import user_message
from stockdesk.ui.tasks import TaskRunner


def test_work_runs_off_the_gui_thread_and_results_come_back_on_it(qtbot):
    runner = TaskRunner()
    ran_on, delivered_on, results = [], [], []

    def work() -> int:
        ran_on.append(threading.current_thread())
        return 42

    def done(value: int) -> None:
        delivered_on.append(threading.current_thread())
        results.append(value)

    with qtbot.waitSignal(runner.busy_changed) as idle:
        runner.run(work, done)
        assert runner.busy
    assert idle.args == [False] or qtbot.waitUntil(lambda: not runner.busy) is None
    qtbot.waitUntil(lambda: results == [42])
    assert ran_on[0] is not threading.main_thread()
    assert delivered_on == [threading.main_thread()]


def test_tasks_finish_in_the_order_they_were_asked_for(qtbot):
    runner = TaskRunner()
    finished: list[int] = []
    gate = threading.Event()
    runner.run(lambda: gate.wait(5), lambda _: finished.append(1))
    runner.run(lambda: 2, finished.append)
    gate.set()
    qtbot.waitUntil(lambda: len(finished) == 2)
    assert finished == [1, 2]


def test_a_refusal_reaches_the_error_handler_in_the_users_words(qtbot):
    runner = TaskRunner(synchronous=True)
    shown: list[str] = []

    def refuse() -> None:
        raise InsufficientStock("Only 2 of TEE-M available at WH1-A-01; 5 needed.")

    runner.run(refuse, on_error=lambda error: shown.append(user_message(error)))
    assert shown == ["Only 2 of TEE-M available at WH1-A-01; 5 needed."]
    assert not runner.busy


def test_an_unhandled_failure_is_announced_not_swallowed(qtbot):
    runner = TaskRunner(synchronous=True)
    with qtbot.waitSignal(runner.failed) as failure:
        runner.run(lambda: 1 / 0)
    assert isinstance(failure.args[0], ZeroDivisionError)
    assert "Nothing was saved" in user_message(failure.args[0])
