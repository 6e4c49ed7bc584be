"""RegExp features of ES2018-ES2025: flags ``d`` and ``v``, lookbehind of any width, Unicode
property escapes with scripts, duplicate named groups and ``RegExp.escape``.

Node 20 is the oracle for what it implements (run live beside seqflow); it lacks duplicate
named groups (ES2025) and ``RegExp.escape`` (ES2025), whose expectations are written from
the spec text (ECMA-262 22.2.5.1 and the early errors of 22.2.1.1).
"""

from __future__ import annotations

import pytest

from jsrun import Throws, check_cases, js_error
from node_oracle import DEEP_RENDER, assert_like_node, needs_node

ORACLE: dict[str, list[str]] = {
    "indices": [
        "/a(?<Z>z)?(b)/d.exec('xxab')",
        "/a(?<Z>z)?(b)/d.exec('xxab').indices",
        "/a(?<Z>z)?(b)/d.exec('xxab').indices.groups",
        "/(a)|(b)/d.exec('b').indices",
        "Object.keys(/x/d.exec('x'))",
        "/x/d.exec('x').indices.groups",
        "'\\ud83d\\ude00x'.match(/(?<e>.)x/du).indices",
        "[...'a1b2'.matchAll(/\\d/dg)].map(function (m) { return m.indices[0]; })",
        "/x/.exec('x').indices",
    ],
    "flags": [
        "/x/dgimsvy.flags",
        "new RegExp('a', 'yvsmigd').flags",
        "[/x/d.hasIndices, /x/.hasIndices, /x/v.unicodeSets, /x/v.unicode, /x/u.unicodeSets]",
        "String(/a/dv)",
        "new RegExp('a', 'uv')",
        "new RegExp('a', 'dd')",
        "Object.getOwnPropertyDescriptor(RegExp.prototype, 'hasIndices').get.call(RegExp.prototype)",
        "Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get.call({hasIndices: 1, unicodeSets: 1, global: 0})",
    ],
    "unicode sets": [
        "[/[\\p{L}--[a-z]]/v.test('a'), /[\\p{L}--[a-z]]/v.test('A')]",
        "[/[[a-z]&&[aeiou]]/v.test('e'), /[[a-z]&&[aeiou]]/v.test('b')]",
        "['abc', 'd', 'ab', 'x'].map(function (s) { return /^[\\q{abc|d}x]$/v.test(s); })",
        "'xabcx'.match(/[\\q{abc|a}]/v)[0]",
        "/^[\\q{ab|}]$/v.test('')",
        "[/[^[a-z]]/v.test('q'), /[\\w--\\d]/v.test('5'), /[[a-z]--[b]]/vi.test('B'), /[\\q{KK}]/vi.test('kk')]",
        "'\\ud83d\\ude00\\ud83d\\ude01'.match(/./gv)",
        "/[\\ud83d\\ude00-\\ud83d\\ude02]/v.test('\\ud83d\\ude01')",
        "[/[\\-]/v.test('-'), /[\\&]/v.test('&'), /[[^a]&&[a-c]]/v.test('a')]",
        "[/[\\p{Script=Cyrillic}--[а-я]]/v.test('б'), /[\\p{ASCII}&&\\p{L}]/v.test('é')]",
    ],
    "unicode sets syntax errors": [
        "new RegExp('[a-]', 'v')",
        "new RegExp('[a&&&b]', 'v')",
        "new RegExp('[a--b&&c]', 'v')",
        "new RegExp('[(]', 'v')",
        "new RegExp('[^\\\\q{ab}]', 'v')",
        "new RegExp('[a-z&&b]', 'v')",
        "new RegExp('[&&a]', 'v')",
        "new RegExp('[a!!b]', 'v')",
        "new RegExp('[a', 'v')",
    ],
    "properties of strings": [
        "/^\\p{Emoji_Keycap_Sequence}+$/v.test('1\\ufe0f\\u20e3#\\ufe0f\\u20e3')",
        "['1', '1\\ufe0f', '1\\u20e3'].map(function (s) { return /^\\p{Emoji_Keycap_Sequence}$/v.test(s); })",
        "[/^[\\d--\\p{Emoji_Keycap_Sequence}]+$/v.test('12'), /^[\\p{Emoji_Keycap_Sequence}--\\q{0\\ufe0f\\u20e3}]$/v.test('0\\ufe0f\\u20e3')]",
        "/^[\\p{Emoji_Keycap_Sequence}&&\\q{0\\ufe0f\\u20e3|x}]$/v.test('0\\ufe0f\\u20e3')",
        "'x1\\ufe0f\\u20e3y*\\ufe0f\\u20e3'.match(/[\\p{Emoji_Keycap_Sequence}\\w]/gv)",
        "/^\\p{RGI_Emoji_Tag_Sequence}$/v.test('\\u{1F3F4}\\u{E0067}\\u{E0062}\\u{E0065}\\u{E006E}\\u{E0067}\\u{E007F}')",
        "new RegExp('\\\\P{Emoji_Keycap_Sequence}', 'v')",
        "new RegExp('[^\\\\p{Emoji_Keycap_Sequence}]', 'v')",
        "new RegExp('\\\\p{Emoji_Keycap_Sequence}', 'u')",
    ],
    "astral names": [
        "var m = 'fox dog'.match(/(?<𝑓𝑜𝑥>fox) (?<狗>dog)/u); return [m.groups.𝑓𝑜𝑥, m.groups.狗, Object.keys(m.groups)]",
        "'fox'.match(/(?<\\u{1d453}>fox)/).groups.𝑓",
        "'fox'.replace(/(?<𝑓>o)/u, '[$<𝑓>]')",
        "var o = {𝑓: 1, 𝑔() { return 2; }}; var {𝑓: a} = o; o.𝒽 = 3; return [Object.keys(o), a, o.𝑔(), o['\\u{1d453}'], '\\u{1d4bd}' in o]",
    ],
    "emoji properties of strings": [
        "'a\\ud83d\\udc4d\\ud83c\\udffdb\\ud83d\\ude00'.match(/\\p{RGI_Emoji}/gv)",
        "'\\ud83d\\udc68\\u200d\\ud83d\\udc69\\u200d\\ud83d\\udc67!'.match(/\\p{RGI_Emoji_ZWJ_Sequence}/v)[0].length",
        "['\\ud83c\\uddeb\\ud83c\\uddf7', '\\ud83c\\uddfd\\ud83c\\uddfd', '\\ud83c\\uddeb'].map(function (s) { return /^\\p{RGI_Emoji_Flag_Sequence}$/v.test(s); })",
        "['\\ud83d\\udc4d\\ud83c\\udffd', '\\ud83d\\udc4d', '\\u263a\\ufe0f', '\\u263a'].map(function (s) { return [/^\\p{RGI_Emoji_Modifier_Sequence}$/v.test(s), /^\\p{Basic_Emoji}$/v.test(s)]; })",
        "[/^[\\p{RGI_Emoji}--\\p{Basic_Emoji}]$/v.test('\\ud83d\\ude00'), /^[\\p{RGI_Emoji}&&\\p{Emoji_Keycap_Sequence}]$/v.test('#\\ufe0f\\u20e3')]",
        "/^\\p{RGI_Emoji}+$/v.test('\\ud83d\\ude00\\ud83c\\udff4\\udb40\\udc67\\udb40\\udc62\\udb40\\udc73\\udb40\\udc63\\udb40\\udc74\\udb40\\udc7f1\\ufe0f\\u20e3')",
        "new RegExp('[^\\\\p{RGI_Emoji}]', 'v')",
        "new RegExp('\\\\P{Basic_Emoji}', 'v')",
    ],
    "lookbehind": [
        "'abc'.match(/(?<=a+)c/)",
        "'xaab'.match(/(?<=(\\w+))b/)",
        "'\\ud83d\\ude00x'.match(/(?<=.)x/u)",
        "'ab'.replace(/(?<=^a*)b/, 'X')",
        "/(?<=\\1(a))b/.exec('aab')",
        "/(?<=\\d{1,3}(?:,\\d{3})*)\\.5/.exec('1,234.5')",
        "'$10 €20 $300'.match(/(?<=\\$)\\d+/g)",
        "'a1 b22 c333'.match(/(?<![a-b]\\d*)\\d+/g)",
        "/(?<=\\1-(\\w+))!/.exec('ab-ab!')",
        "/(?<=(\\w)\\1)!/.exec('xx!')",
        "/(?<=(?:\\2|q)(\\d)(\\d))#/.exec('3434#')",
        "/(?<=(?<n>.)\\k<n>).$/.exec('aab')",
        "/(?<=\\k<n>(?<n>[a-z]))\\d/.exec('zz1 yy2')",
    ],
    "property escapes": [
        "[/\\p{Script=Greek}/u.test('α'), /\\p{sc=Latn}/u.test('α'), /\\p{scx=Grek}/u.test('\\u0342')]",
        "/^\\p{Script=Han}+$/u.test('漢字')",
        "[/\\p{Alphabetic}/u.test('1'), /\\p{Emoji}/u.test('\\ud83d\\ude00'), /\\p{Extended_Pictographic}/u.test('©')]",
        "[/\\P{Script=Latin}/u.test('a'), /\\p{ID_Start}/u.test('_'), /\\p{XID_Continue}/u.test('_')]",
        "'Ünïcödé mixed ΑΒΓ текст'.match(/\\p{Script=Latin}+/gu)",
        "new RegExp('\\\\p{Script=latin}', 'u')",
        "new RegExp('\\\\p{Script}', 'u')",
        "new RegExp('\\\\p{sc=Nope}', 'u')",
    ],
    "symbol protocol": [
        "var o = { [Symbol.replace]: function (s, r) { return 'R' + s + r; }, [Symbol.split]: function (s, l) { return ['S', s, l]; },"
        " [Symbol.search]: function () { return 42; }, [Symbol.match]: function (s) { return ['M' + s]; } };"
        " return ['abc'.replace(o, 'y'), 'abc'.split(o, 3), 'abc'.search(o), 'abc'.match(o)]",
        "'abc'.matchAll({ [Symbol.matchAll]: function (s) { return 'MA' + s; } })",
        "class R extends RegExp { exec(s) { var m = super.exec(s); if (m) m[0] = m[0].toUpperCase(); return m; } }"
        " return ['a1b2'.replace(new R('[a-z]', 'g'), '<$&>'), 'a-b'.split(new R('-')), 'xay'.search(new R('a'))]",
    ],
    "annex b compile": [
        "var re = /a/g; re.lastIndex = 3; var same = re.compile('b+', 'i'); return [same === re, re.source, re.flags, re.lastIndex, re.test('xBB')]",
        "var re = /a/; re.compile(/c/m); return [re.source, re.flags]",
        "var re = /a/; re.compile(/c/m, 'g')",
        "var re = /a/; re.compile(); return re.source",
        "RegExp.prototype.compile.call({}, 'a')",
        "var re = /a/; re.compile('(', '')",
        "[RegExp.prototype.compile.length, RegExp.prototype.compile.name]",
    ],
}


