"""Run a fixed, seeded sample of test262 through ``create_flow().execute`` and report the pass rates.

Not collected by pytest (a measurement, minutes long). Usage::

    python tests/conformance/run_test262.py --test262 PATH/TO/test262 [-j 2] [--size 1500]
        [--seed 262] [--sample es2015-2017|es2018-2025|all] [--include-pending]
        [--filter language/expressions/class] [--json results.json] [--show FAILURES]

``PATH/TO/test262`` is a checkout of tc39/test262 (its ``test/`` and ``harness/`` directories).

Selection: the files under ``test/language/`` and ``test/built-ins/`` (not fixtures), split by
their ``features:`` metadata into the ES2015-2017 set (no feature newer than ES2017: untagged
ES5/ES2015 tests included) and the ES2018-2025 set (at least one ES2018-ES2025 feature), then
``--size`` files drawn from each with ``random.Random(seed)`` over the sorted list. Excluded, with
the reason reported: module tests (``flags: [module]``, dynamic ``import()``, ``import.meta``);
agents and other realms (``$262.agent``, ``$262.createRealm``, ``cross-realm``);
SharedArrayBuffer/Atomics; ``IsHTMLDDA``; tail calls; host GC; proposals newer than ES2025; and,
until ``--include-pending`` (work in progress elsewhere), Intl and typed arrays / ArrayBuffer /
DataView.

Each test runs in a fresh process (forked from this warm parent, which has imported seqflow),
with a wall-clock limit and an address-space limit: strict (``"use strict";`` prepended) and
sloppy, unless ``onlyStrict``/``noStrict``/``raw`` say otherwise. The source is the ``$262``
host object and ``print``, then ``assert.js``, ``sta.js`` (``doneprintHandle.js`` for ``async``
tests), the test's ``includes:`` and the test. A run passes when the task completes (async:
and prints ``Test262:AsyncTestComplete``), or, for a ``negative`` test, when it fails with the
expected error name at the expected phase (parse: a ``syntax_error`` task).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import select
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# ES2015-ES2017 features (test262's features.txt names), ES5 tests carry none.
ES2015_2017 = frozenset(
    """
    arrow-function class computed-property-names const default-parameters destructuring-assignment
    destructuring-binding for-of generators let Map new.target Promise Proxy Reflect
    Reflect.construct Reflect.set Reflect.setPrototypeOf rest-parameters Set String.fromCodePoint
    String.prototype.endsWith String.prototype.includes super Symbol Symbol.hasInstance
    Symbol.isConcatSpreadable Symbol.iterator Symbol.match Symbol.replace Symbol.search
    Symbol.species Symbol.split Symbol.toPrimitive Symbol.toStringTag Symbol.unscopables template
    WeakMap WeakSet Object.is Array.prototype.values caller __proto__ u180e proxy-missing-checks
    Array.prototype.includes exponentiation async-functions __getter__ __setter__
    """.split()
)
ES2018_2025 = frozenset(
    """
    async-iteration Symbol.asyncIterator object-rest object-spread Promise.prototype.finally
    regexp-dotall regexp-lookbehind regexp-named-groups regexp-unicode-property-escapes
    json-superset well-formed-json-stringify Symbol.prototype.description string-trimming
    String.prototype.trimEnd String.prototype.trimStart Object.fromEntries Array.prototype.flat
    Array.prototype.flatMap optional-catch-binding stable-array-sort
    BigInt globalThis optional-chaining coalesce-expression Promise.allSettled
    String.prototype.matchAll Symbol.matchAll for-in-order
    AggregateError Promise.any String.prototype.replaceAll logical-assignment-operators
    numeric-separator-literal WeakRef FinalizationRegistry
    class-fields-private class-fields-private-in class-fields-public class-methods-private
    class-static-block class-static-fields-private class-static-fields-public
    class-static-methods-private error-cause Object.hasOwn Array.prototype.at String.prototype.at
    regexp-match-indices
    array-find-from-last change-array-by-copy hashbang symbols-as-weakmap-keys
    array-grouping promise-with-resolvers String.prototype.isWellFormed
    String.prototype.toWellFormed regexp-v-flag
    iterator-helpers set-methods promise-try regexp-modifiers regexp-duplicate-named-groups
    RegExp.escape
    """.split()
)
# Typed arrays and Intl: excluded until --include-pending (other work is adding them).
PENDING = frozenset(
    """
    ArrayBuffer DataView TypedArray Float16Array Float32Array Float64Array Int8Array Int16Array
    Int32Array Uint8Array Uint16Array Uint32Array Uint8ClampedArray TypedArray.prototype.at
    DataView.prototype.getFloat32 DataView.prototype.getFloat64 DataView.prototype.getInt16
    DataView.prototype.getInt32 DataView.prototype.getInt8 DataView.prototype.getUint16
    DataView.prototype.getUint32 DataView.prototype.setUint8 resizable-arraybuffer
    arraybuffer-transfer stable-typedarray-sort align-detached-buffer-semantics-with-web-reality
    """.split()
)
PENDING_YEAR = {"Float16Array": ES2018_2025, "resizable-arraybuffer": ES2018_2025,
                "arraybuffer-transfer": ES2018_2025}
PENDING_DIRS = ("built-ins/TypedArray", "built-ins/TypedArrayConstructors", "built-ins/ArrayBuffer",
                "built-ins/DataView", "built-ins/Uint8Array")
PENDING_INCLUDES = frozenset({"testTypedArray.js", "testBigIntTypedArray.js", "detachArrayBuffer.js",
                              "byteConversionValues.js", "resizableArrayBufferUtils.js", "testIntl.js"})
# Never in a sample, with the reason reported.
EXCLUDED_FEATURES = {
    "SharedArrayBuffer": "SharedArrayBuffer/Atomics", "Atomics": "SharedArrayBuffer/Atomics",
    "Atomics.waitAsync": "SharedArrayBuffer/Atomics", "Atomics.pause": "SharedArrayBuffer/Atomics",
    "cross-realm": "other realms ($262.createRealm)", "IsHTMLDDA": "IsHTMLDDA",
    "tail-call-optimization": "tail calls", "host-gc-required": "host GC",
    "dynamic-import": "modules", "import.meta": "modules", "import-attributes": "modules",
    "json-modules": "modules", "top-level-await": "modules",
    "export-star-as-namespace-from-module": "modules", "arbitrary-module-namespace-names": "modules",
}
HARNESS_PRELUDE = r"""var $262 = {
  global: globalThis,
  evalScript: function (source) { return (0, eval)(source); },
  gc: function () {},
  detachArrayBuffer: function (buffer) {
    if (typeof buffer.transfer !== 'function') throw new TypeError('detachArrayBuffer: no ArrayBuffer.prototype.transfer');
    buffer.transfer();
    return null;
  }
};
function print(message) { console.log(String(message)); }
"""
FRONTMATTER = re.compile(r"/\*---(.*?)---\*/", re.S)
TIMEOUT_SECONDS = 10.0
ADDRESS_SPACE_BYTES = 2 << 30


@dataclass
class Meta:
    """The frontmatter fields the harness uses."""

    includes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    negative_phase: str | None = None
    negative_type: str | None = None


def _yaml_list(text: str, key: str) -> list[str]:
    """A ``key: [a, b]`` or block ``key:\\n  - a`` list from test262's (regular) YAML."""
    inline = re.search(rf"^{key}:\s*\[(.*?)\]", text, re.M | re.S)
    if inline:
        return [item.strip().strip("'\"") for item in inline.group(1).split(",") if item.strip()]
    block = re.search(rf"^{key}:\s*\n((?:[ \t]+-.*\n?)+)", text, re.M)
    if block:
        return [line.strip()[1:].strip().strip("'\"") for line in block.group(1).splitlines() if line.strip()]
    return []


