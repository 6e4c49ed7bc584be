"""Number formatting: ECMA-402 §15 (Intl.NumberFormat) over CLDR number patterns.

The digits are ours, computed as the spec says (``FormatNumericToString``:
exact decimal rounding with the chosen rounding mode and priority) from the
shortest round-trip decimal of a Number, as ICU does; the locale's patterns,
symbols, grouping sizes, currency and unit names and compact forms come from
``babel``'s CLDR tables. The result is a list of ``(type, value)`` parts
(``formatToParts``); ``format`` joins them.

Known differences from Node 20's ICU, both CLDR data ``babel`` does not carry:
``useGrouping: "auto"`` groups from four digits in every locale (CLDR's
``minimumGroupingDigits``, 2 in es/it/pl..., is missing: ``1234`` is
``"1.234"`` in es-ES where Node prints ``"1234"``; ``useGrouping: "min2"``
gives Node's form), and ``currencyDisplay: "narrowSymbol"`` is the ordinary
symbol.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    localcontext,
)
from typing import Any

from .locales import babel_locale, locale_data

Parts = list[tuple[str, str]]

#: ECMA-402 Table 2 (sanctioned single units); a compound is ``X-per-Y`` of two of them.
SANCTIONED_UNITS = frozenset((
    "acre bit byte celsius centimeter day degree fahrenheit fluid-ounce foot gallon gigabit gigabyte gram "
    "hectare hour inch kilobit kilobyte kilogram kilometer liter megabit megabyte meter microsecond mile "
    "mile-scandinavian milliliter millimeter millisecond minute month nanosecond ounce percent petabyte pound "
    "second stone terabit terabyte week yard year").split())

#: The first digit (zero) of the decimal numbering systems a locale's ``-u-nu-`` may name.
NUMBERING_ZERO = {
    "latn": "0", "arab": "\u0660", "arabext": "\u06f0", "beng": "\u09e6", "deva": "\u0966",
    "fullwide": "\uff10", "gujr": "\u0ae6", "guru": "\u0a66", "khmr": "\u17e0", "knda": "\u0ce6",
    "laoo": "\u0ed0", "mlym": "\u0d66", "mymr": "\u1040", "orya": "\u0b66", "tamldec": "\u0be6",
    "telu": "\u0c66", "thai": "\u0e50", "tibt": "\u0f20",
}

_MODES = {
    "ceil": ROUND_CEILING, "floor": ROUND_FLOOR, "expand": ROUND_UP, "trunc": ROUND_DOWN,
    "halfExpand": ROUND_HALF_UP, "halfTrunc": ROUND_HALF_DOWN, "halfEven": ROUND_HALF_EVEN,
}
# Wide enough for 1e308 with 100 fraction digits: rounding is exact, never the context's.
_EXACT = Context(prec=1200, Emax=999_999, Emin=-999_999)


@dataclass(frozen=True)
class NumberOptions:
    """A NumberFormat's resolved internal slots (§15.1.1), plain values only."""

    locale: str
    numbering: str = "latn"
    style: str = "decimal"
    currency: str | None = None
    currency_display: str = "symbol"
    currency_sign: str = "standard"
    unit: str | None = None
    unit_display: str = "short"
    min_int: int = 1
    min_frac: int = 0
    max_frac: int = 3
    min_sig: int = 1
    max_sig: int = 21
    #: "fractionDigits", "significantDigits", "morePrecision" or "lessPrecision".
    rounding_type: str = "fractionDigits"
    rounding_priority: str = "auto"
    rounding_mode: str = "halfExpand"
    rounding_increment: int = 1
    trailing_zero_display: str = "auto"
    use_grouping: str | bool = "auto"
    notation: str = "standard"
    compact_display: str = "short"
    sign_display: str = "auto"


def currency_digits(code: str) -> int:
    """CurrencyDigits (§15.5.1): the ISO 4217 minor unit digits (2 when unknown)."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(code))


def unit_key(locale: str, unit: str) -> str | None:
    """The CLDR ``unit_patterns`` key of a simple unit (``"kilometer"`` → ``"length-kilometer"``)."""
    table = locale_data(locale, "unit_patterns")
    for key in table:
        if key.split("-", 1)[-1] == unit:
            return str(key)
    return None


def to_decimal(x: Any) -> Decimal:
    """ToIntlMathematicalValue: a Number's shortest round-trip decimal (as ICU), an int or a Decimal exactly."""
    if isinstance(x, Decimal):
        return x
    if type(x) is int:
        return Decimal(x)
    return Decimal(repr(float(x)))


