"""Secrets a script names but never sees: ``{{secrets.NAME}}`` placeholders and their providers.

A script writes ``{{secrets.API_TOKEN}}`` in a request's URL, headers or body.
The request is logged with the placeholder; only the performer, at the moment
it sends the request, asks a provider for the value. So no stored byte holds
the value, and the script, which only ever sees what is logged or answered,
cannot read it. Values the performer substituted are also replaced by their
placeholder in what it answers (error messages, the final URL, response text),
so a server that echoes a secret does not hand it to the script.

A provider is any callable ``name -> value or None``: :class:`EnvSecrets`
(``SEQFLOW_SECRET_<NAME>``, the default), :class:`FileSecrets` (a JSON object
or a dotenv file), or the caller's own function.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol

#: ``{{secrets.NAME}}``: a name is letters, digits and underscores, not starting with a digit.
PLACEHOLDER = re.compile(r"\{\{secrets\.([A-Za-z_][A-Za-z0-9_]*)\}\}")

#: Prefix of the environment variables :class:`EnvSecrets` reads.
ENV_PREFIX = "SEQFLOW_SECRET_"


class SecretProvider(Protocol):
    """Gives a secret's value by name, or ``None`` when it has no such secret."""

    def __call__(self, name: str) -> str | None:
        """The value of secret ``name``, or ``None``."""


class UnknownSecret(Exception):
    """A placeholder names a secret the provider does not have (the message names it, never a value)."""


class EnvSecrets:
    """Secrets from environment variables ``SEQFLOW_SECRET_<NAME>`` (read at each use)."""

    def __init__(self, prefix: str = ENV_PREFIX, environ: Mapping[str, str] | None = None) -> None:
        self.prefix = prefix
        self.environ = os.environ if environ is None else environ

    def __call__(self, name: str) -> str | None:
        """The variable ``<prefix><name>``, or ``None``."""
        return self.environ.get(self.prefix + name)


class FileSecrets:
    """Secrets from a file: a JSON object of strings, or dotenv lines ``NAME=value``.

    The file is read once, when the provider is made; a malformed file is a
    ``ValueError`` naming the line, never showing a value.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        text = Path(path).read_text(encoding="utf-8")
        self.values = _json_secrets(text) if text.lstrip().startswith("{") else _dotenv_secrets(text)

    def __call__(self, name: str) -> str | None:
        """The file's value for ``name``, or ``None``."""
        return self.values.get(name)


def _json_secrets(text: str) -> dict[str, str]:
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"the secrets file is not valid JSON (line {getattr(exc, 'lineno', '?')})") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError("a JSON secrets file must be an object of names to string values")
    return dict(data)


def _dotenv_secrets(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"line {number} of the secrets file is not NAME=value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


class Substitution:
    """Fills placeholders for one request and remembers the values used, to redact them again."""

    def __init__(self, provider: Callable[[str], str | None]) -> None:
        self.provider = provider
        #: value -> placeholder, longest value first when redacting.
        self.used: dict[str, str] = {}
        #: Names of the secrets filled in.
        self.names: set[str] = set()

    def fill(self, text: str) -> str:
        """``text`` with every placeholder replaced by its value; :class:`UnknownSecret` for a missing one."""
        return PLACEHOLDER.sub(self._value, text)

    def _value(self, match: re.Match[str]) -> str:
        name = match.group(1)
        value = self.provider(name)
        if not isinstance(value, str):
            raise UnknownSecret(f"unknown secret {name!r} (set {ENV_PREFIX}{name}, or give the performer a "
                                f"secret provider that has it)")
        self.names.add(name)
        if value:
            self.used[value] = match.group(0)
        return value

    def redact(self, text: str) -> str:
        """``text`` with every value used so far replaced by its placeholder."""
        for value in sorted(self.used, key=len, reverse=True):
            if value in text:
                text = text.replace(value, self.used[value])
        return text

    def redact_bytes(self, data: bytes) -> bytes:
        """A response body with every value used replaced by its placeholder (UTF-8 bytes)."""
        for value in sorted(self.used, key=len, reverse=True):
            raw = value.encode("utf-8", "surrogatepass")
            if raw in data:
                data = data.replace(raw, self.used[value].encode())
        return data


def has_placeholder(text: str | None) -> bool:
    """Whether ``text`` names a secret."""
    return text is not None and PLACEHOLDER.search(text) is not None
