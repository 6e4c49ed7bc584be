"""Tests for seqflow_runtime.js.regexp_syntax, using QuickJS as the JS oracle.

Strings in the tables are written with real astral characters for
readability and converted to the runtime's convention (surrogate pairs)
before they reach either engine.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import pytest

try:
    import seqflow_runtime.js.regexp_syntax  # noqa: F401
except ModuleNotFoundError:
    # The package is not installed: import it from the checkout, as the other
    # test modules do.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seqflow_runtime.js.regexp_syntax import (  # noqa: E402
    RegExpSyntaxError,
    compile_js_regexp,
    expand_replacement,
    group_names,
    translate_js_regexp,
)

quickjs = pytest.importorskip("quickjs")


def units(text: str) -> str:
    """Spell astral characters as surrogate pairs (the runtime's convention)."""
    return "".join(
        ch
        if ord(ch) <= 0xFFFF
        else chr(0xD800 + ((ord(ch) - 0x10000) >> 10)) + chr(0xDC00 + ((ord(ch) - 0x10000) & 0x3FF))
        for ch in text
    )


def deep_units(value: Any) -> Any:
    """Apply :func:`units` to every string inside a decoded JSON value."""
    if isinstance(value, str):
        return units(value)
    if isinstance(value, list):
        return [deep_units(item) for item in value]
    if isinstance(value, dict):
        return {key: deep_units(item) for key, item in value.items()}
    return value


_HARNESS = r"""
function __advance(s, i, unicode) {
  if (!unicode || i + 1 >= s.length) return i + 1;
  var c = s.charCodeAt(i);
  if (c < 0xD800 || c > 0xDBFF) return i + 1;
  var d = s.charCodeAt(i + 1);
  return (d >= 0xDC00 && d <= 0xDFFF) ? i + 2 : i + 1;
}
function __ascii(text) {
  return text.replace(/[\u007f-\uffff]/g, function (c) {
    return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
}
function __clean(v) { return v === undefined ? null : v; }
function __execAll(src, flags, subject) {
  var re;
  try { re = new RegExp(src, flags); } catch (e) { return __ascii(JSON.stringify({error: String(e)})); }
  var g = new RegExp(src, flags.indexOf('g') >= 0 ? flags : flags + 'g');
  var out = [], m;
  while ((m = g.exec(subject)) !== null) {
    var row = [m.index];
    for (var k = 0; k < m.length; k++) row.push(__clean(m[k]));
    var groups = null;
    if (m.groups) { groups = {}; for (var key in m.groups) groups[key] = __clean(m.groups[key]); }
    row.push(groups);
    out.push(row);
    if (m[0] === '') g.lastIndex = __advance(subject, g.lastIndex, g.unicode);
  }
  return __ascii(JSON.stringify({matches: out}));
}
function __replace(src, flags, subject, template) {
  return __ascii(JSON.stringify(subject.replace(new RegExp(src, flags), template)));
}
"""


@pytest.fixture(scope="module")
def js() -> Any:
    context = quickjs.Context()
    context.eval(_HARNESS)
    return context


def js_call(context: Any, function: str, *args: str) -> Any:
    """Call a harness function with string arguments and decode its JSON result."""
    # json.dumps escapes every non-ASCII code unit, so surrogate pairs reach
    # JS as the same two code units.
    call = f"{function}({', '.join(json.dumps(arg) for arg in args)})"
    return deep_units(json.loads(context.eval(call)))


def advance(subject: str, index: int, unicode: bool) -> int:
    """JS AdvanceStringIndex."""
    if unicode and index + 1 < len(subject) and "\ud800" <= subject[index] <= "\udbff" and "\udc00" <= subject[index + 1] <= "\udfff":
        return index + 2
    return index + 1


def py_exec_all(source: str, flags: str, subject: str) -> list[list[Any]]:
    """Emulate repeated global ``exec`` (as String.prototype.matchAll does)."""
    pattern = compile_js_regexp(source, flags)
    names = group_names(source, flags)
    sticky = "y" in flags
    rows: list[list[Any]] = []
    position = 0
    while position <= len(subject):
        found = pattern.match(subject, position) if sticky else pattern.search(subject, position)
        if found is None:
            break
        row: list[Any] = [found.start(), found.group(0), *found.groups()]
        named = None
        if any(name is not None for name in names):
            named = {name: found.group(i) for i, name in enumerate(names, start=1) if name is not None}
        row.append(named)
        rows.append(row)
        position = found.end()
        if found.end() == found.start():
            position = advance(subject, position, "u" in flags)
    return rows


def py_replace(source: str, flags: str, subject: str, template: str) -> str:
    """Emulate ``subject.replace(new RegExp(source, flags), template)``."""
    rows = py_exec_all(source, flags, subject)
    if "g" not in flags:
        rows = rows[:1]
    out: list[str] = []
    last = 0
    for row in rows:
        index, matched, *captures, named = row
        out.append(subject[last:index])
        out.append(expand_replacement(template, matched, index, subject, captures, named))
        last = index + len(matched)
    out.append(subject[last:])
    return "".join(out)


# (pattern, flags, subject): results must equal QuickJS's.
ORACLE_CASES: list[tuple[str, str, str]] = [
    # plain matching, alternation, quantifiers
    ("abc", "", "xxabcabc"),
    ("a|b|", "", "cab"),
    ("a*", "", "baaab"),
    ("a+?", "", "aaa"),
    ("a{2}", "", "aaaaa"),
    ("a{2,}", "", "a aa aaa"),
    ("a{1,2}", "", "aaa"),
    ("a{1,2}?", "", "aaa"),
    ("a??b", "", "ab b"),
    ("(?:ab)+", "", "ababab"),
    ("x*", "", "axxb"),
    ("", "", "abc"),
    ("(a)|(b)", "", "ab"),
    ("((a)(b))", "", "ab"),
    ("a{0}b", "", "ab"),
    ("a{,2}", "", "a{,2}"),
    ("a{2,3", "", "a{2,3"),
    ("\\d{3,5}?", "", "1234567"),
    # case-insensitive
    ("[a-z]+", "i", "Hello WORLD"),
    ("[^a-z]+", "i", "Hello, WORLD!"),
    ("abc", "i", "ABC aBc"),
    ("s", "i", "s S \u017f"),
    ("k", "i", "k K \u212a"),
    ("k", "iu", "k K \u212a"),
    ("s", "iu", "s S \u017f"),
    ("\u00e9", "i", "\u00c9\u00e9"),
    ("\u03c3", "i", "\u03a3\u03c3\u03c2"),
    ("\u03c3", "iu", "\u03a3\u03c3\u03c2"),
    ("\u00df", "i", "\u1e9e\u00df"),
    ("i", "i", "I i \u0130 \u0131"),
    ("i", "iu", "I i \u0130 \u0131"),
    ("[\\w-]+", "i", "Foo-Bar_1 \u017f"),
    ("[A-Z\u00c0-\u00de]+", "i", "abc\u00e0\u00e9\u00ff"),
    ("\\W", "i", "s\u017fK\u212a!"),
    ("\\W", "iu", "s\u017fK\u212a!"),
    ("[^\\W]", "i", "aS\u017f"),
    ("(a)\\1", "i", "aA Aa aa"),
    ("\ud801\udc00", "iu", "\ud801\udc28\ud801\udc00"),
    ("\u0101", "i", "\u0100\u0101"),
    # dot and line terminators
    (".", "", "a\nb\rc\u2028d\u2029e"),
    (".", "s", "a\nb\r\u2028"),
    ("a.c", "", "a\rc a\u2028c abc"),
    (".+", "", "ab\r\ncd"),
    # anchors and multiline
    ("a$", "", "a\n"),
    ("a$", "", "ba"),
    ("^a", "", "a\na"),
    ("^a", "m", "a\na\ra\u2028a\u2029a"),
    ("a$", "m", "a\na\ra\u2028a\u2029a"),
    ("^$", "m", "\n\r\n"),
    ("^", "gm", "ab\ncd"),
    ("$", "g", "ab\n"),
    # \b \B with non-ASCII letters
    ("\\b\\w+\\b", "", "caf\u00e9 na\u00efve"),
    ("\\b", "", "\u00e9a\u00e9"),
    ("\\B", "", "ab \u00e9"),
    ("\\bfoo\\b", "", "foo foobar _foo foo_"),
    # character class escapes
    ("\\d+", "", "12\u0661\u0662\u0663 34"),
    ("\\D+", "", "12\u0661\u0662 34"),
    ("\\w+", "", "abc\u00e9\u4e2d_1"),
    ("\\s+", "", "a\u00a0b\tc\u3000d\ufeffe\u200bf"),
    ("\\S+", "", "a\u00a0b\u1680c\u2000d\u2028e"),
    ("[\\s\\d]+", "", "1 2\u00a03x"),
    ("[^\\s]+", "", "ab\u2029cd"),
    ("[\\D]", "", "1a"),
    # escapes
    ("\\x41\\u0042", "", "AB"),
    ("\\cJ", "", "a\nb"),
    ("\\0", "", "a\x00b"),
    ("[\\b]", "", "a\bb"),
    ("\\t\\n\\v\\f\\r", "", "\t\n\x0b\x0c\r"),
    ("\\-\\/\\.\\*", "", "-/.*"),
    ("a\\/b", "", "a/b"),
    ("\\u{41}", "", "u{41} " + "u" * 41),
    ("\\u{41}", "u", "A"),
    ("\\u{1F600}", "u", "x\U0001f600"),
    ("\\ud83d\\ude00", "u", "\U0001f600"),
    ("\\ud83d\\ude00", "", "\U0001f600"),
    ("\\x4", "", "x4"),
    ("\\u12", "", "u12"),
    ("\\c1", "", "\\c1"),
    ("\\c", "", "\\c"),
    ("[\\c1]", "", "\x11"),
    ("[\\c_]", "", "\x1f"),
    ("[\\c*]", "", "\\c*"),
    ("\\8\\9", "", "89"),
    ("\\1", "", "\x01"),
    ("\\12", "", "\n"),
    ("\\101", "", "A"),
    ("\\08", "", "\x008"),
    ("(a)\\10", "", "a\x08"),
    ("[\\1]", "", "\x01"),
    ("\\a\\e\\g\\A\\Z\\z", "", "aegAZz"),
    ("\\k", "", "k"),
    ("\\p{L}", "", "p{L}"),
    # Unicode property escapes (u only)
    ("\\p{L}+", "u", "ab\u01c5\u02b0\u6f22 \U0001d465!"),
    ("\\p{Lu}", "u", "aZ\u01c5\uff21"),
    ("\\p{Ll}|\\p{Lt}", "u", "aZ\u01c5\U0001d465"),
    ("\\P{L}", "u", "a1\U0001f600\u0300"),
    ("\\p{N}", "u", "1\u0663\u2160\u00bd\uff10x"),
    ("\\p{Nd}", "u", "1\u0663\u2160\u00bd"),
    ("\\p{gc=Nd}", "u", "1\u0663\u2160"),
    ("\\p{General_Category=Letter}", "u", "a1"),
    ("\\p{Letter}\\p{punct}", "u", "a!b("),
    ("\\p{P}", "u", "!_-()\u00bf"),
    ("\\p{S}", "u", "+\u20ac\U0001f600^"),
    ("\\p{Z}", "u", " \u00a0\u2028\t"),
    ("\\p{M}", "u", "a\u0300\u0903"),
    ("\\p{C}", "u", "\t\u200b\ue000\u0378"),
    ("\\p{Cn}", "u", "a\u0378"),
    ("[\\p{N}a]", "u", "1ab"),
    ("[^\\p{L}\\p{N}]", "u", "a1 \U0001f600"),
    ("\\p{Any}", "u", "a\U0001f600\ud800"),
    ("\\p{ASCII}", "u", "a\u00e9\x7f"),
    ("\\p{Assigned}", "u", "a\u0378\U0001f600"),
    ("\\p{AHex}\\p{Hex}", "u", "aF\uff21\uff10"),
    ("\\p{White_Space}", "u", "\x85 \u200b\u3000"),
    ("\\p{RI}", "u", "\U0001f1e6\U0001f1ff"),
    ("\\p{NChar}", "u", "\ufdd0\uffff\U0001fffe"),
    ("\\p{Lowercase}", "u", "a\u00aa\u02b0A"),
    ("\\p{Upper}", "u", "aA\u2160"),
    ("\\p{L}", "iu", "a\u00e9"),
    # Annex B literal brackets
    ("]", "", "a]b"),
    ("x{", "", "x{"),
    ("{}", "", "{}"),
    ("}", "", "}"),
    ("x{a}", "", "x{a}"),
    ("x{1,2", "", "x{1,2"),
    ("[a-]", "", "-a"),
    ("[-a]", "", "-a"),
    ("[a-c-e]", "", "b-e d"),
    ("[\\d-z]", "", "5-zy"),
    ("[%--]", "", "%+-."),
    # empty and full classes
    ("[^]", "", "a\n\U0001f600"),
    ("[]", "", "abc"),
    ("a[]", "", "abc"),
    ("[^]", "u", "a\n\U0001f600"),
    ("[]]", "", "]"),
    # groups, named groups and backreferences
    ("(?<year>\\d{4})-(?<month>\\d{2})", "", "2020-12 1999-01"),
    ("(?<a>x)|(?<b>y)", "", "xy"),
    ("(?<word>\\w+) \\k<word>", "", "hello hello world"),
    ("\\k<n>(?<n>a)", "", "aa"),
    ("(?<\u00e9>a)", "", "a"),
    ("(a)|\\1b", "", "b"),
    ("(a)?\\1b", "", "b ab aab"),
    ("\\1(a)", "", "aa"),
    ("(a\\1)", "", "aa"),
    ("(?:(a)|b)\\1", "", "aa b"),
    ("(a)(b)\\2\\1", "", "abba"),
    ("(.)\\1", "", "hello"),
    ("(a)\\1", "", "aA"),
    ("(?:x)(y)", "", "xy"),
    # lookarounds
    ("a(?=b)", "", "ab ac"),
    ("a(?!b)", "", "ab ac"),
    ("(?<=\\$)\\d+", "", "$42 43"),
    ("(?<!\\$)\\b\\d+", "", "$42 43"),
    ("(?<=a|bc)d", "", "ad bcd cd"),
    ("(?<!a|bc)d", "", "ad bcd cd"),
    ("(?<=(a)|(bc))d", "", "bcd ad"),
    ("(?=(a))a", "", "a"),
    ("(?!(a))b", "", "b"),
    ("(?=a)*a", "", "a"),
    ("(?=(a))+a", "", "a"),
    ("(?=a){2}a", "", "a"),
    ("(?<=^|,)\\w", "", "a,b,c"),
    # u flag and astral characters
    ("^.$", "u", "\U0001f600"),
    ("^.$", "", "\U0001f600"),
    ("^..$", "", "\U0001f600"),
    (".", "gu", "a\U0001f600b"),
    (".", "g", "a\U0001f600b"),
    ("\U0001f600+", "u", "\U0001f600\U0001f600"),
    ("\U0001f600+", "", "\U0001f600\ude00"),
    ("[\U0001f600-\U0001f602]", "u", "\U0001f601\U0001f603"),
    ("[^a]", "u", "\U0001f600a"),
    ("[^a]", "", "\U0001f600a"),
    ("\\S", "u", "\U0001f600"),
    ("\\ud83d", "u", "\U0001f600\ud83d"),
    ("\\ude00", "u", "\U0001f600\ude00"),
    ("\\ude00", "", "\U0001f600"),
    ("[\\ud83d]", "u", "\U0001f600"),
    ("", "gu", "\U0001f600"),
    ("", "g", "\U0001f600"),
    ("\\b", "gu", "a\U0001f600b"),
    ("\\u{1F600}{2}", "u", "\U0001f600\U0001f600"),
    ("[\\u{1F600}a]", "u", "a\U0001f600"),
    ("\\{\\}\\[\\]\\/", "u", "{}[]/"),
    # sticky
    ("a", "y", "aab"),
    ("a", "y", "ba"),
    ("a|b", "gy", "abcab"),
    # ^ after a search restarts (lastIndex > 0)
    ("^a", "g", "aaa"),
    ("(?<=a)b", "g", "abab"),
]


@pytest.mark.parametrize(("source", "flags", "subject"), ORACLE_CASES)
def test_matches_agree_with_quickjs(js: Any, source: str, flags: str, subject: str) -> None:
    source, subject = units(source), units(subject)
    expected = js_call(js, "__execAll", source, flags, subject)
    assert "error" not in expected, expected
    assert py_exec_all(source, flags, subject) == expected["matches"]


# QuickJS 1.19.4 deviates from the spec (and V8) on these, so the expected
# results are written by hand: (pattern, flags, subject, [[index, *match], ...]).
_EMPTY_ITERATION_GAP = pytest.mark.xfail(
    strict=True,
    reason="known gap: JS rejects an optional iteration that matches the empty string "
    "(discarding its captures); Python keeps it",
)

HAND_CHECKED_CASES: list[Any] = [
    # QuickJS: a non-u /i class with a non-ASCII range does not even match its
    # own members.  Canonicalize upper-cases, so U+00FF also matches U+0178.
    ("[\u00e0-\u00ff]", "i", "\u00c0\u00c9x\u0178", [[0, "\u00c0"], [1, "\u00c9"], [3, "\u0178"]]),
    ("[\u0430-\u044f]", "i", "\u0416", [[0, "\u0416"]]),
    ("[\u00e9]", "i", "\u00c9", [[0, "\u00c9"]]),
    # QuickJS: astral class ranges ignore i; simple case folding maps U+10428 to U+10400.
    ("[\\u{10400}-\\u{10410}]", "iu", "\U00010428\U00010400", [[0, "\U00010428"], [2, "\U00010400"]]),
    # ES2015+ allows \- in a u-mode class; QuickJS rejects it.
    ("[\\-]", "u", "a-", [[1, "-"]]),
    # test262 built-ins/RegExp/lookahead-quantifier-match-groups.js: an optional
    # zero-width iteration is rejected, so its captures are undefined.
    ("(?:(?=(abc)))a", "", "abc", [[0, "a", "abc"]]),
    pytest.param("(?:(?=(abc)))?a", "", "abc", [[0, "a", None]], marks=_EMPTY_ITERATION_GAP),
    ("(?:(?=(abc))){1,1}a", "", "abc", [[0, "a", "abc"]]),
    pytest.param("(?:(?=(abc))){0,1}a", "", "abc", [[0, "a", None]], marks=_EMPTY_ITERATION_GAP),
    ("(?=(a))?a", "", "a", [[0, "a", None]]),
    ("(?=(a))+a", "", "a", [[0, "a", "a"]]),
]


@pytest.mark.parametrize(("source", "flags", "subject", "expected"), HAND_CHECKED_CASES)
def test_matches_where_quickjs_deviates(source: str, flags: str, subject: str, expected: list[list[Any]]) -> None:
    source, subject = units(source), units(subject)
    rows = [row[:-1] for row in py_exec_all(source, flags, subject)]
    assert rows == deep_units(expected)


def _random_pattern(rnd: random.Random, depth: int = 0) -> str:
    """A random pattern mixing most features.

    Quantifiers only follow atoms that cannot match the empty string: QuickJS
    1.19 can loop forever on quantified nullable groups, and JS and Python
    intentionally differ there (see the module's known gaps).
    """
    atoms = ["a", "b", "A", ".", "[ab]", "[^a]", "\\d", "\\w", "\\s", "\\W", "1", " ", "\\n",
             "\u00e9", "\U0001f600", "[a-c]", "[^]", "\\u{1F600}", "\\ud83d", "\\-", "]", "{", "\\0",
             "[\U0001f600b]", "[^\U0001f600]", "\\r", "S", "\\x41", "\\cA", "[\\d-]"]
    parts: list[str] = []
    for _ in range(rnd.randint(1, 3)):
        roll = rnd.random()
        if roll < 0.55 or depth > 2:
            atom = rnd.choice(atoms)
            if rnd.random() < 0.35:
                atom += rnd.choice(["*", "+", "?", "{1,2}", "{2}", "*?", "+?", "??", "{0}", "{2,}"])
        elif roll < 0.65:
            atom = rnd.choice(["^", "$", "\\b", "\\B"])
        elif roll < 0.77:
            atom = "(" + _random_pattern(rnd, depth + 1) + ")"
        elif roll < 0.84:
            atom = "(?:" + _random_pattern(rnd, depth + 1) + ")"
        elif roll < 0.9:
            atom = rnd.choice(["(?=", "(?!"]) + _random_pattern(rnd, depth + 1) + ")"
        elif roll < 0.95:
            atom = rnd.choice(["(?<=", "(?<!"]) + rnd.choice(atoms[:12]) + ")"
        else:
            atom = "\\" + str(rnd.randint(1, 3))
        parts.append(atom)
    pattern = "".join(parts)
    if rnd.random() < 0.2:
        pattern += "|" + _random_pattern(rnd, depth + 1)
    return pattern


def test_random_patterns_agree_with_quickjs(js: Any) -> None:
    rnd = random.Random(20240601)
    pieces = ["a", "b", "A", "1", " ", "\n", "\r", "\u00e9", "\U0001f600", "\ud83d", "-", "_", "]", "{", "\x00", "S"]
    compared = 0
    for _ in range(400):
        source = units(_random_pattern(rnd))
        flags = "".join(flag for flag in "imsu" if rnd.random() < 0.3)
        subject = units("".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8))))
        expected = js_call(js, "__execAll", source, flags, subject)
        try:
            actual = py_exec_all(source, flags, subject)
        except RegExpSyntaxError as exc:
            assert "error" in expected or "variable-width lookbehind" in str(exc), (source, flags, str(exc))
            continue
        assert "error" not in expected, (source, flags, expected)
        assert actual == expected["matches"], (source, flags, subject)
        compared += 1
    assert compared > 300


