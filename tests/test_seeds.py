"""The seed documents' examples (shared/reference), run through seqflow's Python API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from seqflow_runtime import (
    InMemoryStorage,
    MemoryStorage,
    SequentialFlow,
    UnsignedStateError,
    create_flow,
    execute_code,
    resume_execution,
)


@pytest.fixture(autouse=True)
def fresh_default_storage() -> None:
    SequentialFlow.set_default_storage(InMemoryStorage())


# -- sequential-flow README --------------------------------------------------------------------


def test_sequential_flow_single_fetch() -> None:
    result = SequentialFlow.execute({"id": "my-task", "code": """
const userId = 123;
const user = fetch('https://api.example.com/user/' + userId);
user.name
"""})
    assert result.status == "paused"
    assert result.fetch_request is not None
    assert result.fetch_request.url == "https://api.example.com/user/123"
    assert result.vm_state is not None
    resumed = SequentialFlow.resume({"taskId": result.id, "vmState": result.vm_state,
                                     "originalCode": result.code,
                                     "fetchResponse": {"data": {"id": 123, "name": "Alice"}}})
    assert resumed.status == "completed"
    assert resumed.result == "Alice"


def test_sequential_flow_two_fetches_and_object_result() -> None:
    result1 = SequentialFlow.execute({"id": "task-1", "code": """
const user = fetch('api/user/1');
const posts = fetch('api/posts?userId=' + user.id);
{ user: user.name, postCount: posts.length }
"""})
    assert result1.fetch_request is not None and result1.fetch_request.url == "api/user/1"
    result2 = SequentialFlow.resume({"taskId": result1.id, "vmState": result1.vm_state,
                                     "originalCode": result1.code,
                                     "fetchResponse": {"data": {"id": 42, "name": "Alice"}}})
    assert result2.status == "paused"
    assert result2.fetch_request is not None and result2.fetch_request.url == "api/posts?userId=42"
    result3 = SequentialFlow.resume({"taskId": result2.id, "vmState": result2.vm_state,
                                     "originalCode": result2.code, "fetchResponse": {"data": {"length": 5}}})
    assert result3.status == "completed"
    assert result3.result == {"user": "Alice", "postCount": 5}


def edge_resume(body: str) -> dict[str, Any]:
    """The seed README's Firebase ``resumeFlow`` handler: the request body is JSON from an HTTP client."""
    req = json.loads(body)
    result = SequentialFlow.resume({"taskId": req["taskId"], "vmState": req["vmState"],
                                    "originalCode": req["code"], "fetchResponse": req["response"]})
    return json.loads(json.dumps(result.to_dict()))


def test_edge_function_resume_with_shared_storage_uses_the_stored_task() -> None:
    code = "const user = fetch('https://api.example.com/user/1');\nuser.name"
    paused = json.loads(json.dumps(SequentialFlow.execute({"id": "edge-1", "code": code}).to_dict()))
    body = {"taskId": paused["id"], "vmState": paused["vmState"], "code": paused["code"],
            "response": {"data": {"name": "Alice"}}}
    assert edge_resume(json.dumps(body))["result"] == "Alice"


def test_edge_function_resume_without_shared_storage_needs_seqflow_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each instance has its own memory: the vmState the client sends back is all there is.
    monkeypatch.setenv("SEQFLOW_SECRET", "edge-deployment-secret")
    SequentialFlow.set_default_storage(InMemoryStorage())  # a flow reads the secret when it is made
    code = "const user = fetch('https://api.example.com/user/1');\nuser.name"
    paused = json.loads(json.dumps(SequentialFlow.execute({"id": "edge-2", "code": code}).to_dict()))
    SequentialFlow.set_default_storage(InMemoryStorage())
    body = {"taskId": paused["id"], "vmState": paused["vmState"], "code": paused["code"],
            "response": {"data": {"name": "Alice"}}}
    assert edge_resume(json.dumps(body))["result"] == "Alice"
    monkeypatch.delenv("SEQFLOW_SECRET")
    SequentialFlow.set_default_storage(InMemoryStorage())
    with pytest.raises(UnsignedStateError):
        edge_resume(json.dumps(body))


def test_sequential_flow_custom_default_storage() -> None:
    storage = InMemoryStorage()
    SequentialFlow.set_default_storage(storage)
    result = SequentialFlow.execute({"id": "task-1", "code": "const x = 5; x * 2"})
    assert (result.status, result.result) == ("completed", 10)
    assert storage.load("task-1") is not None
    assert SequentialFlow.get_task("task-1").result == 10
    assert SequentialFlow.delete_task("task-1") is True


def test_sequential_flow_custom_storage_with_only_save_load_delete() -> None:
    class MyCustomStorage:
        def __init__(self) -> None:
            self.saved: dict[str, Any] = {}

        def save(self, task: Any) -> None:
            self.saved[task.id] = task.to_dict()

        def load(self, task_id: str) -> Any:
            return self.saved.get(task_id)

        def delete(self, task_id: str) -> None:
            self.saved.pop(task_id, None)

    storage = MyCustomStorage()
    SequentialFlow.set_default_storage(storage)
    task = SequentialFlow.execute({"id": "c", "code": "const u = fetch('https://api.example.com/u'); u.id"})
    assert storage.saved["c"]["status"] == "paused"
    done = SequentialFlow.resume({"taskId": "c", "fetchResponse": {"data": {"id": 7}}})
    assert (task.status, done.status, done.result) == ("paused", "completed", 7)