def parse_meta(source: str) -> Meta:
    """The metadata of one test file."""
    found = FRONTMATTER.search(source)
    text = found.group(1) if found else ""
    meta = Meta(_yaml_list(text, "includes"), _yaml_list(text, "flags"), _yaml_list(text, "features"))
    negative = re.search(r"^negative:\s*\n((?:[ \t]+\S.*\n?)+)", text, re.M)
    if negative:
        phase = re.search(r"phase:\s*(\S+)", negative.group(1))
        kind = re.search(r"type:\s*(\S+)", negative.group(1))
        meta.negative_phase = phase.group(1) if phase else None
        meta.negative_type = kind.group(1) if kind else None
    return meta


def classify(rel: str, source: str, meta: Meta, include_pending: bool) -> str:
    """``es2015-2017``, ``es2018-2025`` or ``excluded: <reason>``."""
    if "module" in meta.flags:
        return "excluded: modules"
    if "$262.agent" in source or "CanBlockIs" in " ".join(meta.flags):
        return "excluded: agents"
    if "createRealm" in source:
        return "excluded: other realms ($262.createRealm)"
    if "IsHTMLDDA" in source:
        return "excluded: IsHTMLDDA"
    newer = False
    for feature in meta.features:
        if feature in EXCLUDED_FEATURES:
            return "excluded: " + EXCLUDED_FEATURES[feature]
        if feature in PENDING:
            if not include_pending:
                return "excluded: typed arrays/Intl (pending)"
            newer = newer or feature in PENDING_YEAR
        elif feature.startswith("Intl"):
            if not include_pending:
                return "excluded: typed arrays/Intl (pending)"
        elif feature in ES2018_2025:
            newer = True
        elif feature not in ES2015_2017:
            return "excluded: newer than ES2025"
    if not include_pending and (rel.startswith(PENDING_DIRS) or PENDING_INCLUDES.intersection(meta.includes)):
        return "excluded: typed arrays/Intl (pending)"
    return "es2018-2025" if newer else "es2015-2017"