INVALID_PATTERNS: list[tuple[str, str]] = [
    ("(", ""),
    ("(a", ""),
    ("(?:a", ""),
    (")", ""),
    ("a)", ""),
    ("*", ""),
    ("+a", ""),
    ("?", ""),
    ("a**", ""),
    ("a++", ""),
    ("a*+", ""),
    ("a???", ""),
    ("a{2}{3}", ""),
    ("{1}", ""),
    ("a|*", ""),
    ("^*", ""),
    ("$+", ""),
    ("\\b*", ""),
    ("a{2,1}", ""),
    ("[b-a]", ""),
    ("[a", ""),
    ("[\\]", ""),
    ("\\", ""),
    ("(?<n>a)(?<n>b)", ""),
    ("(?<1a>x)", ""),
    ("(?<>x)", ""),
    ("(?<a", ""),
    ("(?<a-b>x)", ""),
    ("(?<a>x)\\k<b>", ""),
    ("(?<a>x)\\k", ""),
    ("(?<a>x)\\k<a", ""),
    ("(?P<x>a)", ""),
    ("(?P=x)", ""),
    ("(?#comment)", ""),
    ("(?i)a", ""),
    # ES2025 modifiers are (?ims-ims:...) only: no other letter, no Python-style (?i).
    ("(?x:a)", ""),
    ("(?>a)", ""),
    ("(?<=a)*", ""),
    ("(?<!a)+", ""),
    # u-mode is strict: no Annex B extensions
    ("{", "u"),
    ("}", "u"),
    ("]", "u"),
    ("a{", "u"),
    ("a{1", "u"),
    ("\\c1", "u"),
    ("\\c", "u"),
    ("\\1", "u"),
    ("\\01", "u"),
    ("\\a", "u"),
    ("\\-", "u"),
    ("\\k", "u"),
    ("\\x4", "u"),
    ("\\u12", "u"),
    ("\\u{110000}", "u"),
    ("\\u{}", "u"),
    ("[\\d-z]", "u"),
    ("[a-\\d]", "u"),
    ("[\\1]", "u"),
    ("(?=a)*", "u"),
    ("(?!a){2}", "u"),
    ("[\U0001f602-\U0001f600]", "u"),
    ("[\U0001f600-\U0001f602]", ""),
    ("\\p", "u"),
    ("\\p{}", "u"),
    ("\\p{L", "u"),
    ("\\p{l}", "u"),
    ("\\p{Foo}", "u"),
    ("\\p{gc=Foo}", "u"),
    ("\\p{gc=}", "u"),
    ("\\p{=L}", "u"),
    ("\\p{L=L}", "u"),
    ("[\\p{L}-z]", "u"),
]


