"""ECMA-402 (``Intl``) engines over CLDR data from ``babel``.

Each module formats plain Python values (numbers, times, strings) for one
``Intl`` service; :mod:`seqflow_runtime.js.builtins.intl` is the JS surface
that reads options and wraps them. ``babel`` is imported on first use only
(:func:`.locales.babel_locale`), so a script that never touches ``Intl`` pays
nothing; without it the first use throws a JS ``Error`` naming the ``intl`` extra.

Nothing here keeps a ``babel`` object on a JS value: a JS ``Intl`` object holds
its resolved locale tag and options (strings and numbers), and the locale data
is looked up (cached) per call, so the memory check never walks CLDR tables
and no Python object can reach the guest.
"""
