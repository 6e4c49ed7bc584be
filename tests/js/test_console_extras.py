"""``console`` beyond ``log``: table, group, count, time, assert, dir, trace and %-directives, as Node prints them."""

from __future__ import annotations

import pytest

from seqflow_runtime import create_flow
from webcompare import NODE, FakeClock, run_node, run_seqflow

needs_node = pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")

CONSOLE = r"""
console.table([{name:'Alice', age: 30}, {name:'Bob', city:'Paris', tags:[1,2]}, 5]);
console.group('G'); console.log('in'); console.group(); console.log('a\nb'); console.groupEnd(); console.groupEnd(); console.log('out');
console.count(); console.count(); console.count('x'); console.countReset(); console.count(); console.countReset('nope');
console.assert(1 === 2, 'nope %s', 'x'); console.assert(false); console.assert(true, 'no'); console.assert(0, {a: 1});
console.dir('str'); console.dir({a:{b:{c:{d:1}}}}, {depth: 0}); console.dir({a:{b:{c:{d:1}}}});
console.table('prim'); console.table({r1: {a: 1}, r2: {b: 'x'}}); console.table([[1,2],[3]]);
console.table([{a:1,b:2}], ['b']); console.table([]); console.table([{ 名前: '東京', n: 1 }]);
console.table([{a: {x: 1}, b: {x: 1, y: 2, z: 3}, c: null, d: undefined, e: 'it\'s'}]);
console.log('%s is %d years and %i, %f, %j %o %%, %c.', 'Bob', 42.5, 42.9, '1.5', {a: [1]}, 'q', 'css', 'extra', 7);
console.log('100%', 5); console.info('%s', {a: {b: {c: {}}}}); console.warn('w %d', '12px'); console.error('e');
console.groupCollapsed(); console.table([{a: 1}]); console.groupEnd(); console.groupEnd(); console.log('end');
console.time('t'); console.timeEnd('nope'); console.timeLog('nope');
return 1;
"""

TABLES = r"""
const users = [{id: 1, name: 'Ann', roles: ['admin', 'dev'], active: true},
               {id: 2, name: 'Bo', email: 'bo@example.com'}, {id: 3, name: 'Cy Ö', active: false, score: -0}];
console.table(users);
console.table(users, ['name', 'missing']);
console.table({a: 1, b: 'two', c: null});
console.table([1, 'x', [2]]);
console.table(new Map([['k', 1]]).size ? [{k: 'v'}] : []);
console.table(null); console.table(undefined); console.table(5);
try { console.table([], 'name'); } catch (e) { console.log(e.name); }
return users.length;
"""


@needs_node
@pytest.mark.parametrize("script", [CONSOLE, TABLES], ids=["console", "tables"])
def test_like_node(script: str) -> None:
    assert run_seqflow(script, []) == run_node(script, [])


def test_table_renders_an_array_of_objects() -> None:
    """Pinned (works without node): the box Node 20 draws for an array of objects."""
    out = run_seqflow("console.table([{name: 'Ann', age: 3}, {name: 'Bo', city: 'Rome'}]); return 0;", [])
    assert out["console"] == (
        "┌─────────┬───────┬─────┬────────┐\n"
        "│ (index) │ name  │ age │ city   │\n"
        "├─────────┼───────┼─────┼────────┤\n"
        "│ 0       │ 'Ann' │ 3   │        │\n"
        "│ 1       │ 'Bo'  │     │ 'Rome' │\n"
        "└─────────┴───────┴─────┴────────┘\n")


def test_time_reads_the_logged_clock_and_replays_the_same() -> None:
    clock = FakeClock()
    flow = create_flow(clock=clock)
    code = """
const start = performance.now();  // the time origin is the first performance reading
console.time('job'); console.time();
await new Promise(r => setTimeout(r, 1500));
console.timeLog('job', 'half', {n: 1});
await new Promise(r => setTimeout(r, 61000));
console.timeEnd('job'); console.timeEnd();
return [start, performance.now()];
"""
    task = flow.execute(code, id="t")
    clock.now = task.wake_at
    task = flow.resume("t")
    clock.now = task.wake_at
    task = create_flow(flow.storage, clock=clock).resume("t")  # cold: replayed lines are not printed again
    assert [e["message"] for e in task.logs] == ["job: 1.500s half { n: 1 }", "job: 1:02.500 (m:ss.mmm)",
                                                 "default: 1:02.500 (m:ss.mmm)"]
    assert task.result == [0, 62500]


def test_trace_and_groups() -> None:
    out = run_seqflow("""
function inner() { console.trace('here %d', 5); }
console.group('outer');
inner();
console.groupEnd();
return 0;
""", [])
    lines = out["console"].split("\n")
    assert lines[0] == "outer"
    assert lines[1] == "  Trace: here 5"
    assert lines[2].startswith("      at inner (")