@pytest.mark.parametrize(("source", "flags"), INVALID_PATTERNS)
def test_invalid_patterns_rejected_like_quickjs(js: Any, source: str, flags: str) -> None:
    source = units(source)
    assert "error" in js_call(js, "__execAll", source, flags, "")
    with pytest.raises(RegExpSyntaxError) as info:
        compile_js_regexp(source, flags)
    assert info.value.args[0].startswith(f"Invalid regular expression: /{source}/{flags}: ")


@pytest.mark.parametrize(
    ("source", "flags", "reason"),
    [
        ("(", "", "Unterminated group"),
        ("a**", "", "Nothing to repeat"),
        ("[b-a]", "", "Range out of order in character class"),
        ("(?<n>a)(?<n>b)", "", "Duplicate capture group name"),
        ("a)", "", "Unmatched ')'"),
        ("[a", "", "Unterminated character class"),
        ("a{2,1}", "", "numbers out of order in {} quantifier"),
        ("\\", "", "\\ at end of pattern"),
        ("(?P<x>a)", "", "Invalid group"),
        ("{", "u", "Lone quantifier brackets"),
        ("(?<a>x)\\k<b>", "", "Invalid named capture referenced"),
    ],
)
def test_error_messages(source: str, flags: str, reason: str) -> None:
    with pytest.raises(RegExpSyntaxError) as info:
        compile_js_regexp(source, flags)
    assert str(info.value) == f"Invalid regular expression: /{source}/{flags}: {reason}"