@dataclass
class Case:
    """One test file of the sample."""

    rel: str
    sample: str
    meta: Meta
    source: str


def collect(root: Path, include_pending: bool, path_filter: str | None) -> tuple[list[Case], Counter[str]]:
    """Every eligible test file, and the count of excluded ones per reason."""
    cases: list[Case] = []
    excluded: Counter[str] = Counter()
    test_dir = root / "test"
    for top in ("language", "built-ins"):
        for path in sorted((test_dir / top).rglob("*.js")):
            rel = path.relative_to(test_dir).as_posix()
            if "_FIXTURE" in rel or (path_filter and not rel.startswith(path_filter)):
                continue
            source = path.read_text(encoding="utf-8")
            meta = parse_meta(source)
            sample = classify(rel, source, meta, include_pending)
            if sample.startswith("excluded"):
                excluded[sample] += 1
            else:
                cases.append(Case(rel, sample, meta, source))
    return cases, excluded


def modes(meta: Meta) -> list[str]:
    """The modes a test runs in."""
    if "raw" in meta.flags or "noStrict" in meta.flags:
        return ["sloppy"]
    if "onlyStrict" in meta.flags:
        return ["strict"]
    return ["sloppy", "strict"]


def build_source(root: Path, case: Case, mode: str, harness_cache: dict[str, str]) -> str:
    """The script handed to ``execute``."""
    if "raw" in case.meta.flags:
        return case.source
    names = ["assert.js", "sta.js"]
    if "async" in case.meta.flags:
        names.append("doneprintHandle.js")
    names += [name for name in case.meta.includes if name not in names]
    parts = ['"use strict";\n'] if mode == "strict" else []
    parts.append(HARNESS_PRELUDE)
    for name in names:
        if name not in harness_cache:
            harness_cache[name] = (root / "harness" / name).read_text(encoding="utf-8")
        parts.append(harness_cache[name])
    parts.append(case.source)
    return "\n".join(parts)


