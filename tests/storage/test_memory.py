"""MemoryStorage hands out and keeps deep copies: no caller can edit what is stored."""

from __future__ import annotations

from seqflow_runtime.storage.base import encode_task
from seqflow_runtime.storage.memory import MemoryStorage

from test_conformance import make_task


def test_task_copy_shares_no_list_or_dict() -> None:
    """Task.copy is deep: editing any nested part of the copy leaves the original alone."""
    task = make_task("deep", result={"rows": [[1, {"k": "v"}]]}, error_details={"a": [1]})
    before = encode_task(task.to_dict())
    copy = task.copy()
    assert encode_task(copy.to_dict()) == before
    assert copy.vm_state is not None and copy.error_details is not None
    copy.vm_state["events"][0]["body"] = "changed"
    copy.vm_state["nested"]["deep"][0].append("more")
    copy.result["rows"][0][1]["k"] = "changed"
    copy.error_details["a"].append(2)
    copy.logs[0]["message"] = "changed"
    copy.fetch_requests[0].headers["X-Trace"] = "changed"
    assert encode_task(task.to_dict()) == before


def test_memory_storage_isolates_saved_and_loaded_tasks() -> None:
    """Editing the saved object, a loaded one or a listed one never changes the stored task."""
    storage = MemoryStorage()
    task = make_task("iso")
    stored_text = encode_task(task.to_dict())
    storage.save(task, None)
    # The caller keeps editing its own object after the save.
    assert task.vm_state is not None
    task.vm_state["events"].append({"kind": "sneaky"})
    task.vm_state["nested"]["deep"][1]["ключ"] = "changed"
    task.logs.append({"level": "log", "message": "sneaky"})
    loaded = storage.load("iso")
    assert loaded is not None and encode_task(loaded.to_dict()) == stored_text
    # A loaded copy and a listed copy are the caller's to change.
    assert loaded.vm_state is not None
    loaded.vm_state["nested"]["deep"][0][0] = 999
    listed = storage.list().tasks[0]
    assert listed.vm_state is not None
    listed.vm_state["events"].clear()
    again = storage.load("iso")
    assert again is not None and encode_task(again.to_dict()) == stored_text


def test_copy_keeps_exact_values_and_handles_odd_leaves() -> None:
    """The fast copy keeps key order, -0.0, big ints and lone surrogates; odd values still copy deeply."""
    task = make_task("exact", result={"z": [-0.0], "a": 2**80, "s": "\ud800\x00"})
    copy = task.copy()
    assert list(copy.result) == ["z", "a", "s"]
    assert str(copy.result["z"][0]) == "-0.0" and copy.result["a"] == 2**80
    assert copy.result["s"] == "\ud800\x00"
    assert copy.result["z"] is not task.result["z"]

    class Opaque:
        """A leaf marshal cannot carry."""

    leaf = Opaque()
    odd = make_task("odd", result={"list": [1, {"k": leaf}]})
    odd_copy = odd.copy()
    assert odd_copy.result["list"][1]["k"] is leaf
    odd_copy.result["list"].append(2)
    assert odd.result["list"] == [1, {"k": leaf}]