def test_error_message_example_from_js() -> None:
    with pytest.raises(RegExpSyntaxError, match=re.escape("Invalid regular expression: /(/: Unterminated group")):
        compile_js_regexp("(", "")


def test_error_is_value_error() -> None:
    assert issubclass(RegExpSyntaxError, ValueError)


@pytest.mark.parametrize("flags", ["gg", "x", "uv", "dd", "vv", "G", "gimsuyg", "ii", " "])
def test_invalid_flags(js: Any, flags: str) -> None:
    assert "error" in js_call(js, "__execAll", "a", flags, "a")
    with pytest.raises(RegExpSyntaxError) as info:
        compile_js_regexp("a", flags)
    assert str(info.value) == f"Invalid flags supplied to RegExp constructor '{flags}'"


@pytest.mark.parametrize("flags", ["", "g", "i", "m", "s", "u", "y", "d", "v", "gimsuy", "yusmig", "dgimsvy"])
def test_valid_flags(flags: str) -> None:
    assert compile_js_regexp("a", flags).search("a") is not None


REPLACE_CASES: list[tuple[str, str, str, str]] = [
    ("b", "", "abc", "[$$]"),
    ("b", "", "abc", "[$&]"),
    ("b", "", "abc", "[$`]"),
    ("b", "", "abc", "[$']"),
    ("(b)", "", "abc", "[$1]"),
    ("(b)", "", "abc", "[$10]"),
    ("(b)", "", "abc", "[$01]"),
    ("(b)", "", "abc", "[$0][$00]"),
    ("(b)", "", "abc", "[$2]"),
    ("(b)(c)?", "", "abd", "[$2]"),
    ("(b)", "", "abc", "[$<x>]"),
    ("(?<x>b)", "", "abc", "[$<x>][$<y>][$<x]"),
    ("(?<x>b)|(?<y>z)", "", "abc", "[$<y>]"),
    ("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "", "abcdefghijkl", "$11-$10-$1-$12"),
    ("(b)", "", "abc", "$"),
    ("(b)", "", "abc", "$x$"),
    ("o", "g", "foo boo", "[$`|$'|$&]"),
    ("", "g", "ab", "-"),
    ("", "gu", "\U0001f600", "-"),
    ("(?<d>\\d)", "g", "a1b2", "<$<d>$1>"),
]


@pytest.mark.parametrize(("source", "flags", "subject", "template"), REPLACE_CASES)
def test_replace_agrees_with_quickjs(js: Any, source: str, flags: str, subject: str, template: str) -> None:
    source, subject = units(source), units(subject)
    expected = js_call(js, "__replace", source, flags, subject, template)
    assert py_replace(source, flags, subject, template) == expected


def test_expand_replacement_rules() -> None:
    subject = "xabcx"
    assert expand_replacement("$$", "abc", 1, subject, ["b"], None) == "$"
    assert expand_replacement("<$&>", "abc", 1, subject, ["b"], None) == "<abc>"
    assert expand_replacement("$`", "abc", 1, subject, ["b"], None) == "x"
    assert expand_replacement("$'", "abc", 1, subject, ["b"], None) == "x"
    assert expand_replacement("$1", "abc", 1, subject, ["b"], None) == "b"
    assert expand_replacement("$10", "abc", 1, subject, ["b"], None) == "b0"
    assert expand_replacement("$0", "abc", 1, subject, ["b"], None) == "$0"
    assert expand_replacement("$2", "abc", 1, subject, ["b"], None) == "$2"
    assert expand_replacement("$1", "abc", 1, subject, [None], None) == ""
    assert expand_replacement("$<n>", "abc", 1, subject, ["b"], None) == "$<n>"
    assert expand_replacement("$<n>", "abc", 1, subject, ["b"], {"n": "b"}) == "b"
    assert expand_replacement("$<m>", "abc", 1, subject, ["b"], {"n": "b"}) == ""
    assert expand_replacement("$<n", "abc", 1, subject, ["b"], {"n": "b"}) == "$<n"
    assert expand_replacement("a$", "abc", 1, subject, [], None) == "a$"
    assert expand_replacement("$z", "abc", 1, subject, [], None) == "$z"
    assert expand_replacement("no dollars", "abc", 1, subject, [], None) == "no dollars"
    groups = [str(i) for i in range(1, 13)]
    # $012 is $01 followed by "2"
    assert expand_replacement("$12|$13|$012", "m", 0, "m", groups, None) == "12|13|12"


# -- direct checks of specific semantics ------------------------------------------


def test_dot_excludes_js_line_terminators_only() -> None:
    dot = compile_js_regexp(".", "")
    assert [dot.fullmatch(c) is not None for c in "a\n\r\u2028\u2029\x85"] == [True, False, False, False, False, True]
    assert all(compile_js_regexp(".", "s").fullmatch(c) for c in "\n\r\u2028\u2029")


def test_dollar_is_end_of_input_only() -> None:
    assert compile_js_regexp("a$", "").search("a\n") is None
    assert compile_js_regexp("a$", "m").search("a\n") is not None
    assert compile_js_regexp("a$", "m").search("a\u2028") is not None


def test_word_boundary_ignores_non_ascii_letters() -> None:
    assert compile_js_regexp("\\b", "").search("\u00e9") is None
    assert compile_js_regexp("\\w", "").search("\u00e9") is None
    assert compile_js_regexp("\\d", "").search("\u0663") is None
    assert compile_js_regexp("\\s", "").search("\u00a0") is not None
    assert compile_js_regexp("\\s", "").search("\u200b") is None
    assert compile_js_regexp("\\s", "").search("\x1c") is None  # Python's \s matches it


def test_iu_word_characters_follow_es2020() -> None:
    # ES2020+: U+017F and U+212A fold into \w under iu, so they are word characters.
    assert compile_js_regexp("\\w", "iu").fullmatch("\u017f")
    assert compile_js_regexp("\\W", "iu").search("s\u017f") is None
    assert compile_js_regexp("\\b", "iu").search("\u017f") is not None
    assert compile_js_regexp("\\w", "i").search("\u017f\u212a") is None


def test_non_participating_backreference_matches_empty() -> None:
    found = compile_js_regexp("(a)|\\1b", "").search("b")
    assert found is not None and found.group(0) == "b" and found.group(1) is None


def test_no_extra_capturing_groups() -> None:
    cases = [
        ("(a)(?:b)(?<x>c)\\1\\k<x>", "i", 2),
        ("\\b(?<=a|b)(?=c)[^]\\B.$", "mu", 0),
        ("\U0001f600+(.)", "u", 1),
        ("(?=(a))*", "", 1),
    ]
    for source, flags, count in cases:
        pattern = compile_js_regexp(units(source), flags)
        assert pattern.groups == count
        assert len(group_names(units(source), flags)) == count


def test_group_names_and_groupindex() -> None:
    assert group_names("(a)(?<year>b)(c)", "") == (None, "year", None)
    assert compile_js_regexp("(a)(?<year>b)(c)", "").groupindex == {"year": 2}
    # "$" is valid in a JS group name but not in a Python one.
    names = group_names("(?<$x>a)(?<y$>b)", "")
    assert names == ("$x", "y$")
    found = compile_js_regexp("(?<$x>a)(?<y$>b)\\k<$x>", "").search("aba")
    assert found is not None and found.group(1) == "a"
    # a JS name spelled with an escape
    assert group_names("(?<\\u0061b>x)", "") == ("ab",)
    assert group_names("(?<\\u{1d465}>x)", "") == (units("\U0001d465"),)


def test_many_groups_numeric_backreference() -> None:
    source = "(a)" * 120 + "\\110\\120"
    pattern = compile_js_regexp(source, "")
    assert pattern.groups == 120
    assert pattern.fullmatch("a" * 122)
    assert group_names(source, "") == (None,) * 120


def test_python_only_syntax_does_not_leak() -> None:
    assert compile_js_regexp("\\A\\Z", "").fullmatch("AZ")
    assert compile_js_regexp("\\g<0>", "").fullmatch("g<0>")
    assert compile_js_regexp("a{,2}", "").fullmatch("a{,2}")
    assert compile_js_regexp("[[]", "").fullmatch("[")
    assert compile_js_regexp("[&&]", "").fullmatch("&")
    assert compile_js_regexp("\\Q", "").fullmatch("Q")


def test_u_flag_astral_handling() -> None:
    smiley = units("\U0001f600")
    assert compile_js_regexp("^.$", "u").match(smiley)
    assert compile_js_regexp("^.$", "").match(smiley) is None
    assert compile_js_regexp("^[^x]$", "u").match(smiley)
    assert compile_js_regexp("\\u{1F600}", "u").fullmatch(smiley)
    # a match never starts inside a surrogate pair with u
    assert compile_js_regexp("\\ude00", "u").search(smiley) is None
    assert compile_js_regexp("\\ude00", "").search(smiley) is not None


def test_case_insensitive_without_re_ignorecase() -> None:
    assert compile_js_regexp("[a-z]", "i").fullmatch("Q")
    assert compile_js_regexp("[a-z]", "i").fullmatch("\u212a") is None
    assert compile_js_regexp("[a-z]", "iu").fullmatch("\u212a")
    assert not compile_js_regexp("[a-z]", "i").flags & re.IGNORECASE


def test_variable_width_lookbehind_matches_as_in_js() -> None:
    # The regex engine supports lookbehinds of any width, as JS does (positions checked with Node).
    for source, flags, subject, span in [("(?<=a+)b", "", "aab", (2, 3)), ("(?<=.)b", "u", "xb", (1, 2)),
                                         ("(a)(?<=\\1)b", "", "ab", (0, 2))]:
        found = compile_js_regexp(source, flags).search(subject)
        assert found is not None and found.span() == span


def test_unicode_property_escapes() -> None:
    assert compile_js_regexp("\\p{L}", "").fullmatch("p{L}")
    assert compile_js_regexp("^\\p{L}+$", "u").match(units("a\u00e9\u6f22\U0001d465"))
    # QuickJS ignores i for property classes; the spec (and V8) case-close them.
    assert compile_js_regexp("\\p{Lu}", "iu").fullmatch("a")
    assert compile_js_regexp("\\P{Lu}", "iu").fullmatch("a")
    # Scripts and derived binary properties come from the regex engine's tables.
    assert compile_js_regexp("^\\p{Script=Latin}$", "u").match("a")
    assert not compile_js_regexp("^\\p{sc=Grek}$", "u").match("a")
    assert compile_js_regexp("^\\p{Emoji}$", "u").match(units("\U0001f600"))
    assert compile_js_regexp("^\\P{Alphabetic}$", "u").match("1")
    # JS matches values exactly, the regex engine loosely: a lower-case script is invalid.
    with pytest.raises(RegExpSyntaxError, match="Invalid property name"):
        compile_js_regexp("\\p{Script=latin}", "u")
    with pytest.raises(RegExpSyntaxError, match="is not supported"):
        compile_js_regexp("\\p{Changes_When_NFKC_Casefolded}", "u")


def test_huge_repetition_counts() -> None:
    assert compile_js_regexp("a{0,99999999999999999999}", "").fullmatch("aaa")
    assert compile_js_regexp("a{99999999999}", "").search("aaa") is None


def test_compile_is_cached() -> None:
    assert compile_js_regexp("a(b)c", "gi") is compile_js_regexp("a(b)c", "gi")


def test_translation_is_text() -> None:
    assert translate_js_regexp("a$", "") == "a\\Z"
    assert translate_js_regexp("(?<n>a)\\k<n>", "") == "(?P<n>a)(?(1)\\1|)"


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(RegExpSyntaxError):
        compile_js_regexp("(" * 5000 + ")" * 5000, "")
