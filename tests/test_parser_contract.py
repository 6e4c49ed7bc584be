"""What the transpiler relies on from its parser (esprima-fork 5, ES2026, ESTree).

If a parser upgrade changes any of these, this file says which assumption broke
before the code generator fails in a less obvious way.
"""

from __future__ import annotations

from typing import Any

import esprima
import pytest

from seqflow_transpile import JSSyntaxError, UnsupportedSyntaxError, transpile
from seqflow_transpile.parse import OPTIONS, js_position, parse_script
from tests.jsrun import run_js


def first_expression(source: str) -> Any:
    """The expression of the script's first statement."""
    return parse_script(source)[0].expression


def test_the_distribution_is_the_maintained_fork() -> None:
    from importlib.metadata import version

    assert version("esprima-fork") == "5.0.0"


@pytest.mark.parametrize(
    ("source", "shape"),
    [
        ("a?.b", {"type": "ChainExpression", "expression.type": "MemberExpression",
                  "expression.optional": True}),
        ("f?.()", {"type": "ChainExpression", "expression.type": "CallExpression",
                   "expression.optional": True}),
        ("a ?? b", {"type": "LogicalExpression", "operator": "??"}),
        ("a ??= b", {"type": "AssignmentExpression", "operator": "??="}),
        ("a ||= b", {"type": "AssignmentExpression", "operator": "||="}),
        ("1_000_000", {"type": "Literal", "value": 1000000}),
        ("0xff_ff", {"type": "Literal", "value": 0xFFFF}),
        ("10n", {"type": "Literal", "bigint": "10"}),
        ("(class { #x = 1; static s; static {} get #g() { return 1 } })",
         {"type": "ClassExpression", "body.body.0.type": "PropertyDefinition",
          "body.body.0.key.type": "PrivateIdentifier", "body.body.0.key.name": "x",
          "body.body.1.static": True, "body.body.1.value": None,
          "body.body.2.type": "StaticBlock", "body.body.3.kind": "get"}),
        ("(async function* () { for await (const x of y) yield x; })",
         {"type": "FunctionExpression", "isAsync": True, "generator": True,
          "body.body.0.type": "ForOfStatement", "body.body.0.allowAwait": True}),
        # Not ESTree's `await` field: this port names it `allowAwait`.
        ("(function () { for (const x of y); })", {"body.body.0.allowAwait": False}),
        ("(class { #x; m(o) { return #x in o } })",
         {"body.body.1.value.body.body.0.argument.left.type": "PrivateIdentifier"}),
    ],
)
def test_node_shapes(source: str, shape: dict[str, Any]) -> None:
    node = first_expression(source)
    for path, expected in shape.items():
        value = node
        for part in path.split("."):
            value = value[int(part)] if part.isdigit() else getattr(value, part)
        assert value == expected, path


def test_optional_catch_binding_has_no_param() -> None:
    stmt = parse_script("try { f() } catch { }")[0]
    assert stmt.handler.param is None


def test_ranges_and_columns_count_characters_on_astral_text() -> None:
    # The parser's default is UTF-16 units; the transpiler asks for code points,
    # so a range slices the Python string and a column counts characters.
    source = "const s = '😀😀'; const t = 1;"
    tree = esprima.parseScript(source, OPTIONS)
    second = tree.body[1]
    assert source[second.range[0]:second.range[1]] == "const t = 1;"
    assert second.loc.start.column == source.index("const t")
    default = esprima.parseScript(source, {"range": True})
    assert default.body[1].range[0] == second.range[0] + 2  # two surrogate pairs
    assert js_position(parse_script(source)[1]) == (1, source.index("const t") + 1)


def test_error_positions_on_astral_text() -> None:
    with pytest.raises(JSSyntaxError) as info:
        transpile("const s = '😀'; let = = 1;")
    assert (info.value.line, info.value.column) == (1, len("const s = '😀'; let = ") + 1)


def test_error_message_and_position_shape() -> None:
    with pytest.raises(JSSyntaxError) as info:
        transpile("let a = 1;\nlet b = ;")
    err = info.value
    assert (err.line, err.column) == (2, 9)
    assert err.description == "Unexpected token ;"
    assert err.message == "Unexpected token ; (line 2, column 9)"
    assert err.code == "syntax_error"
    assert err.to_dict() == {"code": "syntax_error", "message": err.message, "line": 2, "column": 9}


def test_early_errors_are_reported() -> None:
    # The parser's validation pass: redeclarations, undeclared private names,
    # invalid regular expressions (ECMAScript grammar, not Python's re).
    for source, fragment in [
        ("let a; let a;", "already been declared"),
        ("class A { m() { return this.#y } }", "#y"),
        ("/a{2,1}/", "Invalid regular expression"),
    ]:
        with pytest.raises(JSSyntaxError) as info:
            transpile(source)
        assert fragment in info.value.description, source
        assert not isinstance(info.value, UnsupportedSyntaxError)


def test_regex_literals_python_re_rejects_still_parse() -> None:
    assert run_js(r"/(?<year>\d{4})-\p{L}/u.exec('2024-x').groups.year") == "2024"


@pytest.mark.parametrize(
    ("source", "feature", "line", "column"),
    [
        ("import x from 'y';", "ES modules (import declarations)", 1, 1),
        ("let a = 1;\n  export default a;", "ES modules (export declarations)", 2, 3),
        ("let a = 1;\nimport { b } from './b.js';", "ES modules (import declarations)", 2, 1),
        ("const m = import.meta.url;", "import.meta", 1, 11),
        ("const m = await import('./m.js');", "dynamic import()", 1, 17),
    ],
)
def test_module_syntax_is_unsupported_with_its_position(source: str, feature: str, line: int,
                                                        column: int) -> None:
    with pytest.raises(UnsupportedSyntaxError) as info:
        transpile(source)
    err = info.value
    assert feature in err.message
    assert (err.line, err.column) == (line, column)
    assert err.code == "unsupported_syntax"


def test_top_level_await_and_return_still_work() -> None:
    assert run_js("const v = await Promise.resolve(20); return v + 1;") == 21
    assert run_js("if (true) { return 'early' }\n'late'") == "early"
    assert run_js("await null; 5 * 2") == 10


def test_hashbang_keeps_positions() -> None:
    assert run_js("#!/usr/bin/env node\nconst x = 2;\nx * 21") == 42
    source = transpile("#!/usr/bin/env node\nconst x = 1;").python_source
    assert "# L2" in source
    with pytest.raises(JSSyntaxError) as info:
        transpile("#!/usr/bin/env node\nlet = = 1;")
    assert (info.value.line, info.value.column) == (2, 7)
    # Only at the very start of the source: elsewhere `#!` is an error.
    with pytest.raises(JSSyntaxError):
        transpile(" #!/usr/bin/env node\n1")
