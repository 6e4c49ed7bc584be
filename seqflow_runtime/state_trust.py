"""Which ``vm_state`` a flow accepts from a caller, and how it signs the ones it hands out.

A ``vm_state`` holds the code and every response the program saw, so whoever
can hand one to ``resume`` decides what runs and what the program believes.
A state that comes from outside is therefore accepted only with a valid
HMAC-SHA256 signature made by one of this flow's secrets *for the same task
id*, unless the flow was created with ``unsafe_trust_unsigned_state=True``.
States read from storage are not checked here: storage is trusted.

The signature covers a canonical form of the state (sorted keys, integral
numbers written as integers), so a state that travelled through a JavaScript
client (``JSON.parse``/``JSON.stringify`` turn ``1.0`` into ``1`` and ``-0``
into ``0``, and may reorder keys) still verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any, Union

from .errors import BadArgumentError, CorruptStateError, TamperedStateError, UnsignedStateError

#: The environment variable a flow reads its secret from when none is given.
SECRET_ENV = "SEQFLOW_SECRET"

#: ``create_flow(secret=...)``: one secret, or several (the first signs, all verify: key rotation).
Secret = Union[str, bytes, Sequence[Union[str, bytes]], None]

_HOW_TO_SIGN = (
    f"set a secret with create_flow(secret=...) or the {SECRET_ENV} environment variable so the "
    "states this flow hands out are signed, or resume by task id from storage; "
    "create_flow(unsafe_trust_unsigned_state=True) accepts caller-supplied states as they are "
    "(then anyone who can call resume can run any code as the task)"
)


def _secrets(secret: Secret) -> tuple[bytes, ...]:
    if secret is None:
        secret = os.environ.get(SECRET_ENV) or None
        if secret is None:
            return ()
    if isinstance(secret, (str, bytes)):
        items: list[Any] = [secret]
    else:
        items = list(secret) if isinstance(secret, (list, tuple)) else []
    if not items or not all(isinstance(s, (str, bytes)) and s for s in items):
        raise BadArgumentError("secret must be a non-empty string or bytes, or a non-empty list of them")
    return tuple(s.encode("utf-8") if isinstance(s, str) else s for s in items)


def _normalized(value: Any) -> Any:
    # JavaScript has one number type: 1.0 and 1 (and -0.0 and 0) are the same value and
    # JSON.stringify writes them alike, so the signature must not tell them apart.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _normalized(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalized(v) for v in value]
    return value


def _canonical(task_id: str, state: Mapping[str, Any]) -> bytes:
    """The bytes a signature covers: the task id and the state without its signature."""
    unsigned = {k: v for k, v in state.items() if k != "signature"}
    try:
        return json.dumps({"taskId": task_id, "state": _normalized(unsigned)}, sort_keys=True,
                          separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError, RecursionError) as exc:
        raise CorruptStateError(f"vmState is not JSON data: {exc}") from None


class StateTrust:
    """The signing and verification policy of one flow.

    ``secret`` is one secret or a list (the first signs, every one verifies);
    ``None`` reads ``SEQFLOW_SECRET``. ``unsafe_trust_unsigned_state``
    accepts a state without a signature (a signature that is present is
    still checked when the flow has secrets).
    """

    def __init__(self, secret: Secret = None, unsafe_trust_unsigned_state: bool = False) -> None:
        self.secrets = _secrets(secret)
        self.unsafe_trust_unsigned_state = bool(unsafe_trust_unsigned_state)

    def sign(self, state: dict[str, Any], task_id: str) -> dict[str, Any]:
        """``state`` with a ``signature`` for ``task_id`` (unchanged when the flow has no secret)."""
        if not self.secrets:
            return state
        state["signature"] = hmac.new(self.secrets[0], _canonical(task_id, state), hashlib.sha256).hexdigest()
        return state

    def verify(self, state: Any, task_id: str) -> dict[str, Any]:
        """``state`` if this flow may trust it as task ``task_id``'s; raises otherwise.

        ``UnsignedStateError`` for a state without a signature (or one this
        flow has no secret to check), ``TamperedStateError`` for a signature
        that does not match the content, the task id, or any secret.
        """
        if not isinstance(state, dict):
            raise CorruptStateError("vmState must be a JSON object")
        given = state.get("signature")
        if given is None or not self.secrets:
            if self.unsafe_trust_unsigned_state:
                return state
            if given is None:
                raise UnsignedStateError(f"vmState is not signed, so it cannot be trusted: {_HOW_TO_SIGN}")
            raise UnsignedStateError(
                f"vmState is signed but this flow has no secret to check the signature: {_HOW_TO_SIGN}")
        if isinstance(given, str):
            content = _canonical(task_id, state)
            # Bytes, not str: compare_digest refuses non-ASCII text, and the signature is the caller's.
            signature = given.encode("utf-8", "surrogatepass")
            if any(hmac.compare_digest(signature, hmac.new(key, content, hashlib.sha256).hexdigest().encode())
                   for key in self.secrets):
                return state
        raise TamperedStateError(
            f"vmState signature does not match: the state was altered, signed for another task than "
            f"{task_id!r}, or signed with a secret this flow does not have", task_id=task_id)