def test_sequential_flow_supported_features() -> None:
    code = """
const x = 5;
const obj = {a: 1, b: {nested: 'deep'}};
const greeting = "hello " + obj.b.nested;
const arr = [1, 2, 3];
const math = (x + 10) * 2 / 3 % 4 - 1;
if (math < 0) { throw new Error("msg") }
({x, greeting, second: arr[1], math, nested: obj.b.nested})
"""
    result = SequentialFlow.execute({"id": "features", "code": code})
    assert result.result == {"x": 5, "greeting": "hello deep", "second": 2, "math": 1, "nested": "deep"}
    failing = SequentialFlow.execute({"id": "throws", "code": 'throw new Error("msg")'})
    assert failing.status == "error" and failing.error is not None and "msg" in failing.error


# -- sequential README (004) -----------------------------------------------------------------------


def test_sequential_readme_raw_data_responses() -> None:
    code = ('const user = await fetch("https://api.example.com/user/1"); '
            'const posts = await fetch("https://api.example.com/posts"); [user, posts]')
    task = SequentialFlow.execute({"code": code, "id": "task-1"})
    assert task.status == "paused"
    assert task.fetch_request is not None and task.fetch_request.url == "https://api.example.com/user/1"
    task = SequentialFlow.resume({"taskId": "task-1", "fetchResponse": {"id": 1, "name": "Alice"}})
    assert task.status == "paused"
    task = SequentialFlow.resume({"taskId": "task-1", "fetchResponse": [{"id": 101}, {"id": 102}]})
    assert task.status == "completed"
    assert task.result == [{"id": 1, "name": "Alice"}, [{"id": 101}, {"id": 102}]]


def test_create_flow_helper_positional_storage() -> None:
    flow = create_flow(MemoryStorage(), dialect="sequential")
    task = flow.execute({"code": "const a = fetch('https://x.example/a'); a.v + 1"})
    done = flow.resume({"taskId": task.id, "fetchResponse": {"v": 41}})
    assert done.result == 42


# -- flowstate-server README -------------------------------------------------------------------------


def test_flowstate_examples() -> None:
    flow = create_flow()
    hello = flow.execute({"id": "hello-world", "code": 'console.log("Hello World"); "completed"'})
    assert (hello.status, hello.result, hello.logs[0]["message"]) == ("completed", "completed", "Hello World")
    task = flow.execute({"id": "my-task-1", "name": "My Task",
                         "code": "let result = await fetch('https://api.example.com/data'); result.json();"})
    assert task.status == "paused" and task.pause_count == 1 and task.name == "My Task"
    assert task.fetch_request is not None and task.fetch_request.url == "https://api.example.com/data"
    done = flow.resume({"taskId": "my-task-1", "fetchResponse": {
        "id": task.fetch_request.id, "success": True, "status": 200, "statusText": "OK",
        "data": {"result": "data"}}})
    assert (done.status, done.result) == ("completed", {"result": "data"})
    api = flow.execute({"id": "api-call", "code": (
        'const response = await fetch("https://jsonplaceholder.typicode.com/posts/1"); '
        'const data = await response.json(); data.title;')})
    api = flow.resume("api-call", fetch_response={"data": {"title": "sunt aut facere"}})
    assert api.result == "sunt aut facere"


# -- fetchflow README -----------------------------------------------------------------------------------


def test_fetchflow_execute_and_resume() -> None:
    result = execute_code("""
let data = null;
console.log("About to fetch...");
const response = await fetch("https://api.example.com/data");
data = await response.json();
console.log("Fetch completed:", data);
data;
""")
    assert result["type"] == "paused"
    assert result["fetchRequest"]["url"] == "https://api.example.com/data"
    fetch_response = {"id": result["fetchRequest"]["id"], "success": True, "status": 200,
                      "statusText": "OK", "data": {"answer": 42}, "timestamp": 1700000000000}
    final = resume_execution(result["state"], fetch_response)
    assert final == {"type": "completed", "result": {"answer": 42}}


def test_fetchflow_posts_loop() -> None:
    result = execute_code("""
let posts = [];
for (let i = 1; i <= 3; i++) {
  console.log("Fetching post", i);
  const response = await fetch(`https://jsonplaceholder.typicode.com/posts/${i}`);
  const post = await response.json();
  posts.push(post);
}
posts;
""")
    urls = []
    while result["type"] == "paused":
        urls.append(result["fetchRequest"]["url"])
        n = int(result["fetchRequest"]["url"].rsplit("/", 1)[1])
        result = resume_execution(result["state"], {"status": 200, "data": {"id": n}})
    assert urls == [f"https://jsonplaceholder.typicode.com/posts/{i}" for i in (1, 2, 3)]
    assert result == {"type": "completed", "result": [{"id": 1}, {"id": 2}, {"id": 3}]}