# -- rounding (§15.5.3 FormatNumericToString) ------------------------------------------------------


def _quantize(mag: Decimal, exponent: int, mode: str, negative: bool) -> Decimal:
    """``mag`` (non-negative) rounded to a multiple of ``10**exponent`` in ``mode`` (signed modes use ``negative``)."""
    if mode in ("halfCeil", "halfFloor"):
        toward_up = (mode == "halfCeil") != negative
        rounding = ROUND_HALF_UP if toward_up else ROUND_HALF_DOWN
    elif mode in ("ceil", "floor"):
        # ceil/floor act on the signed value; on the magnitude they swap for negatives.
        up = (mode == "ceil") != negative
        rounding = ROUND_UP if up else ROUND_DOWN
    else:
        rounding = _MODES[mode]
    with localcontext(_EXACT):
        return mag.quantize(Decimal(1).scaleb(exponent), rounding=rounding)


def _round_fraction(mag: Decimal, o: NumberOptions, negative: bool) -> tuple[Decimal, int, int]:
    """ToRawFixed: (rounded, rounding magnitude, minimum fraction digits)."""
    if o.rounding_increment != 1:
        with localcontext(_EXACT):
            step = Decimal(o.rounding_increment).scaleb(-o.max_frac)
            units = _quantize(mag / step, 0, o.rounding_mode, negative)
            return units * step, -o.max_frac, o.min_frac
    return _quantize(mag, -o.max_frac, o.rounding_mode, negative), -o.max_frac, o.min_frac


def _round_significant(mag: Decimal, o: NumberOptions, negative: bool) -> tuple[Decimal, int, int]:
    """ToRawPrecision: (rounded, rounding magnitude, minimum fraction digits for ``min_sig``)."""
    e = 0 if mag == 0 else mag.adjusted()
    magnitude = e - o.max_sig + 1
    rounded = _quantize(mag, magnitude, o.rounding_mode, negative)
    e = 0 if rounded == 0 else rounded.adjusted()
    return rounded, magnitude, max(0, o.min_sig - 1 - e)


def round_magnitude(mag: Decimal, o: NumberOptions, negative: bool) -> tuple[str, str]:
    """FormatNumericToString's digits: (integer digits, fraction digits), trailing zeros as the options say."""
    if o.rounding_type == "fractionDigits":
        rounded, _, min_frac = _round_fraction(mag, o, negative)
    elif o.rounding_type == "significantDigits":
        rounded, _, min_frac = _round_significant(mag, o, negative)
    else:
        s = _round_significant(mag, o, negative)
        f = _round_fraction(mag, o, negative)
        more = o.rounding_type == "morePrecision"
        rounded, _, min_frac = s if (s[1] <= f[1]) == more else f
    text = format(rounded, "f")
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    if len(frac) < min_frac:
        frac += "0" * (min_frac - len(frac))
    if o.trailing_zero_display == "stripIfInteger" and not frac.strip("0"):
        frac = ""
    whole = whole.lstrip("0")
    if len(whole) < o.min_int:
        whole = "0" * (o.min_int - len(whole)) + whole
    return whole, frac


def _as_decimal(whole: str, frac: str) -> Decimal:
    return Decimal(f"{whole}.{frac}" if frac else whole)


# -- locale patterns -------------------------------------------------------------------------------


def _symbols(o: NumberOptions) -> dict[str, str]:
    """The numbering system's symbols, what it lacks taken from ``latn`` (CLDR's alias)."""
    table = locale_data(o.locale, "number_symbols")
    return {**dict(table.get("latn") or {}), **dict(table.get(o.numbering) or {})}


def _main_pattern(o: NumberOptions) -> Any:
    loc = babel_locale(o.locale)
    if o.style == "percent":
        return loc.percent_formats[None]
    if o.style == "currency" and o.currency_display != "name":
        formats = loc.currency_formats
        return formats["accounting" if o.currency_sign == "accounting" else "standard"]
    return loc.decimal_formats[None]


def _plural(locale: str, value: Decimal) -> str:
    return str(babel_locale(locale).plural_form(value))


