"""Intl (ECMA-402) over babel's CLDR data, with Node 20 (ICU) as the live oracle.

Each oracle case is a JS expression run by seqflow and by ``node``; the two
renderings must match. Where babel's CLDR differs from Node's ICU in a known
way, the case is in ``KNOWN_DIFFERENCES`` instead, with our value asserted
explicitly and the reason beside it. The log records the locale data version
(``localeData``) and a task holding an ``Intl.NumberFormat`` resumes across a
fetch pause in another process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jsrun import js_error, run_js
from node_oracle import NODE, assert_like_node, needs_node, node_renders, seqflow_renders
from seqflow_runtime import FileStorage, MemoryStorage, ReplayDivergenceError, create_flow
from seqflow_runtime.replay import Execution, Log, source_hash
from seqflow_transpile import transpile

pytest.importorskip("babel")

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "ja-JP", "zh-CN", "pt-BR", "ru-RU", "hi-IN",
           "ar-EG"]
MARCH_5 = "new Date(Date.UTC(2024, 2, 5, 13, 4, 5, 678))"


#: Intl's results are strings (shown as they are) or JSON data.
INTL_RENDER = "function __render(v) { return typeof v === 'string' ? v : JSON.stringify(v); }\n"
#: Node formats in UTC with an English default locale, as seqflow does.
NODE_ENV = {"TZ": "UTC", "LANG": "en_US.UTF-8", "PATH": "/usr/bin:/bin"}


def ours(cases: list[str]) -> list[str]:
    return seqflow_renders(cases, INTL_RENDER)


def per_locale(template: str, locales: list[str] = LOCALES) -> list[str]:
    return [template.replace("$L", json.dumps(loc)) for loc in locales]


NUMBER_CASES = [
    *per_locale("new Intl.NumberFormat($L).format(-1234567.891)"),
    *per_locale("new Intl.NumberFormat($L, {style: 'currency', currency: 'USD'}).format(1234567.5)"),
    *per_locale("new Intl.NumberFormat($L, {style: 'percent', maximumFractionDigits: 1}).format(0.4567)"),
    *per_locale("new Intl.NumberFormat($L, {notation: 'compact'}).format(1234567)"),
    *per_locale("new Intl.NumberFormat($L, {style: 'unit', unit: 'kilometer-per-hour'}).format(50)"),
    *per_locale("(98765.4321).toLocaleString($L)", ["en-US", "de-DE", "fr-FR", "ja-JP", "hi-IN", "ar-EG"]),
    "new Intl.NumberFormat('en-US', {minimumFractionDigits: 2}).format(3)",
    "new Intl.NumberFormat('en-US', {maximumFractionDigits: 0}).format(2.5)",
    "new Intl.NumberFormat('en-US', {maximumFractionDigits: 2}).format(1.005)",
    "new Intl.NumberFormat('en-US', {maximumSignificantDigits: 3}).format(123456)",
    "new Intl.NumberFormat('en-US', {minimumSignificantDigits: 5}).format(1.5)",
    "new Intl.NumberFormat('en-US', {minimumIntegerDigits: 3}).format(7)",
    "new Intl.NumberFormat('en-US', {useGrouping: false}).format(1234567.5)",
    "new Intl.NumberFormat('en-US', {useGrouping: 'min2'}).format(1234)",
    "new Intl.NumberFormat('en-US', {useGrouping: 'min2'}).format(12345)",
    "new Intl.NumberFormat('en-US', {roundingMode: 'floor', maximumFractionDigits: 0}).format(-2.5)",
    "new Intl.NumberFormat('en-US', {roundingMode: 'halfEven', maximumFractionDigits: 0}).format(2.5)",
    "new Intl.NumberFormat('en-US', {roundingMode: 'trunc', maximumFractionDigits: 1}).format(-1.99)",
    "new Intl.NumberFormat('en-US', {roundingIncrement: 5, maximumFractionDigits: 2, minimumFractionDigits: 2})"
    ".format(1.23)",
    "new Intl.NumberFormat('en-US', {maximumFractionDigits: 1, maximumSignificantDigits: 2,"
    " roundingPriority: 'lessPrecision'}).format(1.2345)",
    "new Intl.NumberFormat('en-US', {minimumFractionDigits: 2, trailingZeroDisplay: 'stripIfInteger'}).format(5)",
    "new Intl.NumberFormat('en-US', {notation: 'scientific'}).format(123456)",
    "new Intl.NumberFormat('en-US', {notation: 'scientific'}).format(0.000123)",
    "new Intl.NumberFormat('en-US', {notation: 'engineering'}).format(123456)",
    "new Intl.NumberFormat('de-DE', {notation: 'scientific', maximumFractionDigits: 2}).format(-98765)",
    "new Intl.NumberFormat('en-US', {notation: 'compact', compactDisplay: 'long'}).format(2500000)",
    "new Intl.NumberFormat('en-US', {notation: 'compact'}).format(999999)",
    "new Intl.NumberFormat('en-US', {notation: 'compact'}).format(999)",
    "new Intl.NumberFormat('en-US', {notation: 'compact'}).format(12.345)",
    "new Intl.NumberFormat('de-DE', {notation: 'compact', compactDisplay: 'long'}).format(1000000)",
    "new Intl.NumberFormat('ja-JP', {notation: 'compact'}).format(123456789)",
    "new Intl.NumberFormat('en-US', {signDisplay: 'always'}).format(5)",
    "new Intl.NumberFormat('en-US', {signDisplay: 'always'}).format(-0)",
    "new Intl.NumberFormat('en-US', {signDisplay: 'exceptZero'}).format(0)",
    "new Intl.NumberFormat('en-US', {signDisplay: 'exceptZero'}).format(-0.0001)",
    "new Intl.NumberFormat('en-US', {signDisplay: 'never'}).format(-5)",
    "new Intl.NumberFormat('en-US', {signDisplay: 'negative'}).format(-0)",
    "new Intl.NumberFormat('en-US').format(-0)",
    "new Intl.NumberFormat('en-US').format(NaN)",
    "new Intl.NumberFormat('de-DE').format(-Infinity)",
    "new Intl.NumberFormat('en-US').format(12345678901234567890n)",
    "new Intl.NumberFormat('en-US', {maximumFractionDigits: 20}).format('1234567890.12345678901234567')",
    "new Intl.NumberFormat('en-US').format(1e21)",
    "new Intl.NumberFormat('en-US', {style: 'currency', currency: 'JPY'}).format(1234.5)",
    "new Intl.NumberFormat('en-US', {style: 'currency', currency: 'BHD'}).format(1)",
    "new Intl.NumberFormat('fr-FR', {style: 'currency', currency: 'USD', currencyDisplay: 'code'}).format(1)",
    "new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'EUR', currencySign: 'accounting'}).format(-5)",
    "new Intl.NumberFormat('en', {notation: 'compact'}).resolvedOptions()",
    "new Intl.NumberFormat('en', {roundingPriority: 'morePrecision'}).resolvedOptions()",
    "new Intl.NumberFormat('und').resolvedOptions().locale",
    "new Intl.NumberFormat('en-US', {style: 'currency', currency: 'EUR', currencyDisplay: 'code'}).format(-1.5)",
    "new Intl.NumberFormat('en-US', {style: 'currency', currency: 'EUR', currencyDisplay: 'name'}).format(1)",
    "new Intl.NumberFormat('en-US', {style: 'currency', currency: 'EUR', currencyDisplay: 'name'}).format(2)",
    "new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'EUR', currencyDisplay: 'name'}).format(2)",
    "new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD', currencySign: 'accounting'}).format(-3)",
    "new Intl.NumberFormat('en-US', {style: 'currency', currency: 'usd', signDisplay: 'always'}).format(3)",
    "new Intl.NumberFormat('en-US', {style: 'unit', unit: 'liter', unitDisplay: 'long'}).format(1)",
    "new Intl.NumberFormat('en-US', {style: 'unit', unit: 'liter', unitDisplay: 'long'}).format(2.5)",
    "new Intl.NumberFormat('en-US', {style: 'unit', unit: 'megabyte', unitDisplay: 'narrow'}).format(512)",
    "new Intl.NumberFormat('de-DE', {style: 'unit', unit: 'hour', unitDisplay: 'long'}).format(3)",
    "new Intl.NumberFormat('en-US', {style: 'unit', unit: 'percent'}).format(50)",
    "new Intl.NumberFormat('en-US', {style: 'unit', unit: 'celsius'}).format(21.5)",
    "new Intl.NumberFormat('en-US').formatToParts(-1234.5)",
    "new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'EUR'}).formatToParts(1234.5)",
    "new Intl.NumberFormat('en-US', {notation: 'compact'}).formatToParts(1500)",
    "new Intl.NumberFormat('en-US', {notation: 'scientific'}).formatToParts(0.05)",
    "new Intl.NumberFormat('en-US', {style: 'unit', unit: 'meter'}).formatToParts(3)",
    "new Intl.NumberFormat('en-US', {style: 'percent', signDisplay: 'always'}).formatToParts(0.5)",
    "new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'EUR'}).resolvedOptions()",
    "new Intl.NumberFormat('en', {style: 'unit', unit: 'meter'}).resolvedOptions()",
    "new Intl.NumberFormat('en', {maximumSignificantDigits: 3}).resolvedOptions()",
    "new Intl.NumberFormat('ar-EG').resolvedOptions().numberingSystem",
    "new Intl.NumberFormat('ar-EG-u-nu-latn').format(1234.5)",
    "new Intl.NumberFormat('ar-EG-u-nu-latn').resolvedOptions().locale",
    "new Intl.NumberFormat('en', {numberingSystem: 'arab'}).format(42)",
    "new Intl.NumberFormat('de-XX').resolvedOptions().locale",
    "new Intl.NumberFormat('xx').resolvedOptions().locale",
    "Intl.NumberFormat('en').format(1)",
    "new Intl.NumberFormat().format(1234.5)",
    "Object.prototype.toString.call(new Intl.NumberFormat())",
    "typeof new Intl.NumberFormat().format",
    "[1, 2.5, 1000].map(new Intl.NumberFormat('de').format).join(' ')",
    "(1234.5).toLocaleString('de-DE', {style: 'currency', currency: 'EUR'})",
    "(1234567n).toLocaleString()",
    "(1234567n).toLocaleString('de-DE')",
    "[1234.5, new Date(0), 'x', null, 7n].toLocaleString('de-DE', {timeZone: 'UTC'})",
    "(0.1 + 0.2).toLocaleString()",
    "(-1e21).toLocaleString()",
]

DATE_CASES = [
    *per_locale(f"new Intl.DateTimeFormat($L, {{timeZone: 'UTC'}}).format({MARCH_5})"),
    *per_locale(f"{MARCH_5}.toLocaleTimeString($L, {{timeZone: 'UTC'}})"),
    *per_locale(f"new Intl.DateTimeFormat($L, {{dateStyle: 'long', timeZone: 'Asia/Tokyo'}}).format({MARCH_5})"),
    *per_locale(f"new Intl.DateTimeFormat($L, {{year: 'numeric', month: 'long', day: 'numeric', weekday: 'long',"
                f" timeZone: 'UTC'}}).format({MARCH_5})", [x for x in LOCALES if x != "hi-IN"]),
    *per_locale(f"new Intl.DateTimeFormat($L, {{month: 'short', day: 'numeric', timeZone: 'UTC'}}).format({MARCH_5})"),
    f"new Intl.DateTimeFormat('en-US', {{dateStyle: 'medium', timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{dateStyle: 'short', timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{timeStyle: 'short', timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{timeStyle: 'full', timeZone: 'America/New_York'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-GB', {{timeStyle: 'long', timeZone: 'Europe/London'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{hour: 'numeric', minute: '2-digit', timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC'}})"
    f".format({MARCH_5})",
    f"new Intl.DateTimeFormat('de-DE', {{hour: 'numeric', hour12: true, timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{hourCycle: 'h23', hour: 'numeric', minute: 'numeric', timeZone: 'UTC'}})"
    f".format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{year: '2-digit', month: '2-digit', day: '2-digit', timeZone: 'UTC'}})"
    f".format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{month: 'long', timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{weekday: 'short', timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{year: 'numeric', month: 'short', timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3,"
    f" timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{hour: 'numeric', timeZoneName: 'short', timeZone: 'America/New_York'}})"
    f".format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{timeZoneName: 'shortOffset', timeZone: 'Asia/Kolkata'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{timeZoneName: 'longOffset', timeZone: 'Asia/Kolkata'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{timeZoneName: 'long', timeZone: 'Europe/Paris'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{era: 'short', timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{timeZone: 'Pacific/Auckland', hour: 'numeric', day: 'numeric'}})"
    f".format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{timeZone: 'UTC'}}).formatToParts({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC'}})"
    f".formatToParts({MARCH_5}).map(p => p.type).join()",
    "new Intl.DateTimeFormat('en-US').resolvedOptions()",
    "new Intl.DateTimeFormat('en-US', {dateStyle: 'short', timeStyle: 'short', timeZone: 'asia/tokyo'})"
    ".resolvedOptions()",
    "new Intl.DateTimeFormat('en-US', {hour: 'numeric', minute: 'numeric', weekday: 'long', timeZoneName: 'short'})"
    ".resolvedOptions()",
    "new Intl.DateTimeFormat('en-GB', {hour: 'numeric'}).resolvedOptions().hourCycle",
    "new Intl.DateTimeFormat('en', {hour: 'numeric', hourCycle: 'h24', timeZone: 'UTC'}).format(Date.UTC(2024, 0, 1))",
    "new Intl.DateTimeFormat('en', {hour: 'numeric', hourCycle: 'h11', timeZone: 'UTC'}).format(Date.UTC(2024, 0, 1, 12))",
    f"new Intl.DateTimeFormat('en-GB', {{timeStyle: 'short', hour12: true, timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en-US', {{timeStyle: 'medium', hour12: false, timeZone: 'UTC'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en', {{timeZone: 'UTC', timeZoneName: 'shortGeneric'}}).format({MARCH_5})",
    f"new Intl.DateTimeFormat('en', {{timeZone: 'America/Los_Angeles', timeZoneName: 'shortGeneric'}})"
    f".format({MARCH_5})",
    f"new Intl.DateTimeFormat('ja', {{hour: 'numeric', minute: 'numeric', hour12: true, timeZone: 'UTC'}})"
    f".format({MARCH_5})",
    f"new Intl.DateTimeFormat('ar-EG', {{dateStyle: 'medium', timeZone: 'UTC'}}).formatToParts({MARCH_5})",
    "new Intl.DateTimeFormat('en', {timeZone: 'Etc/UTC'}).resolvedOptions().timeZone",
    f"{MARCH_5}.toLocaleDateString('de-DE', {{timeZone: 'UTC'}})",
    f"{MARCH_5}.toLocaleDateString('en-US', {{weekday: 'long', timeZone: 'UTC'}})",
    f"{MARCH_5}.toLocaleTimeString('en-US', {{hour: '2-digit', minute: '2-digit', timeZone: 'UTC'}})",
    f"{MARCH_5}.toLocaleString('en-US', {{timeZone: 'America/Los_Angeles'}})",
    f"{MARCH_5}.toLocaleString('ja-JP', {{timeZone: 'Asia/Tokyo'}})",
    f"{MARCH_5}.toLocaleString()",
    f"{MARCH_5}.toLocaleDateString()",
    f"{MARCH_5}.toLocaleTimeString()",
    "new Date(NaN).toLocaleString('de-DE')",
    "new Intl.DateTimeFormat('en-US', {timeZone: 'UTC'}).format(0)",
]

OTHER_CASES = [
    "['b', 'a', 'B', 'á', 'A', '10', '9', 'a-b', 'ab', ' a', 'Ä', 'z', 'é', 'e', 'E']"
    ".sort(new Intl.Collator('en').compare).join('|')",
    "['item10', 'item9', 'item1', 'Item2'].sort(new Intl.Collator('en', {numeric: true}).compare).join()",
    "['item10', 'item9', 'item1'].sort(new Intl.Collator('en-u-kn').compare).join()",
    "['b', 'B', 'a', 'A'].sort(new Intl.Collator('en', {caseFirst: 'upper'}).compare).join()",
    "new Intl.Collator('en', {sensitivity: 'base'}).compare('a', 'Á')",
    "new Intl.Collator('en', {sensitivity: 'accent'}).compare('a', 'á')",
    "new Intl.Collator('en', {sensitivity: 'accent'}).compare('a', 'A')",
    "new Intl.Collator('en', {sensitivity: 'case'}).compare('a', 'A')",
    "new Intl.Collator('en', {sensitivity: 'case'}).compare('a', 'á')",
    "new Intl.Collator('en', {ignorePunctuation: true}).compare('a-b', 'ab')",
    "new Intl.Collator('de').resolvedOptions()",
    "new Intl.Collator('en-u-kn-kf-upper').resolvedOptions()",
    "'résumé'.localeCompare('resume')",
    "'a'.localeCompare('B')",
    "'a'.localeCompare('A', 'en', {sensitivity: 'base'})",
    "'2'.localeCompare('10', undefined, {numeric: true})",
    *per_locale("[0, 1, 2, 5, 1.5].map(n => new Intl.PluralRules($L).select(n)).join()"),
    "[1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].map(n => new Intl.PluralRules('en', {type: 'ordinal'}).select(n))"
    ".join()",
    "new Intl.PluralRules('en', {minimumFractionDigits: 1}).select(1)",
    "new Intl.PluralRules('en').select(-1)",
    "new Intl.PluralRules('en').select(NaN)",
    "new Intl.PluralRules('ru').resolvedOptions().pluralCategories",
    "new Intl.PluralRules('ar').resolvedOptions().pluralCategories",
    "new Intl.PluralRules('en', {type: 'ordinal'}).resolvedOptions()",
    *per_locale("new Intl.RelativeTimeFormat($L).format(-3, 'day')"),
    *per_locale("new Intl.RelativeTimeFormat($L, {numeric: 'auto'}).format(1, 'day')"),
    "new Intl.RelativeTimeFormat('en', {numeric: 'auto'}).format(0, 'year')",
    "new Intl.RelativeTimeFormat('en', {numeric: 'auto'}).format(-1, 'week')",
    "new Intl.RelativeTimeFormat('en', {style: 'short'}).format(5, 'minutes')",
    "new Intl.RelativeTimeFormat('en', {style: 'narrow'}).format(-2, 'hours')",
    "new Intl.RelativeTimeFormat('en').format(1.5, 'day')",
    "new Intl.RelativeTimeFormat('en').format(-0, 'second')",
    "new Intl.RelativeTimeFormat('en').format(1000, 'year')",
    "new Intl.RelativeTimeFormat('en').format(1, 'quarter')",
    "new Intl.RelativeTimeFormat('en', {numeric: 'auto'}).formatToParts(-3, 'days')",
    "new Intl.RelativeTimeFormat('en').formatToParts(100, 'day')",
    "new Intl.RelativeTimeFormat('en').resolvedOptions()",
    "new Intl.RelativeTimeFormat('en', 5).resolvedOptions().style",
    *per_locale("new Intl.ListFormat($L).format(['a', 'b', 'c'])", [x for x in LOCALES if x != "hi-IN"]),
    *per_locale("new Intl.ListFormat($L, {type: 'disjunction'}).format(['a', 'b'])"),
    "new Intl.ListFormat('en').format([])",
    "new Intl.ListFormat('en').format(['solo'])",
    "new Intl.ListFormat('en', {style: 'short'}).format(['a', 'b', 'c'])",
    "new Intl.ListFormat('en', {type: 'unit', style: 'narrow'}).format(['5 lb', '12 oz'])",
    "new Intl.ListFormat('en', {type: 'unit'}).format(['a', 'b', 'c', 'd'])",
    "new Intl.ListFormat('en').format(new Set(['x', 'y', 'z', 'w']))",
    "new Intl.ListFormat('en', {type: 'disjunction'}).formatToParts(['x', 'y', 'z'])",
    "new Intl.ListFormat('en').resolvedOptions()",
    "Intl.getCanonicalLocales(['EN-us', 'zh-hans-cn', 'de-u-co-phonebk', 'en-US'])",
    "Intl.getCanonicalLocales('iw')",
    "Intl.getCanonicalLocales()",
    "Intl.NumberFormat.supportedLocalesOf(['de-XX', 'en-US', 'zh-CN', 'ar-EG-u-nu-latn'])",
    "Intl.DateTimeFormat.supportedLocalesOf('fr')",
    "Intl.Collator.supportedLocalesOf([])",
    "Object.prototype.toString.call(Intl)",
    "Object.getOwnPropertyNames(new Intl.NumberFormat('en'))",
    "Object.keys(Intl).length",
]

ERROR_CASES = [
    "new Intl.NumberFormat('en_US')",
    "new Intl.NumberFormat('')",
    "new Intl.NumberFormat('en-US-u')",
    "new Intl.NumberFormat([5])",
    "new Intl.NumberFormat(null)",
    "new Intl.NumberFormat('en', {style: 'bogus'})",
    "new Intl.NumberFormat('en', {style: 'currency'})",
    "new Intl.NumberFormat('en', {style: 'currency', currency: 'EURO'})",
    "new Intl.NumberFormat('en', {style: 'unit'})",
    "new Intl.NumberFormat('en', {style: 'unit', unit: 'parsec'})",
    "new Intl.NumberFormat('en', {maximumFractionDigits: 101})",
    "new Intl.NumberFormat('en', {minimumFractionDigits: 3, maximumFractionDigits: 1})",
    "new Intl.NumberFormat('en', {maximumSignificantDigits: 0})",
    "new Intl.NumberFormat('en', {minimumIntegerDigits: 22})",
    "new Intl.NumberFormat('en', {roundingIncrement: 3})",
    "new Intl.NumberFormat('en', {roundingIncrement: 5, maximumSignificantDigits: 2})",
    "new Intl.NumberFormat('en', {useGrouping: 'sometimes'})",
    "new Intl.NumberFormat('en', {numberingSystem: 'x'})",
    "new Intl.NumberFormat('en', {signDisplay: 'maybe'})",
    "Intl.NumberFormat.prototype.format",
    "Intl.NumberFormat.prototype.formatToParts.call({}, 1)",
    "new Intl.DateTimeFormat('en', {timeZone: 'Mars/Olympus'})",
    "new Intl.DateTimeFormat('en', {dateStyle: 'full', hour: 'numeric'})",
    "new Intl.DateTimeFormat('en', {month: 'huge'})",
    "new Intl.DateTimeFormat('en', {fractionalSecondDigits: 4})",
    "new Intl.DateTimeFormat('en').format(NaN)",
    "new Intl.DateTimeFormat('en').format(8.64e15 + 1)",
    "new Date(0).toLocaleDateString('en', {timeStyle: 'short'})",
    "new Date(0).toLocaleTimeString('en', {dateStyle: 'short'})",
    "Intl.PluralRules('en')",
    "new Intl.PluralRules('en', {type: 'cardinals'})",
    "new Intl.RelativeTimeFormat('en').format(1, 'fortnight')",
    "new Intl.RelativeTimeFormat('en').format(Infinity, 'day')",
    "Intl.RelativeTimeFormat()",
    "new Intl.ListFormat('en').format(['a', 1])",
    "new Intl.ListFormat('en', {type: 'both'})",
    "Intl.ListFormat('en')",
    "new Intl.Collator('en', {sensitivity: 'loud'})",
    "'a'.localeCompare('b', 'not a tag!')",
    "(1).toLocaleString('en', {style: 'currency'})",
    "Intl.getCanonicalLocales(['en', 'en-'])",
]

#: Where babel's CLDR (49) and Node 20's ICU differ, each with our value and Node's.
KNOWN_DIFFERENCES = {
    # CLDR's minimumGroupingDigits (2 in es, it, pl, ...) is not in babel's data: "auto" groups from 4 digits.
    "new Intl.NumberFormat('es-ES').format(1234)": ("1.234", "1234"),
    "new Intl.NumberFormat('it-IT', {style: 'currency', currency: 'EUR'}).format(1234)": ("1.234,00\xa0€",
                                                                                          "1234,00\xa0€"),
    # A date style with a time style: babel has CLDR's plain "{1}, {0}" glue, not the "atTime" one ICU uses.
    f"new Intl.DateTimeFormat('en-US', {{dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC'}}).format({MARCH_5})":
        ("Tuesday, March 5, 2024, 1:04 PM", "Tuesday, March 5, 2024 at 1:04 PM"),
    f"new Intl.DateTimeFormat('de-DE', {{dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC'}}).format({MARCH_5})":
        ("5. März 2024, 13:04", "5. März 2024 um 13:04"),
    # CLDR 49 (babel) changed Hindi's list pattern and Portuguese's date-time glue since CLDR 48 (Node's ICU).
    "new Intl.ListFormat('hi-IN').format(['a', 'b', 'c'])": ("a, b और c", "a, b, और c"),
    f"new Intl.DateTimeFormat('hi-IN', {{year: 'numeric', month: 'long', day: 'numeric', weekday: 'long',"
    f" timeZone: 'UTC'}}).format({MARCH_5})": ("मंगलवार, 5 मार्च, 2024", "मंगलवार, 5 मार्च 2024"),
    f"{MARCH_5}.toLocaleString('pt-BR', {{timeZone: 'UTC'}})": ("05/03/2024 13:04:05", "05/03/2024, 13:04:05"),
    # babel has no narrow currency symbols: narrowSymbol is the ordinary symbol.
    "new Intl.NumberFormat('en-CA', {style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol'})"
    ".format(1)": ("US$1.00", "$1.00"),
    # Collation is an approximation of the root order: no locale tailoring (Swedish sorts ä after z).
    "['z', 'ä', 'a'].sort(new Intl.Collator('sv').compare).join()": ("a,ä,z", "a,z,ä"),
}


@needs_node
@pytest.mark.parametrize("group", ["number", "date", "other", "errors"])
def test_like_node(group: str) -> None:
    cases = {"number": NUMBER_CASES, "date": DATE_CASES, "other": OTHER_CASES, "errors": ERROR_CASES}[group]
    assert_like_node(cases, INTL_RENDER, NODE_ENV)


def test_errors_are_range_and_type_errors() -> None:
    rendered = ours(ERROR_CASES)
    assert all(r in ("throws RangeError", "throws TypeError") for r in rendered), list(zip(ERROR_CASES, rendered))


def test_known_differences_from_node() -> None:
    cases = list(KNOWN_DIFFERENCES)
    assert ours(cases) == [ours_value for ours_value, _ in KNOWN_DIFFERENCES.values()]
    if NODE is not None:  # still different in the oracle: when they converge, the case moves to the tables
        assert node_renders(cases, INTL_RENDER, NODE_ENV) == [node_value for _, node_value in KNOWN_DIFFERENCES.values()]


def test_times_use_a_plain_space_before_the_day_period() -> None:
    # CLDR 42+ puts U+202F before AM/PM; V8 (and so Node) prints a plain space, and so do we.
    out = run_js("new Intl.DateTimeFormat('en-US', {timeStyle: 'short', timeZone: 'UTC'}).format(0)")
    assert out == "12:00 AM"


def test_default_locale_methods_need_no_locale_data() -> None:
    # Without locales/options the toLocaleString family is the built-in en-US form, equal to Intl's.
    out = run_js(f"""
        const d = {MARCH_5}, n = -1234567.891;
        [d.toLocaleString() === new Intl.DateTimeFormat('en-US', {{year: 'numeric', month: 'numeric',
            day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'}}).format(d),
         n.toLocaleString() === new Intl.NumberFormat('en-US').format(n),
         (5n ** 30n).toLocaleString() === new Intl.NumberFormat('en-US').format(5n ** 30n)]
    """)
    assert out == [True, True, True]


def test_intl_objects_are_per_realm_and_opaque() -> None:
    out = run_js("""
        const nf = new Intl.NumberFormat('en');
        const keys = [];
        for (const k in nf) keys.push(k);
        [Object.getPrototypeOf(nf) === Intl.NumberFormat.prototype, Reflect.ownKeys(nf).length, keys.join(),
         nf.format === nf.format, JSON.stringify(nf), typeof nf.constructor]
    """)
    assert out == [True, 0, "", True, "{}", "function"]
    run_js("Intl.NumberFormat.prototype.format2 = 1; Intl.Hacked = true")
    assert run_js("[typeof Intl.Hacked, 'format2' in Intl.NumberFormat.prototype]") == ["undefined", False]


def test_hostile_inputs_stay_js_errors() -> None:
    assert js_error("new Intl.NumberFormat({length: 2 ** 53 - 1})").name == "RangeError"
    assert js_error("new Intl.NumberFormat('en', {get style() { throw new TypeError('boom'); }})").message == "boom"
    big = run_js("new Intl.NumberFormat('en', {maximumFractionDigits: 100}).format('1e-300')")
    assert big == "0"
    # A decimal string too long for exact formatting is a Number, as in Node 20.
    assert run_js("new Intl.NumberFormat('en').format('9'.repeat(5000))") == "∞"
    assert run_js("new Intl.NumberFormat('en').format('-1e400')") == "-∞"
    assert js_error("new Intl.DateTimeFormat('en').format(-8.64e15)").name == "RangeError"


MISSING_BABEL = """
import sys
sys.modules['babel'] = None  # as if the 'intl' extra were not installed
from jsrun import js_error, run_js
err = js_error("new Intl.NumberFormat('de').format(1)")
print(err.name, '|', err.message)
print(run_js("[(1234.5).toLocaleString(), new Date(0).toLocaleDateString(), 'a'.localeCompare('b'), typeof Intl]"))
"""


def test_without_babel_intl_names_the_extra() -> None:
    done = subprocess.run([sys.executable, "-c", MISSING_BABEL], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env={"PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.strip().splitlines()
    assert first.startswith("Error | Intl needs locale data") and "seqflow-js[intl]" in first
    assert second == "['1,234.5', '1/1/1970', -1, 'object']"


# -- replay: the locale data version in the log ------------------------------------------------------

PRICE = """
const nf = new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'EUR'});
const first = await (await fetch('https://shop.example/price/1')).json();
const second = await (await fetch('https://shop.example/price?label=' + encodeURIComponent(nf.format(first.value))))
  .json();
nf.format(first.value + second.value) + ' / ' + nf.resolvedOptions().locale
"""


def test_log_records_the_locale_data_version() -> None:
    from babel.core import get_cldr_version

    flow = create_flow(storage=MemoryStorage())
    task = flow.execute(PRICE, id="price")
    assert task.status == "paused"
    assert task.vm_state["localeData"] == f"CLDR {get_cldr_version()}"
    plain = flow.execute("1 + 1", id="plain")
    assert "localeData" not in plain.vm_state


def test_other_locale_data_replays_unless_a_request_changes() -> None:
    flow = create_flow(storage=MemoryStorage())
    task = flow.execute(PRICE, id="price")
    task = flow.resume("price", fetch_response={"status": 200, "data": {"value": 1234.5}})
    assert task.fetch_request is not None
    assert task.fetch_request.url == "https://shop.example/price?label=1.234%2C50%C2%A0%E2%82%AC"
    state = dict(task.vm_state, localeData="CLDR 1")
    log = Log.from_state(state)
    execution = Execution(transpile(log.code), log)
    outcome = execution.run(live=False)  # the same requests: another version is fine
    assert outcome.status == "paused"
    assert log.locale_data != "CLDR 1"  # the run notes the data it used
    # Another version that formats the label differently issues another request: a divergence naming both.
    requests = [dict(r) for r in state["requests"]]
    requests[1]["url"] = "https://shop.example/price?label=1%2C234.50%20EUR"
    diverged = Log.from_state(dict(state, requests=requests))
    with pytest.raises(ReplayDivergenceError) as caught:
        Execution(transpile(diverged.code), diverged).run(live=False)
    assert "locale data CLDR 1" in caught.value.message
    assert caught.value.details["loggedLocaleData"] == "CLDR 1"


def run_python(code: str) -> Any:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_number_format_survives_a_cold_resume_in_another_process(tmp_path: Path) -> None:
    flow = create_flow(storage=FileStorage(tmp_path))
    assert flow.execute(PRICE, id="price").status == "paused"
    resume = (
        "from seqflow_runtime import create_flow, FileStorage\n"
        "import json\n"
        f"flow = create_flow(storage=FileStorage({str(tmp_path)!r}))\n"
        "task = flow.resume('price', fetch_response={'status': 200, 'data': {'value': %s}})\n"
        "print(json.dumps([task.status, task.result, task.fetch_request.url if task.fetch_request else None]))\n"
    )
    status, _, url = run_python(resume % "1234.5")
    assert (status, url) == ("paused", "https://shop.example/price?label=1.234%2C50%C2%A0%E2%82%AC")
    status, result, _ = run_python(resume % "0.25")
    assert (status, result) == ("completed", "1.234,75\xa0€ / de-DE")
    assert source_hash(PRICE, "standard") == flow.get_task("price").vm_state["codeHash"]


def test_every_kind_of_locale_formats_or_throws_a_js_error() -> None:
    # babel's tables have holes (a numbering system without a group sign, a list type a locale lacks):
    # CLDR inheritance fills them, and what remains is a JS RangeError, never a Python one.
    from babel.localedata import locale_identifiers

    tags = sorted({tag.replace("_", "-") for tag in locale_identifiers()})[::8]
    out = run_js(f"""
        const d = new Date(Date.UTC(2024, 2, 5, 13, 4, 5)), failed = [];
        for (const l of {json.dumps(tags)}) {{
          try {{
            new Intl.NumberFormat(l, {{style: 'currency', currency: 'EUR'}}).format(-1234.5);
            new Intl.NumberFormat(l, {{notation: 'compact', compactDisplay: 'long'}}).format(1234567);
            new Intl.NumberFormat(l, {{style: 'unit', unit: 'kilometer-per-hour', unitDisplay: 'long'}}).format(2);
            new Intl.NumberFormat(l, {{style: 'currency', currency: 'USD', currencyDisplay: 'name'}}).format(2);
            new Intl.DateTimeFormat(l, {{dateStyle: 'full', timeStyle: 'full', timeZone: 'America/New_York'}})
              .format(d);
            new Intl.DateTimeFormat(l, {{weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric',
              timeZoneName: 'short', timeZone: 'Asia/Kolkata'}}).formatToParts(d);
            new Intl.RelativeTimeFormat(l, {{numeric: 'auto', style: 'narrow'}}).format(-1, 'quarter');
            new Intl.ListFormat(l, {{type: 'unit', style: 'short'}}).format(['a', 'b', 'c']);
            new Intl.PluralRules(l, {{type: 'ordinal'}}).select(3);
          }} catch (e) {{ failed.push(l + ' ' + e.name); }}
        }}
        failed
    """)
    assert len(tags) > 100
    assert out == []
