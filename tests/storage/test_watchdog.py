"""The deadline thread PostgresStorage bounds its statements with."""

from __future__ import annotations

import threading
import time

import pytest

from seqflow_runtime.storage import watchdog
from seqflow_runtime.storage.watchdog import Watchdog


def test_an_armed_deadline_fires_and_a_disarmed_one_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    """Of two deadlines armed together, the disarmed one never fires; the other fires once, after its delay."""
    monkeypatch.setattr(watchdog, "IDLE_SECONDS", 0.2)
    dog = Watchdog(0.15, "test-watchdog")
    fired: list[str] = []
    started = time.monotonic()
    done = threading.Event()
    keep = dog.arm(lambda: (fired.append("kept"), done.set()))
    gone = dog.arm(lambda: fired.append("disarmed"))
    dog.disarm(gone)
    assert done.wait(10)
    assert time.monotonic() - started >= 0.15
    time.sleep(0.3)
    assert fired == ["kept"]
    dog.disarm(keep)  # already fired: harmless


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_the_thread_stops_when_idle_and_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing armed the thread ends; the next arm starts one, which fires; a raising action stops nothing."""
    monkeypatch.setattr(watchdog, "IDLE_SECONDS", 0.1)
    dog = Watchdog(0.05, "test-watchdog-idle")

    def alive() -> bool:
        return any(t.name == "test-watchdog-idle" for t in threading.enumerate())

    def boom() -> None:
        raise RuntimeError("an action that fails")

    dog.disarm(dog.arm(boom))
    for _ in range(100):
        if not alive():
            break
        time.sleep(0.05)
    assert not alive()
    dog.arm(boom)  # fires and raises on the thread: the thread ends, the watchdog does not
    time.sleep(0.3)
    done = threading.Event()
    dog.arm(done.set)
    assert done.wait(10)