@needs_node
@pytest.mark.parametrize("feature", sorted(ORACLE))
def test_like_node(feature: str) -> None:
    assert_like_node(ORACLE[feature], DEEP_RENDER)


def test_duplicate_named_groups() -> None:
    # ES2025: a name may repeat in different alternatives; the participating group supplies it.
    check_cases([
        ("var re = /(?<y>\\d{4})-\\d\\d|\\d\\d-(?<y>\\d{4})/; return [re.exec('12-2024').groups.y, re.exec('2023-05').groups.y]",
         ["2024", "2023"]),
        ("/(?<y>\\d{4})-\\d\\d|\\d\\d-(?<y>\\d{4})/.exec('12-2024').length", 3),
        ("'12-2024 and 1999-01'.replace(/(?<y>\\d{4})-\\d\\d|\\d\\d-(?<y>\\d{4})/g, '<$<y>>')", "<2024> and <1999>"),
        ("'1999-01'.replace(/(?<y>\\d{4})-\\d\\d|\\d\\d-(?<y>\\d{4})/, function () { return arguments[arguments.length - 1].y; })",
         "1999"),
        ("/(?:(?<x>a)|(?<x>b))\\k<x>/.exec('bb')[0]", "bb"),
        ("/(?:(?<x>a)|(?<x>b))\\k<x>/.test('ba')", False),
        ("/(?<a>x)|(?<a>y)/d.exec('y').indices.groups.a", [0, 1]),
        ("Object.keys(/(?<a>x)|(?<b>z)|(?<a>y)/.exec('y').groups)", ["a", "b"]),
        ("new RegExp('((?<a>x)|(?<a>y))|(?<a>z)').exec('z').groups.a", "z"),
        ("[...'xy'.matchAll(/(?<c>x)|(?<c>y)/g)].map(function (m) { return m.groups.c; })", ["x", "y"]),
        ("new RegExp('(?<a>x)(?<a>y)')", Throws("SyntaxError", "Duplicate capture group name")),
        ("new RegExp('(?<a>x)|((?<a>y)(?<a>z))')", Throws("SyntaxError", "Duplicate capture group name")),
        ("new RegExp('(?:(?<a>x)|y)(?<a>z)')", Throws("SyntaxError", "Duplicate capture group name")),
    ])