def _affix_parts(text: str, currency: str, o: NumberOptions, sym: Any) -> Parts:
    """A pattern prefix or suffix as parts: ``¤`` the currency, ``%``/``-``/``+`` their symbols."""
    out: Parts = []
    for run in re.findall(r"¤+|[%‰+\-]|[^¤%‰+\-]+", text):
        if run[0] == "¤":
            out.append(("currency", currency))
        elif run == "%":
            out.append(("percentSign", sym["percentSign"]))
        elif run == "‰":
            out.append(("percentSign", sym["perMille"]))
        elif run == "-":
            out.append(("minusSign", sym["minusSign"]))
        elif run == "+":
            out.append(("plusSign", sym["plusSign"]))
        else:
            out.append(("literal", run.replace("'", "")))
    return out


def _currency_text(o: NumberOptions) -> str:
    code = o.currency or ""
    if o.currency_display == "code":
        return code
    symbols = locale_data(o.locale, "currency_symbols")
    return str(symbols.get(code, code))


def _group(whole: str, o: NumberOptions, pattern: Any) -> list[str]:
    """The integer digits cut into groups (primary, then secondary sizes, e.g. hi-IN's 3 then 2)."""
    primary, secondary = pattern.grouping
    if o.use_grouping is False or primary <= 0 or primary >= 1000 or len(whole) <= primary:
        return [whole]
    if o.use_grouping == "min2" and len(whole) < primary + 2:
        return [whole]
    groups = [whole[-primary:]]
    rest = whole[:-primary]
    size = secondary if 0 < secondary < 1000 else primary
    while rest:
        groups.append(rest[-size:])
        rest = rest[:-size]
    return groups[::-1]


def _digits(text: str, o: NumberOptions) -> str:
    zero = NUMBERING_ZERO.get(o.numbering, "0")
    if zero == "0":
        return text
    base = ord(zero)
    return "".join(chr(base + ord(c) - 48) if "0" <= c <= "9" else c for c in text)


def _number_parts(whole: str, frac: str, o: NumberOptions, pattern: Any, sym: Any) -> Parts:
    out: Parts = []
    groups = _group(whole, o, pattern)
    for i, g in enumerate(groups):
        if i:
            out.append(("group", sym["group"]))
        out.append(("integer", _digits(g, o)))
    if frac:
        decimal = sym.get("currencyDecimal") if o.style == "currency" else None
        out.append(("decimal", decimal or sym["decimal"]))
        out.append(("fraction", _digits(frac, o)))
    return out


# -- notations -------------------------------------------------------------------------------------


def _compact_pattern(o: NumberOptions, magnitude: int, plural: str) -> tuple[int, str] | None:
    """The CLDR compact pattern for ``10**magnitude`` (``"00K"``) and the magnitude it is for;
    ``None`` below the first one or where the locale keeps the plain number (``"0"``)."""
    table = locale_data(o.locale, "compact_decimal_formats")[o.compact_display]
    forms = table.get(plural) or table["other"]
    best = max((len(key) - 1 for key in forms if len(key) - 1 <= magnitude), default=None)
    if best is None:
        return None
    pattern = str(forms["1" + "0" * best].pattern)
    return None if pattern.strip("'") == "0" else (best, pattern)


def _compact(mag: Decimal, o: NumberOptions, negative: bool) -> tuple[str, str, str | None]:
    """Compact notation: digits scaled by the locale's pattern for their magnitude, and that pattern."""
    magnitude = 0 if mag == 0 else mag.adjusted()
    while True:
        found = _compact_pattern(o, magnitude, "other")
        exponent = 0 if found is None else found[0] - found[1].count("0") + 1
        whole, frac = round_magnitude(mag.scaleb(-exponent), o, negative)
        rounded = _as_decimal(whole, frac).scaleb(exponent)
        carried = 0 if rounded == 0 else rounded.adjusted()
        if carried <= magnitude:
            break
        magnitude = carried  # rounding carried (999_999 → "1000K"): use the next magnitude's pattern
    if found is None:
        return whole, frac, None
    plural = _compact_pattern(o, magnitude, _plural(o.locale, _as_decimal(whole, frac)))
    return whole, frac, (plural or found)[1]


