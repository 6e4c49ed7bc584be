"""The transpile entry point and the :class:`Program` it returns."""

from __future__ import annotations

import gc
import hashlib
import marshal
import threading
from collections import OrderedDict
from dataclasses import dataclass
from types import CodeType

from .depth import DEEP_RECURSION_LIMIT, call_deep
from .disk_cache import Entry, disk_cache
from .errors import JSSyntaxError, SeqflowError, TooComplexError, UnsupportedSyntaxError
from .source_map import SourceMap

#: ``standard`` is JavaScript; ``sequential`` is the seed libraries' dialect
#: (every fetch is awaited implicitly and yields the response data).
DIALECTS = ("standard", "sequential")
#: Bumped whenever generated code changes meaning; persisted states record it.
CODEGEN_VERSION = "3"
#: Bytes of transpiled programs kept for repeats (see :func:`program_bytes`), and their number.
CACHE_BYTES = 64 << 20
CACHE_ENTRIES = 256


@dataclass(frozen=True)
class Program:
    """A transpiled script: readable Python, its compiled code and its source map."""

    js_source: str
    dialect: str
    python_source: str
    code: CodeType
    source_map: SourceMap
    code_hash: str

    @property
    def filename(self) -> str:
        """The pseudo file name of the compiled code (tracebacks and stacks use it)."""
        return self.code.co_filename


