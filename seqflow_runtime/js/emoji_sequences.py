"""The emoji sequences behind the ES2024 properties of strings (``\\p{RGI_Emoji}`` with ``v``).

ECMA-262 22.2.2.9 (table "Binary Unicode properties of strings") defines
``Basic_Emoji``, ``Emoji_Keycap_Sequence``, ``RGI_Emoji_Modifier_Sequence``,
``RGI_Emoji_Flag_Sequence``, ``RGI_Emoji_Tag_Sequence``,
``RGI_Emoji_ZWJ_Sequence`` and their union ``RGI_Emoji`` by UTS #51's
emoji-sequences and emoji-zwj-sequences data.  Keycaps and the three tag
sequences are fixed by the standard and spelled here; the rest is read from
the ``emoji`` package (the ``emoji`` extra), whose table lists every RGI emoji
as "fully-qualified" plus the skin tones and hair styles as "component".
"""

from __future__ import annotations

import functools

__all__ = ["sequences"]

# Status codes of ``emoji.EMOJI_DATA`` (emoji.unicode_codes.data_dict).
_COMPONENT = 1
_FULLY_QUALIFIED = 2

_REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)
_SKIN_TONES = range(0x1F3FB, 0x1F400)


def _keycaps() -> frozenset[str]:
    return frozenset(f"{key}\ufe0f\u20e3" for key in "#*0123456789")


def _tag_sequences() -> frozenset[str]:
    # The black flag, the tag letters of a subdivision (England, Scotland, Wales), the cancel tag.
    return frozenset(
        "\U0001f3f4" + "".join(chr(0xE0000 + ord(ch)) for ch in subdivision) + "\U000e007f"
        for subdivision in ("gbeng", "gbsct", "gbwls")
    )


def _kind(text: str) -> str:
    """The property of strings a single RGI emoji belongs to (UTS #51 ED-20..ED-27)."""
    if text.endswith("\u20e3"):
        return "Emoji_Keycap_Sequence"
    if text.endswith("\U000e007f"):
        return "RGI_Emoji_Tag_Sequence"
    if "\u200d" in text:
        return "RGI_Emoji_ZWJ_Sequence"
    if len(text) == 2 and all(ord(ch) in _REGIONAL_INDICATORS for ch in text):
        return "RGI_Emoji_Flag_Sequence"
    if len(text) == 2 and ord(text[1]) in _SKIN_TONES:
        return "RGI_Emoji_Modifier_Sequence"
    return "Basic_Emoji"


@functools.cache
def _rgi_table() -> dict[str, frozenset[str]] | None:
    """Every RGI emoji by property, or ``None`` without the ``emoji`` package."""
    try:
        from emoji import EMOJI_DATA
    except ImportError:
        return None
    collected: dict[str, set[str]] = {}
    for text, entry in EMOJI_DATA.items():
        if entry.get("status") in (_COMPONENT, _FULLY_QUALIFIED):
            collected.setdefault(_kind(text), set()).add(text)
    table = {name: frozenset(texts) for name, texts in collected.items()}
    table["RGI_Emoji"] = frozenset(text for texts in table.values() for text in texts)
    return table


def sequences(name: str) -> frozenset[str] | None:
    """The strings (of code points) of the property of strings ``name``.

    ``None`` when its data is not available: every property but the keycaps
    and tag sequences needs the ``emoji`` package.
    """
    if name == "Emoji_Keycap_Sequence":
        return _keycaps()
    if name == "RGI_Emoji_Tag_Sequence":
        return _tag_sequences()
    table = _rgi_table()
    return None if table is None else table.get(name, frozenset())