def judge(case: Case, task: Any) -> tuple[bool, str]:
    """Whether a finished task is a pass, and a one-line reason when it is not."""
    details = task.error_details or {}
    name = str(details.get("name", ""))
    message = str(details.get("message", ""))
    code = str(details.get("code", ""))
    if case.meta.negative_phase:
        expected = case.meta.negative_type or ""
        if task.status != "error":
            return False, f"expected {case.meta.negative_phase} {expected}, got {task.status}"
        parse_error = code in ("syntax_error", "unsupported_syntax")
        if case.meta.negative_phase == "parse":
            if parse_error and name == expected:
                return True, ""
            where = "at parse time" if parse_error else "at run time"
            return False, f"expected parse {expected}, got {name} {where}: {message}"
        if not parse_error and name == expected:
            return True, ""
        return False, f"expected runtime {expected}, got {name} ({code}): {message}"
    if task.status == "error":
        value = details.get("value")
        if name == "Uncaught" and isinstance(value, dict) and "message" in value:
            name, message = "Test262Error", str(value["message"])
        return False, f"{name} ({code}): {message}"
    if task.status != "completed":
        return False, f"task {task.status}"
    if "async" in case.meta.flags:
        lines = [str(entry.get("message", "")) for entry in task.logs]
        if "Test262:AsyncTestComplete" in lines:
            return True, ""
        failure = [line for line in lines if line.startswith("Test262:AsyncTestFailure:")]
        return False, failure[0][len("Test262:AsyncTestFailure:"):] if failure else "async: $DONE never called"
    return True, ""