def test_regexp_escape() -> None:
    # ES2025 22.2.5.1: a leading digit or letter, punctuators, white space and lone
    # surrogates become hex escapes; syntax characters and "/" get a backslash.
    check_cases([
        ("RegExp.escape('foo.bar')", "\\x66oo\\.bar"),
        ("RegExp.escape('1a')", "\\x31a"),
        ("RegExp.escape('a-b c\\n\\t/')", "\\x61\\x2db\\x20c\\n\\t\\/"),
        ("RegExp.escape('^$\\\\.*+?()[]{}|')", "\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|"),
        ("RegExp.escape(',-=<>#&!%:;@~\\'`\"')", "\\x2c\\x2d\\x3d\\x3c\\x3e\\x23\\x26\\x21\\x25\\x3a\\x3b\\x40\\x7e\\x27\\x60\\x22"),
        ("RegExp.escape('\\ud800x\\ud83d\\ude00\\u2028\\u3000\\ufeffé_')", "\\ud800x\U0001f600\\u2028\\u3000\\ufeffé_"),
        ("RegExp.escape('')", ""),
        ("RegExp.escape('_x')", "_x"),
        ("new RegExp(RegExp.escape('(a+b)*[c]')).test('x(a+b)*[c]')", True),
        ("new RegExp('^' + RegExp.escape('1.5') + '$').test('125')", False),
        ("RegExp.escape(1)", Throws("TypeError")),
        ("RegExp.escape(new String('a'))", Throws("TypeError")),
        ("[RegExp.escape.length, RegExp.escape.name, Object.keys(RegExp).length]", [1, "escape", 0]),
    ])


