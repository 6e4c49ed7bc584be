"""Parse a script with esprima (the ``esprima-fork`` 5 distribution, ES2026), so
that top-level ``await`` and ``return`` work.

A script accepts neither at the top level, so it is wrapped in an async
function whose header shares line 1 with the script's first line: every line
number stays the script's own, and only columns on line 1 shift (by
:data:`PREFIX`'s length, which :func:`parse_script` undoes in error positions
and the code generator undoes in its source map). A hashbang line (``#!``),
legal only at the very start of a source, becomes a ``//`` comment of the same
length before wrapping, so no position moves.

Positions are requested in code points (``positionEncoding="scalar"``): a
node's ``range`` indexes the Python ``str`` of the source, and columns count
characters, as they did before the parser reported UTF-16 units by default.
Regex literals are validated by the parser's own ECMAScript pattern grammar
(not Python's ``re``), so an invalid literal is an early SyntaxError, as in JS.
"""

from __future__ import annotations

import re
from typing import Any

import esprima

from .errors import JSSyntaxError, UnsupportedSyntaxError

PREFIX = "(async function(){"
#: The wrapper for a sloppy script that uses ``await`` as an identifier (no
#: top-level await then); as long as :data:`PREFIX`, so positions stay the same.
PLAIN_PREFIX = "(      function(){"
SUFFIX = "\n})"

#: The options every parse and tokenize call of the transpiler uses.
OPTIONS: dict[str, Any] = {"loc": True, "range": True, "positionEncoding": "scalar"}

# Syntax a script (as opposed to a module) rejects, recognised at the error position.
_MODULE_SYNTAX = re.compile(r"(import|export)\b")
_ERROR_PREFIX = re.compile(r"^Line \d+: ")
#: What esprima says when it runs out of Python stack (parser or validator).
_RESOURCE_LIMIT = "nesting exceeds the"
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")


def _module_construct(source: str, index: int) -> str | None:
    """Name the module-only construct at ``index``, if the parser stopped on one."""
    match = _MODULE_SYNTAX.match(source, max(index, 0))
    if match is None:
        return None
    if source.startswith("import.meta", match.start()):
        return "import.meta (ES modules)"
    return f"ES modules ({match.group(1)} declarations)"


def strip_hashbang(source: str) -> str:
    """``source`` with a leading ``#!`` line turned into a ``//`` comment (same length)."""
    return "//" + source[2:] if source.startswith("#!") else source


def parse_script(source: str) -> Any:
    """Parse ``source`` and return the list of its top-level statements (ESTree nodes).

    Raises :class:`JSSyntaxError` (or :class:`UnsupportedSyntaxError` for
    module syntax, which a script cannot contain) with the script's own line
    and column (1-based, in characters).
    """
    try:
        return _parse_wrapped(PREFIX, source)
    except esprima.Error as exc:
        if _RESOURCE_LIMIT in str(exc):
            # esprima turns running out of Python stack into a syntax error; it is a depth
            # problem, which the caller retries with more room (``depth.call_deep``).
            raise RecursionError(str(exc)) from None
        if re.search(r"\bawait\b", source):
            try:
                return _parse_wrapped(PLAIN_PREFIX, source)
            except esprima.Error:
                pass  # report the error of the usual (async) reading
        raise _syntax_error(source, exc) from None


def check_eval_code(source: str, strict: bool) -> None:
    """Raise :class:`JSSyntaxError` unless ``source`` is a script ``eval`` may run.

    Unlike a seqflow script, eval code has no top-level ``await`` or ``return``;
    in strict code it is strict whatever its directives say. The parse that
    follows (:func:`parse_script`) reads it the usual way.
    """
    directive = '"use strict";' if strict else ""
    try:
        esprima.parseScript(directive + source, OPTIONS)
    except esprima.Error as exc:
        if _RESOURCE_LIMIT in str(exc):
            raise RecursionError(str(exc)) from None
        index = min(max(int(getattr(exc, "index", 0) or 0) - len(directive), 0), len(source))
        line, column = source_position(source, index)
        raise JSSyntaxError(_ERROR_PREFIX.sub("", str(getattr(exc, "message", None) or exc)),
                            line, column) from None


def contains_arguments(source: str) -> bool:
    """ContainsArguments (ECMA-262 15.7.1): whether parsable code names ``arguments`` outside non-arrow functions.

    Eval code in a class field initialiser or static block may not (PerformEval's early errors).
    """
    from .scope import children

    stack = list(esprima.parseScript(source, OPTIONS).body)
    while stack:
        node = stack.pop()
        if node.type in ("FunctionExpression", "FunctionDeclaration"):
            continue
        if node.type == "Identifier" and node.name == "arguments":
            return True
        if node.type == "MemberExpression" and not node.computed:
            stack.append(node.object)  # `o.arguments` names a property
        elif node.type in ("Property", "PropertyDefinition", "MethodDefinition") and not node.computed:
            if node.value is not None:
                stack.append(node.value)
        elif node.type not in ("LabeledStatement", "BreakStatement", "ContinueStatement"):
            stack.extend(children(node))
        else:
            stack.extend(c for c in children(node) if c is not getattr(node, "label", None))
    return False


def _parse_wrapped(prefix: str, source: str) -> Any:
    """The statements of ``source`` parsed as the body of the function ``prefix`` opens."""
    tree = esprima.parseScript(prefix + strip_hashbang(source) + SUFFIX, OPTIONS)
    return tree.body[0].expression.body.body


def _syntax_error(source: str, exc: Any) -> JSSyntaxError:
    """The typed error for esprima's ``exc``, positioned in the script itself.

    The position is derived from the error's index: the parser's own column
    is not always relative to the line (it is the index plus one for some
    tokens), while the index always is the offset in the wrapped source.
    """
    index = min(max(int(getattr(exc, "index", 0) or 0) - len(PREFIX), 0), len(source))
    line, column = source_position(source, index)
    description = _ERROR_PREFIX.sub("", str(getattr(exc, "message", None) or exc))
    construct = _module_construct(source, index)
    if construct is not None:
        return UnsupportedSyntaxError(f"{construct} is not supported", line, column)
    return JSSyntaxError(description, line, column)


def source_position(source: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``source[index]`` (JS line terminators)."""
    starts = [m.end() for m in _LINE_BREAK.finditer(source, 0, index)]
    line_start = starts[-1] if starts else 0
    return len(starts) + 1, index - line_start + 1


def js_position(node: Any) -> tuple[int, int]:
    """The script's own 1-based line and column of ``node``."""
    start = node.loc.start
    column = start.column + 1
    if start.line == 1:
        column -= len(PREFIX)
    return start.line, column
