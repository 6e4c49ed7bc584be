"""Plural categories: ECMA-402 §16 (Intl.PluralRules) over CLDR plural rules (``babel``)."""

from __future__ import annotations

from decimal import Decimal

from .locales import babel_locale

#: CLDR's categories; a locale lists the ones it uses alphabetically with "other" last, as ICU does.
CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def _rule(locale: str, ordinal: bool) -> object:
    loc = babel_locale(locale)
    return loc.ordinal_form if ordinal else loc.plural_form


def select(locale: str, ordinal: bool, value: Decimal) -> str:
    """ResolvePlural (§16.5.3) for the already rounded, non-negative ``value`` (its visible digits count)."""
    rule = _rule(locale, ordinal)
    return str(rule(value))  # type: ignore[operator]


def categories(locale: str, ordinal: bool) -> list[str]:
    """The locale's categories for ``resolvedOptions().pluralCategories``."""
    tags = set(getattr(_rule(locale, ordinal), "tags", ())) | {"other"}
    return sorted(tags - {"other"}) + ["other"]