def test_unsupported_property_names_the_construct() -> None:
    error = js_error("new RegExp('\\\\p{Changes_When_NFKC_Casefolded}', 'u')")
    assert error.name == "SyntaxError"
    assert error.message.endswith("Unicode property \\p{Changes_When_NFKC_Casefolded} is not supported")


def test_modifiers() -> None:
    # ES2025 RegExp modifiers (22.2.2.7.3): (?ims-ims:...) changes i, m and s for its own
    # Disjunction only; expectations follow the spec text (Node 20 lacks the syntax).
    check_cases([
        ("[/(?i:a)b/.test('Ab'), /(?i:a)b/.test('AB'), /(?-i:a)b/i.test('aB'), /(?-i:a)b/i.test('AB')]",
         [True, False, True, False]),
        ("[/(?i:[a-c])/.test('B'), /(?i:\\x61)/.test('A'), /(?i:\\w)/.test('Z'), /^(?i:[^a])$/.test('A')]",
         [True, True, True, False]),
        ("[/(a)(?i:\\1)/.test('aA'), /(a)\\1/.test('aA'), /(?i:(a))\\1/.test('Aa')]", [True, False, False]),
        ("[/(?m:es$)/.test('es\\nx'), /^(?-m:es$)/m.test('es\\nx'), /(?m:^b)/.test('a\\nb')]", [True, False, True]),
        ("[/(?s:.)/.test('\\n'), /(?-s:.)/s.test('\\n'), /(?s:a).b/.test('a\\nb')]", [True, False, False]),
        ("/^a$|(?-m:^b$|(?m:^c$)|^d$)|^g$/m.exec('x\\nc\\ny')[0]", "c"),
        ("[/(?ims:^A.)/.exec('x\\nab')[0], /(?i-s:a.)/s.test('A\\n')]", ["ab", False]),
        ("[/(?i:\\b)/u.source, /a(?i:k)/u.test('a\\u212a'), /(?i:\\w)/u.test('\\u017f'), /\\w/u.test('\\u017f')]",
         ["(?i:\\b)", True, True, False]),
        ("/(?i:a)(?<n>b)/.exec('AB')", None),
        ("/(?i:a)(?<n>b)/.exec('Ab').groups.n", "b"),
        ("new RegExp('(?i-i:a)')", Throws("SyntaxError")),
        ("new RegExp('(?ii:a)')", Throws("SyntaxError")),
        ("new RegExp('(?-:a)')", Throws("SyntaxError")),
        ("new RegExp('(?m-ss:a)')", Throws("SyntaxError")),
        ("new RegExp('(?x:a)')", Throws("SyntaxError")),
        ("new RegExp('(?i)a')", Throws("SyntaxError")),
        ("new RegExp('(?I:a)')", Throws("SyntaxError")),
        ("new RegExp('(?i:a')", Throws("SyntaxError")),
    ])


def test_property_tables_are_recent_unicode() -> None:
    # The tables come from the regex engine (Unicode 16+), not the standard library's older
    # unicodedata: U+10D40 GARAY DIGIT ZERO and U+11F50 KAWI DIGIT ZERO are decimal digits.
    check_cases([
        ("['\\u{10D40}', '\\u{11F50}', '7', 'x'].map(function (c) { return /^\\p{Nd}$/u.test(c); })",
         [True, True, True, False]),
        ("/^\\p{Script=Garay}+$/u.test('\\u{10D40}\\u{10D41}')", True),
        ("[/\\p{Lowercase}/u.test('\\u{1E922}'), /\\p{Uppercase}/u.test('\\u{1E900}'), /\\p{Lower}/u.test('A')]",
         [True, True, False]),
        # \P{...} over astral code points: grouped by high surrogate, lone surrogates included.
        ("['\\u{1D7CE}', '\\u{1F600}', '\\ud800', '\\udc00', 'a', '\\u0660'].map(function (c) { return /^\\P{Nd}$/u.test(c); })",
         [False, True, True, True, True, False]),
        ("'x\\u{1D7CF}\\u{1F600}\\u{1D7D0}9'.match(/\\P{Nd}+/gu)", ["x", "\U0001f600"]),
    ])