def run_child(source: str, case: Case, write_fd: int) -> None:
    """In the forked child: run one script, write the verdict as JSON, exit."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))
    signal.alarm(int(TIMEOUT_SECONDS) + 2)
    from seqflow_runtime import Limits, create_flow

    try:
        task = create_flow(limits=Limits(max_run_seconds=TIMEOUT_SECONDS)).execute(source)
        passed, reason = judge(case, task)
    except BaseException as exc:  # noqa: BLE001 - the host raising at all is the failure being measured
        passed, reason = False, f"HOST {type(exc).__name__}: {exc}"
    os.write(write_fd, json.dumps({"passed": passed, "reason": reason[:300]}).encode())
    os._exit(0)


@dataclass
class Running:
    """A forked child and what it runs."""

    case: Case
    mode: str
    read_fd: int
    started: float
    data: bytes = b""


def run_all(root: Path, runs: list[tuple[Case, str]], jobs: int) -> list[dict[str, Any]]:
    """Run every (test, mode) in its own forked process, ``jobs`` at a time."""
    results: list[dict[str, Any]] = []
    harness_cache: dict[str, str] = {}
    pending = list(reversed(runs))
    active: dict[int, Running] = {}
    done = 0
    while pending or active:
        while pending and len(active) < jobs:
            case, mode = pending.pop()
            source = build_source(root, case, mode, harness_cache)
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                run_child(source, case, write_fd)
            os.close(write_fd)
            active[pid] = Running(case, mode, read_fd, time.monotonic())
        readable, _, _ = select.select([r.read_fd for r in active.values()], [], [], 0.5)
        for pid, run in list(active.items()):
            if run.read_fd in readable:
                chunk = os.read(run.read_fd, 65536)
                run.data += chunk
                if chunk:
                    continue
            elif time.monotonic() - run.started < TIMEOUT_SECONDS + 5:
                continue
            else:
                os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            os.close(run.read_fd)
            del active[pid]
            try:
                verdict = json.loads(run.data)
            except ValueError:
                signame = signal.Signals(-os.waitstatus_to_exitcode(status)).name if os.WIFSIGNALED(status) else "exit"
                verdict = {"passed": False, "reason": f"process died ({signame}: timeout or memory)"}
            results.append({"test": run.case.rel, "sample": run.case.sample, "mode": run.mode, **verdict})
            done += 1
            if done % 200 == 0:
                print(f"  {done}/{len(runs)} runs", file=sys.stderr, flush=True)
    return results


NORMALISE = [(re.compile(r"«[^»]*»"), "«…»"), (re.compile(r"'[^']*'"), "'…'"), (re.compile(r'"[^"]*"'), '"…"'),
             (re.compile(r"\b\d+\b"), "N"), (re.compile(r"\(line N(, column N)?\)"), "")]


def message_group(reason: str) -> str:
    """A failure reason with its test-specific parts blanked, to group alike failures."""
    for pattern, replacement in NORMALISE:
        reason = pattern.sub(replacement, reason)
    return reason.strip()[:140]


def directory_group(rel: str) -> str:
    """``language/expressions/class`` from a test path (three levels)."""
    return "/".join(rel.split("/")[:3])


def report(results: list[dict[str, Any]], excluded: Counter[str], top: int) -> str:
    """The pass rates and failure breakdowns, as Markdown."""
    lines: list[str] = []
    for sample in ("es2015-2017", "es2018-2025"):
        rows = [r for r in results if r["sample"] == sample]
        if not rows:
            continue
        passed = sum(r["passed"] for r in rows)
        files: dict[str, bool] = {}
        for r in rows:
            files[r["test"]] = files.get(r["test"], True) and r["passed"]
        lines.append(f"## {sample}: {100 * passed / len(rows):.1f}% of runs ({passed}/{len(rows)}); "
                     f"{100 * sum(files.values()) / len(files):.1f}% of files pass every mode "
                     f"({sum(files.values())}/{len(files)})")
        failures = [r for r in rows if not r["passed"]]
        lines.append("\nFailed runs by directory:\n")
        for name, count in Counter(directory_group(r["test"]) for r in failures).most_common(top):
            lines.append(f"- {count} {name}")
        lines.append("\nFailed runs by message:\n")
        by_message = Counter(message_group(r["reason"]) for r in failures)
        for name, count in by_message.most_common(top):
            example = next(r["test"] for r in failures if message_group(r["reason"]) == name)
            lines.append(f"- {count} `{name}` (e.g. {example})")
        lines.append("")
    lines.append("Excluded files (whole tree, before sampling): "
                 + ", ".join(f"{reason[10:]} {count}" for reason, count in excluded.most_common()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--test262", type=Path, required=True, help="a tc39/test262 checkout")
    parser.add_argument("--size", type=int, default=1500, help="files per sample (0: all)")
    parser.add_argument("--seed", type=int, default=262)
    parser.add_argument("--sample", choices=("es2015-2017", "es2018-2025", "all"), default="all")
    parser.add_argument("--include-pending", action="store_true", help="include typed arrays and Intl")
    parser.add_argument("--filter", help="only test paths starting with this (relative to test/)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="write every run's verdict here")
    parser.add_argument("--top", type=int, default=25, help="rows per breakdown")
    parser.add_argument("--show", type=int, default=0, help="print this many failing runs")
    parser.add_argument("--rerun", type=Path, help="only the files that failed in this --json output")
    args = parser.parse_args(argv)

    # Warm the parent once so each fork starts with seqflow imported and its caches filled.
    from seqflow_runtime import create_flow

    create_flow().execute("class A { #x = 1; static m() { return [1, 2].map(x => x * 2); } } A.m();")
    cases, excluded = collect(args.test262, args.include_pending, args.filter)
    sample: list[Case] = []
    for name in ("es2015-2017", "es2018-2025"):
        if args.sample not in (name, "all"):
            continue
        pool = [c for c in cases if c.sample == name]
        chosen = pool if args.size == 0 or args.size >= len(pool) else random.Random(args.seed).sample(pool, args.size)
        sample += sorted(chosen, key=lambda c: c.rel)
        print(f"{name}: {len(chosen)} of {len(pool)} eligible files", file=sys.stderr)
    if args.rerun:
        failed = {r["test"] for r in json.loads(args.rerun.read_text(encoding="utf-8")) if not r["passed"]}
        sample = [case for case in sample if case.rel in failed]
    runs = [(case, mode) for case in sample for mode in modes(case.meta)]
    started = time.monotonic()
    results = run_all(args.test262, runs, args.jobs)
    elapsed = time.monotonic() - started
    results.sort(key=lambda r: (r["test"], r["mode"]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results, excluded, args.top))
    print(f"\n{len(runs)} runs in {elapsed:.0f} s with {args.jobs} jobs (seed {args.seed}, size {args.size})")
    for r in [r for r in results if not r["passed"]][: args.show]:
        print(f"FAIL {r['test']} [{r['mode']}]: {r['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
