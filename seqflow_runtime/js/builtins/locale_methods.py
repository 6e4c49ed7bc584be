"""The language's locale-sensitive methods installed with every realm (ECMA-402 §19).

``Number.prototype.toLocaleString`` and ``String.prototype.localeCompare``
(and BigInt's ``toLocaleString``, through an intrinsic) keep the built-in
en-US forms when called without ``locales`` and ``options``; with either they
go through the realm's ``Intl`` (:mod:`.intl`), installed then. Neither
``Intl`` nor the collation tables are imported before that first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import ops
from ..values import type_error, undefined
from .core import this_primitive
from .deferred import method
from .number import locale_format

if TYPE_CHECKING:
    from ..runtime import Runtime
    from .intl import LocaleServices


def services(rt: "Runtime") -> LocaleServices:
    """The realm's Intl services for the language's methods (installing ``Intl`` if it was not)."""
    found: LocaleServices = rt.intrinsics["intl_locale_methods"]
    return found


def install(rt: "Runtime") -> None:
    """The ECMA-402 versions of Number's, BigInt's and String's locale-sensitive methods (§19).

    Called with ``locales`` or ``options`` they go through the realm's ``Intl``
    (installed then, if it was not); without both they keep the built-in
    en-US forms.
    """

    def number_to_locale(x: Any, locales: Any, options: Any) -> str:
        """Number/BigInt ``toLocaleString``: the built-in en-US form without arguments, else a NumberFormat."""
        if locales is undefined and options is undefined:
            return locale_format(x)
        return services(rt).format_number(x, locales, options)

    def number_to_locale_string(this: Any, locales: Any = undefined, options: Any = undefined, *_: Any) -> str:
        x = this_primitive(this, "number", "Number.prototype.toLocaleString")
        return number_to_locale(x, locales, options)

    method(rt, rt.NumberPrototype, "toLocaleString", number_to_locale_string, 0)
    rt.intrinsics["bigint_to_locale_string"] = number_to_locale

    def locale_compare(this: Any, that: Any = undefined, locales: Any = undefined, options: Any = undefined,
                       *_: Any) -> int:
        if this is None or this is undefined:
            raise type_error("String.prototype.localeCompare called on null or undefined")
        s = this if type(this) is str else ops.to_string(this)
        t = that if type(that) is str else ops.to_string(that)
        from ..intl import collation  # its tables wait for the first comparison

        if locales is undefined and options is undefined:
            return collation.compare(s, t)
        return collation.compare(s, t, services(rt).collator(locales, options))

    method(rt, rt.StringPrototype, "localeCompare", locale_compare, 1)