def _exponent_of(mag: Decimal, o: NumberOptions, negative: bool) -> tuple[str, str, int]:
    """Scientific/engineering notation: the mantissa's digits and the exponent."""
    step = 3 if o.notation == "engineering" else 1
    e = 0 if mag == 0 else (mag.adjusted() // step) * step
    whole, frac = round_magnitude(mag.scaleb(-e), o, negative)
    if len(whole.lstrip("0")) > step:  # 9.99 → 10.0: carry into the next exponent
        e += step
        whole, frac = round_magnitude(mag.scaleb(-e), o, negative)
    return whole, frac, e


# -- the whole number ------------------------------------------------------------------------------


def _sign(o: NumberOptions, negative: bool, is_zero: bool) -> str:
    """"-", "+" or "" for signDisplay (§15.5.5 PartitionNumberPattern, step on sign)."""
    mode = o.sign_display
    if mode == "never":
        return ""
    if mode == "auto":
        return "-" if negative else ""
    if mode == "always":
        return "-" if negative else "+"
    if mode == "exceptZero":
        return "" if is_zero else "-" if negative else "+"
    return "-" if negative and not is_zero else ""  # "negative"


def format_to_parts(o: NumberOptions, x: Any) -> Parts:
    """PartitionNumberPattern (§15.5.4): ``x`` (float, int or Decimal) as ``formatToParts`` parts."""
    sym = _symbols(o)
    pattern = _main_pattern(o)
    if isinstance(x, float) and x != x:
        number: Parts = [("nan", sym["nan"])]
        negative, is_zero, plural_value = False, False, Decimal(0)
    else:
        negative = (math.copysign(1.0, x) < 0) if isinstance(x, float) else x < 0
        if isinstance(x, float) and math.isinf(x):
            number = [("infinity", sym["infinity"])]
            is_zero, plural_value = False, Decimal(0)
        else:
            number, is_zero, plural_value = _finite_parts(abs(to_decimal(x)), o, negative, pattern, sym)
    sign = _sign(o, negative, is_zero)
    return _apply_pattern(o, pattern, number, sign, sym, plural_value)


def _finite_parts(mag: Decimal, o: NumberOptions, negative: bool, pattern: Any,
                  sym: Any) -> tuple[Parts, bool, Decimal]:
    if o.style == "percent":
        mag = mag.scaleb(2)
    exponent_parts: Parts = []
    compact: str | None = None
    if o.notation == "compact":
        whole, frac, compact = _compact(mag, o, negative)
    elif o.notation in ("scientific", "engineering"):
        whole, frac, e = _exponent_of(mag, o, negative)
        exponent_parts.append(("exponentSeparator", sym["exponential"]))
        if e < 0:
            exponent_parts.append(("exponentMinusSign", sym["minusSign"]))
        exponent_parts.append(("exponentInteger", _digits(str(abs(e)), o)))
    else:
        whole, frac = round_magnitude(mag, o, negative)
    value = _as_decimal(whole, frac)
    parts = _number_parts(whole, frac, o, pattern, sym) + exponent_parts
    if compact is not None:
        head, _, tail = re.sub(r"0+", "\0", compact, count=1).partition("\0")
        parts = _text_parts(head.replace("'", ""), "compact") + parts + _text_parts(tail.replace("'", ""), "compact")
    return parts, value == 0, value


def _text_parts(text: str, kind: str) -> Parts:
    """Affix text as parts: surrounding spaces are literals, the rest is ``kind`` (unit, compact, currency)."""
    if not text:
        return []
    m = re.fullmatch(r"(\s*)(.*?)(\s*)", text, re.S)
    assert m is not None
    out: Parts = []
    if m.group(1):
        out.append(("literal", m.group(1)))
    if m.group(2):
        out.append((kind, m.group(2)))
    if m.group(3):
        out.append(("literal", m.group(3)))
    return out


def _apply_pattern(o: NumberOptions, pattern: Any, number: Parts, sign: str, sym: Any,
                   value: Decimal) -> Parts:
    """The number inside its pattern's prefix and suffix (the negative one carrying the sign)."""
    currency = _currency_text(o) if o.style == "currency" else ""
    if sign:
        prefix, suffix = pattern.prefix[1], pattern.suffix[1]
        if sign == "+" and "-" in prefix + suffix:
            prefix, suffix = prefix.replace("-", "+"), suffix.replace("-", "+")
        elif sign == "+":  # a negative pattern without a minus (accounting's parentheses)
            prefix, suffix = "+" + pattern.prefix[0], pattern.suffix[0]
    else:
        prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    head = _affix_parts(prefix, currency, o, sym)
    tail = _affix_parts(suffix, currency, o, sym)
    if currency:
        head, tail = _currency_spacing(head, tail)
    parts = head + number + tail
    if o.style == "unit":
        return _wrap_unit(o, parts, value)
    if o.style == "currency" and o.currency_display == "name":
        return _wrap_currency_name(o, parts, value)
    return parts


def _currency_spacing(head: Parts, tail: Parts) -> tuple[Parts, Parts]:
    """CLDR currencySpacing: a no-break space between the digits and a currency that ends (or starts,
    after the number) with a letter ("USD\xa01.00", but "$1.00")."""
    if head and head[-1][0] == "currency" and unicodedata.category(head[-1][1][-1])[0] == "L":
        head = head + [("literal", "\xa0")]
    if tail and tail[0][0] == "currency" and unicodedata.category(tail[0][1][0])[0] == "L":
        tail = [("literal", "\xa0")] + tail
    return head, tail


def _fill(template: str, number: Parts, kind: str, text: Any = None) -> Parts:
    """A CLDR ``{0}``/``{1}`` pattern with the number's parts for ``{0}``; other text is ``kind``."""
    out: Parts = []
    for piece in re.split(r"(\{[01]\})", template):
        if piece == "{0}":
            out.extend(number)
        elif piece == "{1}":
            out.append((kind, str(text)))
        elif piece:
            out.extend(_text_parts(piece, kind) if text is None else [("literal", piece)])
    return out


def _wrap_unit(o: NumberOptions, number: Parts, value: Decimal) -> Parts:
    unit = o.unit or ""
    plural = _plural(o.locale, value)
    table = locale_data(o.locale, "unit_patterns")
    key = unit_key(o.locale, unit)
    if key is not None:
        forms = table[key][o.unit_display]
        return _fill(str(forms.get(plural) or forms["other"]), number, "unit")
    numerator, _, denominator = unit.partition("-per-")
    inner = _wrap_unit(NumberOptions(**{**o.__dict__, "unit": numerator}), number, value)
    per_key = unit_key(o.locale, denominator)
    per_forms = table[per_key][o.unit_display] if per_key else {}
    if "per" in per_forms:
        return _splice(str(per_forms["per"]), inner)
    compound = str(locale_data(o.locale, "compound_unit_patterns")["per"][o.unit_display]["compound"])
    names = locale_data(o.locale, "unit_display_names").get(per_key or "", {})
    name = str(names.get(o.unit_display, denominator)) if names else denominator
    return _splice(compound.replace("{1}", name), inner)


def _splice(template: str, inner: Parts) -> Parts:
    """``{0}`` of a per-unit pattern replaced by already formatted parts; the rest is unit text."""
    out: Parts = []
    head, _, tail = template.partition("{0}")
    out.extend(_text_parts(head, "unit"))
    out.extend(inner)
    out.extend(_text_parts(tail, "unit"))
    return _merge_units(out)


def _merge_units(parts: Parts) -> Parts:
    merged: Parts = []
    for kind, text in parts:
        if merged and kind == "unit" and merged[-1][0] == "unit":
            merged[-1] = ("unit", merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged


def _wrap_currency_name(o: NumberOptions, number: Parts, value: Decimal) -> Parts:
    plural = _plural(o.locale, value)
    code = o.currency or ""
    names = locale_data(o.locale, "currency_names_plural").get(code) or {}
    name = names.get(plural) or names.get("other") or babel_locale(o.locale).currencies.get(code) or code
    patterns = locale_data(o.locale, "currency_unit_patterns")
    return _fill(str(patterns.get(plural) or patterns["other"]), number, "currency", name)


def format_number(o: NumberOptions, x: Any) -> str:
    """FormatNumeric (§15.5.6): the parts joined."""
    return "".join(value for _, value in format_to_parts(o, x))


def format_digits_for_plural(o: NumberOptions, x: Any) -> Decimal:
    """The rounded value PluralRules selects on (its visible fraction digits matter: ``1.0`` is not ``1``)."""
    if isinstance(x, float) and not math.isfinite(x):
        return Decimal(0)
    d = abs(to_decimal(x))
    whole, frac = round_magnitude(d, o, False)
    return _as_decimal(whole, frac)
