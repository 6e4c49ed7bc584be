"""What a task's lifetime depends on: its logged time zone, its TTL, and what it logs."""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from seqflow_runtime import (
    BadArgumentError,
    CorruptStateError,
    FileStorage,
    MemoryStorage,
    TaskExpiredError,
    create_flow,
)
from seqflow_runtime.flow import DEFAULT_TTL, Flow
from seqflow_runtime.storage import SqliteStorage


class FakeClock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


# -- 3. the time zone is in the log ----------------------------------------------------------------

# Local-time readings before and after a pause; Node in America/New_York gives
# "12 300 Mon Jan 15 2024" and 1705338000000 for both.
LOCAL = """
  const show = (d) => d.getHours() + ' ' + d.getTimezoneOffset() + ' ' + d.toDateString();
  const before = new Date(2024, 0, 15, 12);
  const seen = show(before);
  await fetch('https://x.example/wait');
  const after = new Date(2024, 0, 15, 12);
  return [seen, show(after), before.getTime(), after.getTime(), new Date(before.getTime()).toString()];
"""


@pytest.mark.parametrize(("zone", "name", "offset", "epoch_ms"), [
    (ZoneInfo("America/New_York"), "America/New_York", 300, 1_705_338_000_000),
    (timezone(timedelta(hours=5, minutes=30)), "+05:30", -330, 1_705_300_200_000),
    (timezone(timedelta(hours=-8)), "-08:00", 480, 1_705_348_800_000),
    (None, "UTC", 0, 1_705_320_000_000),
])
def test_replay_uses_the_logged_time_zone_not_the_resuming_flows(
        zone: tzinfo | None, name: str, offset: int, epoch_ms: int) -> None:
    storage = MemoryStorage()
    task = Flow(storage=storage, timezone=zone).execute(LOCAL)
    assert task.vm_state is not None and task.vm_state["timezone"] == name
    elsewhere = Flow(storage=storage, timezone=ZoneInfo("Asia/Tokyo"))
    done = elsewhere.resume(task.id, fetch_response={"data": {}})
    assert done.status == "completed"
    assert done.result[:4] == [f"12 {offset} Mon Jan 15 2024", f"12 {offset} Mon Jan 15 2024", epoch_ms, epoch_ms]


def test_a_zone_without_a_stable_name_is_refused() -> None:
    class Odd(tzinfo):
        def utcoffset(self, dt: Any) -> timedelta:
            return timedelta(hours=1)

        def dst(self, dt: Any) -> timedelta:
            return timedelta(0)

    with pytest.raises(BadArgumentError, match="timezone"):
        Flow(timezone=Odd())


def test_a_log_from_before_time_zones_replays_in_the_flows_zone_and_a_bad_name_is_corrupt() -> None:
    flow = Flow(timezone=ZoneInfo("America/New_York"))
    task = flow.execute(LOCAL)
    assert task.vm_state is not None
    older = {k: v for k, v in task.vm_state.items() if k != "timezone"}
    done = Flow(timezone=ZoneInfo("America/New_York"), unsafe_trust_unsigned_state=True).resume(task.id, fetch_response={"data": {}}, vm_state=older)
    assert done.result[0] == "12 300 Mon Jan 15 2024"
    for bad in ("Mars/Olympus_Mons", "../../etc/passwd", "+99:00", ""):
        with pytest.raises(CorruptStateError):
            Flow(unsafe_trust_unsigned_state=True).resume(task.id, fetch_response={"data": {}},
                                                          vm_state={**task.vm_state, "timezone": bad})


# -- 7. TTL is idle time waiting on the caller ---------------------------------------------------------

SLEEP_AN_HOUR = "await new Promise((r) => setTimeout(r, 3600 * 1000)); 'woke'"


def test_a_task_waiting_on_a_timer_does_not_expire_before_it_is_due() -> None:
    clock = FakeClock()
    storage = MemoryStorage()
    with pytest.warns(UserWarning, match="shorter than task 'nap'.s first timer wait"):
        task = Flow(storage=storage, ttl=60, clock=clock).execute(SLEEP_AN_HOUR, id="nap")
    assert task.wake_at == clock.now + 3600
    assert task.expires_at == task.wake_at + 60
    clock.now = task.wake_at + 59  # long after "saved + ttl", within ttl of the due time
    flow = Flow(storage=storage, ttl=60, clock=clock)
    assert flow.get_task("nap").status == "paused"
    assert flow.resume("nap").result == "woke"


def test_a_timer_task_nobody_resumes_expires_ttl_after_it_was_due() -> None:
    clock = FakeClock()
    storage = MemoryStorage()
    with pytest.warns(UserWarning):
        task = Flow(storage=storage, ttl=60, clock=clock).execute(SLEEP_AN_HOUR)
    assert task.wake_at is not None
    clock.now = task.wake_at + 60
    with pytest.raises(TaskExpiredError):
        Flow(storage=storage, clock=clock).resume(task.id)


