"""``crypto`` (W3C WebCrypto): ``getRandomValues``, ``randomUUID`` and ``crypto.subtle``'s digest and HMAC.

Random bytes come from the task's seeded generator (``rt.rng``, the one
``Math.random`` draws from): a replay draws the same bytes at the same points,
so a UUID made before a pause is the same UUID after a cold resume. They are
therefore not secret from whoever holds the task's seed; a script that needs
secret keys must get them from outside.

``crypto.subtle`` methods return promises, as the spec says, settled at once
through the realm's promise jobs (digests and HMAC are computed by
:mod:`hashlib` and :mod:`hmac`); an error in the arguments rejects the promise
rather than throwing.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING, Any, Callable, Final

from .. import ops
from ..binary import JSTypedArray, bytes_of, make_array_buffer
from ..values import CONFIGURABLE, DEFAULT_FLAGS, SYM_TO_STRING_TAG, JSObject, JSThrow, type_error, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime

#: The digests WebCrypto names (case-insensitive) → hashlib's names.
DIGESTS: Final = {"SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
#: getRandomValues fills at most this many bytes at a time.
MAX_RANDOM_BYTES: Final = 65536


class JSCryptoKey(JSObject):
    """A CryptoKey holding an HMAC secret (its bytes never reach JS unless it is extractable)."""

    __slots__ = ("secret", "hash", "extractable", "usages")
    class_name = "CryptoKey"

    def __init__(self, proto: JSObject | None, secret: bytes, hash_name: str, extractable: bool,
                 usages: list[str]) -> None:
        JSObject.__init__(self, proto)
        self.secret = secret
        self.hash = hash_name
        self.extractable = extractable
        self.usages = usages


def install(rt: "Runtime") -> None:
    """``crypto``, ``Crypto``, ``SubtleCrypto`` and ``CryptoKey``."""
    new_dom_exception = rt.intrinsics["new_dom_exception"]
    new_promise = rt.intrinsics["new_promise"]
    resolve_promise = rt.intrinsics["resolve_promise"]
    reject_promise = rt.intrinsics["reject_promise"]

    def dom_error(message: str, name: str) -> JSThrow:
        return JSThrow(new_dom_exception(message, name))

    def illegal(this: Any, *_: Any) -> Any:
        raise type_error("Illegal constructor")

    def interface(name: str) -> JSObject:
        """An interface object that cannot be constructed from JS, and its prototype."""
        proto = JSObject(rt.ObjectPrototype)
        rt.constructor(name, 0, illegal, lambda args, nt: illegal(undefined), proto)
        proto.write_slot(SYM_TO_STRING_TAG, name, CONFIGURABLE)
        return proto

    # -- Crypto -------------------------------------------------------------------------------

    CP = interface("Crypto")
    crypto = JSObject(CP)

    def get_random_values(this: Any, array: Any = undefined, *_: Any) -> Any:
        """Crypto.getRandomValues (WebCrypto 10.1.1): integer typed arrays only, at most 65536 bytes."""
        if not isinstance(array, JSTypedArray) or array.kind.floating:
            raise dom_error("The data argument must be an integer-type TypedArray", "TypeMismatchError")
        span = max(array.byte_span(), 0)
        if span > MAX_RANDOM_BYTES:
            raise dom_error("The requested length exceeds 65,536 bytes", "QuotaExceededError")
        data = array.buffer.data
        if data is not None and span:
            data[array.offset:array.offset + span] = rt.rng.randbytes(span)
        return array

    def random_uuid(this: Any, *_: Any) -> str:
        """Crypto.randomUUID (WebCrypto 10.1.2): a version 4 UUID from 16 random bytes."""
        b = bytearray(rt.rng.randbytes(16))
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        h = b.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    rt.define(CP, "getRandomValues", get_random_values, 1)
    rt.define(CP, "randomUUID", random_uuid, 0)
    rt.global_object.put("crypto", crypto, DEFAULT_FLAGS)

    # -- CryptoKey ------------------------------------------------------------------------------

    KP = interface("CryptoKey")

    def this_key(this: Any) -> JSCryptoKey:
        if isinstance(this, JSCryptoKey):
            return this
        raise type_error("Value of \"this\" must be of type CryptoKey")

    def key_algorithm(key: JSCryptoKey) -> JSObject:
        return rt.object({"name": "HMAC", "hash": rt.object({"name": key.hash}), "length": 8 * len(key.secret)})

    rt.define_getter(KP, "type", lambda this, *_: (this_key(this), "secret")[1])
    rt.define_getter(KP, "extractable", lambda this, *_: this_key(this).extractable)
    rt.define_getter(KP, "algorithm", lambda this, *_: key_algorithm(this_key(this)))
    rt.define_getter(KP, "usages", lambda this, *_: rt.new_array(list(this_key(this).usages)))

    # -- SubtleCrypto ---------------------------------------------------------------------------

    SP = interface("SubtleCrypto")
    subtle = JSObject(SP)
    rt.define_getter(CP, "subtle", lambda this, *_: subtle)

    def settled(compute: Callable[[], Any]) -> Any:
        """A promise of ``compute()``: fulfilled with its value, or rejected with what it threw."""
        promise = new_promise()
        try:
            value = compute()
        except JSThrow as exc:
            reject_promise(promise, rt.caught(exc))
        else:
            resolve_promise(promise, value)
        return promise

    def algorithm_name(algorithm: Any) -> str:
        """The ``name`` of an AlgorithmIdentifier (a string or ``{name}``)."""
        if isinstance(algorithm, JSObject):
            name = algorithm.get("name")
            if name is undefined:
                raise type_error("Algorithm: name: Missing or not a string")
            return ops.to_string(name)
        return ops.to_string(algorithm)

    def digest_name(algorithm: Any) -> str:
        """A digest's canonical name ("SHA-256"); NotSupportedError for any other."""
        name = algorithm_name(algorithm).upper()
        if name not in DIGESTS:
            raise dom_error("Unrecognized algorithm name", "NotSupportedError")
        return name

    def buffer_source(value: Any, method: str, position: str) -> bytes:
        data = bytes_of(value)
        if data is None:
            raise type_error(f"Failed to execute '{method}' on 'SubtleCrypto': {position} argument is not instance of"
                             " ArrayBuffer, Buffer, TypedArray, or DataView.")
        return data

    def digest(this: Any, algorithm: Any = undefined, data: Any = undefined, *_: Any) -> Any:
        """SubtleCrypto.digest (WebCrypto 14.3.5): SHA-1/256/384/512, a promise of an ArrayBuffer."""
        def compute() -> Any:
            name = digest_name(algorithm)
            payload = buffer_source(data, "digest", "2nd")
            return make_array_buffer(rt, hashlib.new(DIGESTS[name], payload).digest())
        return settled(compute)

    def hmac_key(algorithm: Any, key: Any, usage: str) -> JSCryptoKey:
        if algorithm_name(algorithm).upper() != "HMAC":
            raise dom_error("Unrecognized algorithm name", "NotSupportedError")
        if not isinstance(key, JSCryptoKey):
            raise type_error("The \"key\" argument must be an instance of CryptoKey.")
        if usage not in key.usages:
            raise dom_error(f"Unable to use this key to {usage}", "InvalidAccessError")
        return key

    def import_key(this: Any, fmt: Any = undefined, key_data: Any = undefined, algorithm: Any = undefined,
                   extractable: Any = undefined, usages: Any = undefined, *_: Any) -> Any:
        """SubtleCrypto.importKey (14.3.9) for HMAC keys in the "raw" format."""
        def compute() -> Any:
            if ops.to_string(fmt) != "raw":
                raise dom_error("Unsupported key format (only \"raw\" HMAC keys)", "NotSupportedError")
            if algorithm_name(algorithm).upper() != "HMAC":
                raise dom_error("Unrecognized algorithm name", "NotSupportedError")
            hash_arg = algorithm.get("hash") if isinstance(algorithm, JSObject) else undefined
            if hash_arg is undefined:
                raise type_error("Algorithm: hash: Missing or not an AlgorithmIdentifier")
            secret = buffer_source(key_data, "importKey", "2nd")
            if not secret:
                raise dom_error("Zero-length key is not supported", "DataError")
            wanted = [ops.to_string(u) for u in rt.iterate(usages)]
            if any(u not in ("sign", "verify") for u in wanted):
                raise dom_error("Unsupported key usage for an HMAC key", "SyntaxError")
            return JSCryptoKey(KP, secret, digest_name(hash_arg), ops.truthy(extractable), wanted)
        return settled(compute)

    def export_key(this: Any, fmt: Any = undefined, key: Any = undefined, *_: Any) -> Any:
        """SubtleCrypto.exportKey (14.3.10): an extractable HMAC key's raw bytes."""
        def compute() -> Any:
            if ops.to_string(fmt) != "raw":
                raise dom_error("Unsupported key format (only \"raw\" HMAC keys)", "NotSupportedError")
            if not isinstance(key, JSCryptoKey):
                raise type_error("The \"key\" argument must be an instance of CryptoKey.")
            if not key.extractable:
                raise dom_error("key is not extractable", "InvalidAccessError")
            return make_array_buffer(rt, key.secret)
        return settled(compute)

    def mac(key: JSCryptoKey, data: bytes) -> bytes:
        return hmac.new(key.secret, data, DIGESTS[key.hash]).digest()

    def sign(this: Any, algorithm: Any = undefined, key: Any = undefined, data: Any = undefined, *_: Any) -> Any:
        """SubtleCrypto.sign (14.3.3) with an HMAC key."""
        def compute() -> Any:
            k = hmac_key(algorithm, key, "sign")
            return make_array_buffer(rt, mac(k, buffer_source(data, "sign", "3rd")))
        return settled(compute)

    def verify(this: Any, algorithm: Any = undefined, key: Any = undefined, signature: Any = undefined,
               data: Any = undefined, *_: Any) -> Any:
        """SubtleCrypto.verify (14.3.4) with an HMAC key (a constant-time comparison)."""
        def compute() -> Any:
            k = hmac_key(algorithm, key, "verify")
            expected = buffer_source(signature, "verify", "3rd")
            return hmac.compare_digest(mac(k, buffer_source(data, "verify", "4th")), expected)
        return settled(compute)

    rt.define(SP, "digest", digest, 2)
    rt.define(SP, "importKey", import_key, 5)
    rt.define(SP, "exportKey", export_key, 2)
    rt.define(SP, "sign", sign, 3)
    rt.define(SP, "verify", verify, 4)