def code_hash(source: str, dialect: str = "standard") -> str:
    """The identity of a script: SHA-256 of dialect, codegen version and source."""
    digest = hashlib.sha256(f"{dialect}\0{CODEGEN_VERSION}\0{source}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def transpile(source: str, dialect: str = "standard") -> Program:
    """Transpile JavaScript ``source``; cached by content, so repeats are free.

    Raises :class:`~seqflow_transpile.errors.JSSyntaxError` (with the JS line
    and column) for code that does not parse, and
    :class:`~seqflow_transpile.errors.UnsupportedSyntaxError` for what parses
    but is not supported (module syntax: ``import``/``export``).
    """
    if dialect not in DIALECTS:
        raise SeqflowError(f"unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
    if not isinstance(source, str):
        raise SeqflowError("JavaScript source must be a string")
    return _transpile_cached(source, dialect)


#: Kinds of code ``eval`` runs: a global script (indirect eval) or code that sees its caller's scope.
EVAL_MODES = ("global", "direct")


def transpile_eval(source: str, mode: str, strict: bool) -> Program:
    """Transpile the code ``eval`` runs (ECMA-262 PerformEval, 19.2.1.1); cached like scripts.

    ``mode`` is ``"global"`` (indirect eval: its ``main(rt)`` runs as a global
    script) or ``"direct"`` (``main(rt, scope)`` reaches its caller's bindings
    through ``scope``); ``strict`` says the caller is strict code. The source
    must parse as a plain script (no top-level ``return`` or ``await``).
    """
    if mode not in EVAL_MODES:
        raise SeqflowError(f"unknown eval mode {mode!r}")
    if not isinstance(source, str):
        raise SeqflowError("JavaScript source must be a string")
    return _transpile_cached(source, "standard", mode, strict)


class _ProgramCache:
    """Transpiled programs by (source, dialect, eval mode, strictness), least recently used first, bounded in bytes."""

    def __init__(self, max_bytes: int, max_entries: int) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.bytes = 0
        self._programs: OrderedDict[tuple[str, str, str, bool], tuple[Program, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str, bool]) -> Program | None:
        """The cached program (now the most recent), or ``None``."""
        with self._lock:
            hit = self._programs.get(key)
            if hit is None:
                return None
            self._programs.move_to_end(key)
            return hit[0]

    def put(self, key: tuple[str, str, str, bool], program: Program) -> None:
        """Keep ``program``, evicting the oldest past the bounds (one alone over them is not kept)."""
        size = program_bytes(program)
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._programs:
                return
            self._programs[key] = (program, size)
            self.bytes += size
            while len(self._programs) > self.max_entries or self.bytes > self.max_bytes:
                _, (_, old) = self._programs.popitem(last=False)
                self.bytes -= old

    def clear(self) -> None:
        """Forget every program."""
        with self._lock:
            self._programs.clear()
            self.bytes = 0


def program_bytes(program: Program) -> int:
    """About the memory a program holds: its two texts, and its code objects (about three times
    their marshalled size, measured on CPython 3.11)."""
    return len(program.js_source) + len(program.python_source) + 3 * len(marshal.dumps(program.code))


#: The process-wide cache of :func:`transpile`.
program_cache = _ProgramCache(CACHE_BYTES, CACHE_ENTRIES)


def _transpile_cached(source: str, dialect: str, eval_mode: str = "", strict: bool = False) -> Program:
    key = (source, dialect, eval_mode, strict)
    program = program_cache.get(key)
    if program is not None:
        return program
    stored = disk_cache.load(key)
    if stored is not None:
        program = _from_entry(stored)
        program_cache.put(key, program)
        return program
    # The parser and code generator allocate millions of short-lived objects
    # and make no cycles that outlive the call; cyclic GC during that time
    # only costs (more than half the transpile time), so it is paused.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        program = _transpile(source, dialect, eval_mode, strict)
    finally:
        if was_enabled:
            gc.enable()
    program_cache.put(key, program)
    disk_cache.store(key, _to_entry(program))
    return program


def _to_entry(program: Program) -> Entry:
    """What the disk cache keeps of ``program``."""
    source_map = program.source_map
    return (program.js_source, program.dialect, program.python_source, program.code,
            source_map.py_lines, source_map.js_positions, source_map.function_names, program.code_hash)


def _from_entry(entry: Entry) -> Program:
    """The program the disk cache kept."""
    source, dialect, python_source, code, py_lines, js_positions, function_names, digest = entry
    return Program(source, dialect, python_source, code, SourceMap(py_lines, js_positions, function_names), digest)


def _transpile(source: str, dialect: str, eval_mode: str = "", strict: bool = False) -> Program:
    # The parser and code generator load on a process's first transpile, not at import: a process
    # whose programs all come from a cache never pays for them.
    from .codegen import generate
    from .parse import check_eval_code, parse_script
    from .render import render
    from .scope import analyze
    from .sequential import prepare_sequential

    digest = code_hash(source, dialect if not eval_mode else f"eval-{eval_mode}-{int(strict)}")
    text = prepare_sequential(source) if dialect == "sequential" else source
    filename = f"<seqflow:{digest[:16]}>"

    def work() -> tuple[str, SourceMap, CodeType]:
        if eval_mode:
            check_eval_code(text, strict)
        body = parse_script(text)
        analysis = analyze(body, eval_mode, strict)
        module, display_names = generate(body, analysis, dialect)
        python_source, source_map = render(module, display_names)
        try:
            return python_source, source_map, compile(python_source, filename, "exec")
        except SyntaxError as exc:
            raise _not_compiled(exc, source_map) from None

    try:
        python_source, source_map, code = call_deep(work)
    except RecursionError:
        raise TooComplexError(
            f"the script is nested too deeply to transpile (recursion limit {DEEP_RECURSION_LIMIT})",
            1, 1,
        ) from None
    except MemoryError:
        raise TooComplexError("the script is too large to transpile", 1, 1) from None
    return Program(source, dialect, python_source, code, source_map, digest)


#: CPython's structural limits, as its compiler words them.
_PYTHON_LIMITS = ("too many", "too deeply nested", "indentation", "recursion")


def _not_compiled(exc: SyntaxError, source_map: SourceMap) -> JSSyntaxError:
    """The generated Python did not compile: a limit of CPython's, or a transpiler bug."""
    line, column = source_map.lookup(exc.lineno or 0) or (1, 1)
    reason = str(exc.msg)
    if any(word in reason for word in _PYTHON_LIMITS):
        return TooComplexError(f"the script is nested too deeply for Python ({reason})", line, column)
    return UnsupportedSyntaxError(
        f"this construct is not supported yet (the generated Python is invalid: {reason})",
        line, column,
    )