def test_a_task_waiting_on_a_request_expires_ttl_after_its_last_save() -> None:
    clock = FakeClock()
    flow = Flow(ttl=60, clock=clock)
    task = flow.execute("await fetch('https://x.example/a'); await fetch('https://x.example/b'); 1")
    assert task.expires_at == clock.now + 60
    clock.now += 50
    task = flow.resume(task.id, fetch_response={"data": {}})
    assert task.expires_at == clock.now + 60  # refreshed by the save
    clock.now += 60
    with pytest.raises(TaskExpiredError) as info:
        flow.resume(task.id, fetch_response={"data": {}})
    assert info.value.code == "task_expired"


def test_ttl_none_never_expires() -> None:
    clock = FakeClock()
    flow = create_flow(MemoryStorage(), ttl=None, clock=clock)
    task = flow.execute(SLEEP_AN_HOUR)
    assert task.expires_at is None
    clock.now += 10 * 365 * 86400
    assert flow.resume(task.id).result == "woke"
    paused = flow.execute("await fetch('https://x.example/a'); 2")
    assert paused.expires_at is None
    clock.now += 10 * 365 * 86400
    assert flow.resume(paused.id, fetch_response={"data": {}}).result == 2


def test_storages_keep_a_never_expiring_task_and_sweep_by_the_timer_extended_expiry(tmp_path: Path) -> None:
    for storage in (FileStorage(tmp_path / "files"), SqliteStorage(str(tmp_path / "tasks.db"))):
        clock = FakeClock()
        forever = Flow(storage=storage, ttl=None, clock=clock).execute(SLEEP_AN_HOUR)
        with pytest.warns(UserWarning):
            napping = Flow(storage=storage, ttl=60, clock=clock).execute(SLEEP_AN_HOUR)
        assert napping.wake_at is not None
        assert storage.sweep(now=napping.wake_at + 59) == 0
        assert storage.sweep(now=napping.wake_at + 60) == 1
        clock.now += 100 * 365 * 86400
        assert storage.sweep(now=clock.now) == 0
        assert Flow(storage=storage, clock=clock).resume(forever.id).result == "woke"


def test_only_an_explicit_ttl_shorter_than_the_first_timer_warns() -> None:
    clock = FakeClock()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        long_nap = "await new Promise((r) => setTimeout(r, 3 * 86400 * 1000)); 1"
        task = Flow(clock=clock).execute(long_nap)  # the default TTL: no warning, and still kept until due
        assert task.wake_at is not None and task.expires_at == task.wake_at + DEFAULT_TTL
        Flow(ttl=7200, clock=clock).execute(SLEEP_AN_HOUR)
        Flow(ttl=None, clock=clock).execute(long_nap)
        Flow(ttl=60, clock=clock).execute("await fetch('https://x.example/a')")


@pytest.mark.parametrize("ttl", [0, -1, float("inf"), float("nan"), "60", True])
def test_a_bad_ttl_is_refused(ttl: Any) -> None:
    with pytest.raises(BadArgumentError, match="ttl"):
        Flow(ttl=ttl)


# -- 10. logging ---------------------------------------------------------------------------------------


def test_the_package_logger_is_silent_by_default() -> None:
    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger("seqflow").handlers)


def test_execute_resume_and_replay_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    storage = MemoryStorage()
    caplog.set_level(logging.DEBUG, logger="seqflow")
    code = "for (const p of ['a', 'b', 'c']) await fetch('https://x.example/' + p); 3"
    hot = create_flow(storage)
    hot.execute(code, id="logged")
    hot.resume("logged", fetch_response={"data": {}})
    create_flow(storage).resume("logged", fetch_response={"data": {}})
    flow_lines = [r.getMessage() for r in caplog.records if r.name == "seqflow.flow"]
    replay_lines = [r.getMessage() for r in caplog.records if r.name == "seqflow.replay"]
    assert [line.split(" (")[0] for line in flow_lines if " -> " in line] == [
        "task logged: execute -> paused at version 1",
        "task logged: hot resume -> paused at version 2",
        "task logged: resume -> paused at version 3",
    ]
    assert "(1 logged events replayed, " in flow_lines[-2] and flow_lines[-2].endswith(" ms)")
    assert flow_lines[-1] == "task logged: paused on ['req-3'], wake_at None"
    assert len(replay_lines) == 1 and replay_lines[0].startswith("replayed 1 events and 2 requests in ")
    assert {r.levelno for r in caplog.records} <= {logging.DEBUG, logging.INFO}
