"""Locale identifiers and locale data: ECMA-402 §9 (Locale and Parameter Negotiation).

Language tags are checked and canonicalized here (UTS #35 ``unicode_locale_id``
syntax, case and the CLDR language aliases); a tag is *available* when
``babel`` has locale data for it or for a shorter prefix of it. The default
locale is always ``en-US``, whatever the host's environment says: a task must
format the same way on every machine that resumes it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..values import JSThrow, range_error

if TYPE_CHECKING:
    from babel import Locale

DEFAULT_LOCALE = "en-US"
#: What a script sees when ``babel`` is missing (a JS ``Error``, never a Python one).
MISSING_BABEL = "Intl needs locale data: install seqflow-js with the 'intl' extra (pip install 'seqflow-js[intl]')"

_LANGUAGE = r"(?:[a-z]{2,3}|[a-z]{5,8})"
_SCRIPT = r"[a-z]{4}"
_REGION = r"(?:[a-z]{2}|[0-9]{3})"
_VARIANT = r"(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3})"
_EXTENSION = r"[0-9a-wyz](?:-[a-z0-9]{2,8})+"
_PRIVATE = r"x(?:-[a-z0-9]{1,8})+"
_TAG = re.compile(
    rf"(?P<language>{_LANGUAGE})(?:-(?P<script>{_SCRIPT}))?(?:-(?P<region>{_REGION}))?"
    rf"(?P<variants>(?:-{_VARIANT})*)(?P<extensions>(?:-{_EXTENSION})*)(?:-(?P<private>{_PRIVATE}))?")


def babel_module() -> Any:
    """``babel``, imported on first use; a JS ``Error`` naming the extra when it is not installed."""
    try:
        import babel
    except ImportError:
        raise JSThrow(kind="Error", message=MISSING_BABEL) from None
    return babel


def cldr_version() -> str:
    """The CLDR release the locale data comes from, as a log records it (``"CLDR 49"``)."""
    babel_module()
    from babel.core import get_cldr_version

    return f"CLDR {get_cldr_version()}"


def canonicalize_tag(tag: str) -> str:
    """IsStructurallyValidLanguageTag + CanonicalizeUnicodeLocaleId (§6.2): a RangeError when malformed."""
    match = _TAG.fullmatch(tag.lower()) if tag.isascii() else None
    if match is None:
        raise range_error(f"Incorrect locale information provided: {tag}")
    variants = [v for v in match["variants"].split("-") if v]
    if len(set(variants)) != len(variants):
        raise range_error(f"Incorrect locale information provided: {tag}")
    extensions = _split_extensions(match["extensions"], tag)
    language = _language_alias(match["language"])
    parts = [language]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    parts.extend(sorted(variants))
    for singleton in sorted(extensions):
        parts.append(singleton + "-" + _canonical_extension(singleton, extensions[singleton]))
    if match["private"]:
        parts.append(match["private"])
    return "-".join(parts)


def _split_extensions(text: str, tag: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for sub in text.split("-")[1:]:
        if len(sub) == 1:
            if sub in out:
                raise range_error(f"Incorrect locale information provided: {tag}")
            current = out[sub] = []
        elif current is not None:
            current.append(sub)
    return out


def _canonical_extension(singleton: str, subtags: list[str]) -> str:
    """A ``-u-`` extension's keywords sorted by key, a ``true`` value dropped (UTS #35 §3.2.1)."""
    if singleton != "u":
        return "-".join(subtags)
    attributes: list[str] = []
    keywords: dict[str, list[str]] = {}
    key: str | None = None
    for sub in subtags:
        if len(sub) == 2:
            key = sub
            keywords.setdefault(key, [])
        elif key is None:
            attributes.append(sub)
        else:
            keywords[key].append(sub)
    words = attributes[:]
    for k in sorted(keywords):
        value = [] if keywords[k] == ["true"] else keywords[k]
        words.append("-".join([k, *value]))
    return "-".join(words)


def _language_alias(language: str) -> str:
    babel_module()
    from babel.core import get_global

    alias = get_global("language_aliases").get(language)
    return alias if isinstance(alias, str) and "_" not in alias else language


def canonicalize_list(tags: list[str]) -> list[str]:
    """CanonicalizeLocaleList (§9.2.1) over already-read strings: canonical, without duplicates."""
    out: list[str] = []
    for tag in tags:
        canonical = canonicalize_tag(tag)
        if canonical not in out:
            out.append(canonical)
    return out


def strip_extensions(tag: str) -> str:
    """The tag without its ``-u-``/``-x-``/... extensions."""
    return re.split(r"-[0-9a-z]-", tag, maxsplit=1)[0]


def unicode_keywords(tag: str) -> dict[str, str]:
    """The ``-u-`` keywords of a canonical tag (``{"nu": "latn", "kn": ""}``)."""
    m = re.search(r"-u-((?:[a-z0-9]{2,8}-?)+?)(?=-[0-9a-z]-|$)", tag)
    out: dict[str, str] = {}
    if m is None:
        return out
    key: str | None = None
    for sub in m.group(1).split("-"):
        if len(sub) == 2:
            key = sub
            out[key] = ""
        elif key is not None:
            out[key] = f"{out[key]}-{sub}" if out[key] else sub
    return out


@lru_cache(maxsize=256)
def available(base: str) -> str | None:
    """The longest prefix of ``base`` (a tag without extensions) that ``babel`` has data for."""
    babel_module()
    from babel import Locale, UnknownLocaleError
    from babel.localedata import exists

    parts = base.split("-")
    if parts[0] == "und":  # the root locale is no answer: the default is
        return None
    while parts:
        candidate = "-".join(parts)
        try:
            loc = Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError, TypeError):
            loc = None
        if loc is not None and exists(str(loc)) and (len(parts) == 1 or _keeps_region(loc, parts)):
            return candidate
        parts.pop()
    return None


def _keeps_region(loc: "Locale", parts: list[str]) -> bool:
    """Whether babel's locale keeps the tag's region (``de-XX`` parses to bare ``de`` data)."""
    region = next((p for p in parts[1:] if len(p) in (2, 3) and not p.islower()), None)
    return region is None or loc.territory == region


def lookup(requested: list[str]) -> tuple[str, str]:
    """LookupMatcher (§9.2.3): (the resolved locale without extensions, the request it came from)."""
    for tag in requested:
        found = available(strip_extensions(tag))
        if found is not None:
            return found, tag
    return DEFAULT_LOCALE, DEFAULT_LOCALE


def supported(requested: list[str]) -> list[str]:
    """LookupSupportedLocales (§9.2.8): the requested tags that have locale data."""
    return [tag for tag in requested if available(strip_extensions(tag)) is not None]


@lru_cache(maxsize=64)
def babel_locale(tag: str) -> "Locale":
    """The ``babel`` locale for an available tag (cached: a locale's data loads once per process)."""
    babel_module()
    from babel import Locale

    return Locale.parse(tag, sep="-")


def locale_data(tag: str, key: str) -> Any:
    """One CLDR table of an available locale (``"decimal_formats"``, ``"unit_patterns"``...)."""
    return babel_locale(tag)._data[key]
