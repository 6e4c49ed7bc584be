"""Guest I/O: ``fetch``, ``Response``/``Headers``, timers and ``queueMicrotask``.

Nothing here performs I/O. ``fetch`` registers a request with the runtime's
host (the event loop) and returns a pending promise; the replay driver later
settles it from a logged or new response via ``rt.intrinsics["settle_fetch"]``.
"""

from __future__ import annotations

import base64
import json
import math
from typing import TYPE_CHECKING, Any

from seqflow_transpile.utf16 import from_js_string, to_js_string

from .. import ops
from ..convert import from_python
from ..values import (
    HIDDEN,
    SYM_ITERATOR,
    SYM_TO_STRING_TAG,
    JSArray,
    JSObject,
    call,
    is_callable,
    type_error,
    undefined,
)

if TYPE_CHECKING:
    from ..runtime import Runtime

STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently",
               302: "Found", 304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
               404: "Not Found", 409: "Conflict", 422: "Unprocessable Entity", 429: "Too Many Requests",
               500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class JSHeaders(JSObject):
    """A ``Headers`` object: lower-cased names to values, in insertion order."""

    __slots__ = ("entries",)
    class_name = "Headers"

    def __init__(self, proto: JSObject | None, entries: dict[str, str]) -> None:
        JSObject.__init__(self, proto)
        self.entries = entries


class JSResponse(JSObject):
    """A ``Response``: the envelope a resume delivered, read through ``json()``/``text()``."""

    __slots__ = ("envelope", "body_used")
    class_name = "Response"

    def __init__(self, proto: JSObject | None, envelope: dict[str, Any]) -> None:
        JSObject.__init__(self, proto)
        self.envelope = envelope
        self.body_used = False


def response_text(envelope: dict[str, Any]) -> str:
    """The body of a response envelope as text (``body``, ``bodyBase64`` or JSON of ``data``)."""
    if envelope.get("body") is not None:
        return str(envelope["body"])
    if envelope.get("bodyBase64") is not None:
        return base64.b64decode(envelope["bodyBase64"]).decode("utf-8", "replace")
    if "data" in envelope:
        return json.dumps(envelope["data"], ensure_ascii=False, separators=(",", ":"))
    return ""


def response_data(envelope: dict[str, Any]) -> Any:
    """The JSON value of a response envelope (``data``, else the body parsed; else the text)."""
    if "data" in envelope:
        return envelope["data"]
    text = response_text(envelope)
    try:
        return json.loads(text)
    except ValueError:
        return text


def headers_of(value: Any) -> dict[str, str]:
    """Normalise guest-supplied headers (object, array of pairs, Headers) to a dict."""
    out: dict[str, str] = {}
    if value is undefined or value is None:
        return out
    if isinstance(value, JSHeaders):
        return dict(value.entries)
    if isinstance(value, JSArray):
        for pair in value.items:
            if isinstance(pair, JSArray) and len(pair.items) >= 2:
                out[from_js_string(ops.to_string(pair.items[0])).lower()] = from_js_string(ops.to_string(pair.items[1]))
        return out
    if isinstance(value, JSObject):
        for key in value.enumerable_own_keys():
            out[from_js_string(key).lower()] = from_js_string(ops.to_string(value.get(key)))
    return out


def illegal_constructor(this: Any, *_: Any) -> Any:
    """``Headers()``/``Response()`` without ``new``."""
    raise type_error("Illegal constructor")


#: The largest timer delay Node honours (ms); larger ones become 1 ms.
TIMEOUT_MAX = 2**31 - 1


def install(rt: "Runtime") -> None:
    """``fetch``, ``Headers``, ``Response``, ``setTimeout`` and friends."""
    HP = JSObject(rt.ObjectPrototype)
    RP = JSObject(rt.ObjectPrototype)

    def new_headers(entries: dict[str, str]) -> JSHeaders:
        return JSHeaders(HP, entries)

    # -- Headers ------------------------------------------------------------------------

    def this_headers(this: Any) -> JSHeaders:
        if not isinstance(this, JSHeaders):
            raise type_error("Illegal invocation: not a Headers object")
        return this

    def h_get(this: Any, name: Any = undefined, *_: Any) -> Any:
        value = this_headers(this).entries.get(from_js_string(ops.to_string(name)).lower())
        return None if value is None else to_js_string(value)

    def h_has(this: Any, name: Any = undefined, *_: Any) -> bool:
        return from_js_string(ops.to_string(name)).lower() in this_headers(this).entries

    def h_set(this: Any, name: Any = undefined, value: Any = undefined, *_: Any) -> Any:
        this_headers(this).entries[from_js_string(ops.to_string(name)).lower()] = from_js_string(ops.to_string(value))
        return undefined

    def h_delete(this: Any, name: Any = undefined, *_: Any) -> Any:
        this_headers(this).entries.pop(from_js_string(ops.to_string(name)).lower(), None)
        return undefined

    def h_for_each(this: Any, fn: Any = undefined, this_arg: Any = undefined, *_: Any) -> Any:
        for k, v in list(this_headers(this).entries.items()):
            call(fn, this_arg, to_js_string(v), to_js_string(k), this)
        return undefined

    def h_entries(this: Any, *_: Any) -> Any:
        pairs = [rt.new_array([to_js_string(k), to_js_string(v)]) for k, v in this_headers(this).entries.items()]
        return rt.call_method(rt.new_array(pairs), "values")

    def headers_construct(args: list[Any], new_target: Any) -> JSHeaders:
        h = JSHeaders(rt.proto_from(new_target, HP), headers_of(args[0] if args else undefined))
        return h

    rt.constructor("Headers", 0, illegal_constructor, headers_construct, HP)
    for name, fn, n in (("get", h_get, 1), ("has", h_has, 1), ("set", h_set, 2), ("append", h_set, 2),
                        ("delete", h_delete, 1), ("forEach", h_for_each, 1), ("entries", h_entries, 0)):
        rt.define(HP, name, fn, n)
    HP.write_slot(SYM_ITERATOR, HP.get("entries"), HIDDEN)
    HP.write_slot(SYM_TO_STRING_TAG, "Headers", 4)

    # -- Response -----------------------------------------------------------------------

    def make_response(envelope: dict[str, Any], request: dict[str, Any]) -> JSResponse:
        status = int(envelope.get("status", 200))
        r = JSResponse(RP, envelope)
        r.props = {
            "status": status,
            "ok": 200 <= status <= 299,
            "statusText": to_js_string(str(envelope.get("statusText") or STATUS_TEXT.get(status, ""))),
            "headers": new_headers({str(k).lower(): str(v) for k, v in (envelope.get("headers") or {}).items()}),
            "url": to_js_string(str(request.get("url", ""))),
            "redirected": False,
            "type": "basic",
        }
        return r

    def this_response(this: Any) -> JSResponse:
        if not isinstance(this, JSResponse):
            raise type_error("Illegal invocation: not a Response object")
        if this.body_used:
            raise type_error("Body is unusable: Body has already been read")
        this.body_used = True
        return this

    resolved = rt.intrinsics

    def settled_promise(produce: Any) -> Any:
        p = resolved["new_promise"]()
        try:
            resolved["resolve_promise"](p, produce())
        except rt.Catchable as exc:
            resolved["reject_promise"](p, rt.caught(exc))
        return p

    def r_json(this: Any, *_: Any) -> Any:
        r = this_response(this)

        def produce() -> Any:
            if "data" in r.envelope:
                return from_python(rt, r.envelope["data"])
            text = response_text(r.envelope)
            try:
                return from_python(rt, json.loads(text))
            except ValueError:
                raise rt.error("SyntaxError", f"Unexpected token in JSON: {text[:40]!r}") from None

        return settled_promise(produce)

    def r_text(this: Any, *_: Any) -> Any:
        r = this_response(this)
        return settled_promise(lambda: to_js_string(response_text(r.envelope)))

    def r_clone(this: Any, *_: Any) -> Any:
        if not isinstance(this, JSResponse):
            raise type_error("Illegal invocation: not a Response object")
        copy = JSResponse(RP, this.envelope)
        copy.props = dict(this.props)
        return copy

    rt.constructor("Response", 0, illegal_constructor, None, RP)
    rt.define(RP, "json", r_json, 0)
    rt.define(RP, "text", r_text, 0)
    rt.define(RP, "clone", r_clone, 0)
    rt.define_getter(RP, "bodyUsed", lambda this, *_: bool(getattr(this, "body_used", False)))
    RP.write_slot(SYM_TO_STRING_TAG, "Response", 4)

    # -- fetch ----------------------------------------------------------------------------

    def fetch(this: Any, input_: Any = undefined, init: Any = undefined, *_: Any) -> Any:
        host = getattr(rt, "host", None)
        if host is None:
            raise type_error("fetch is not available: run the script through a flow")
        if isinstance(input_, JSObject) and not isinstance(input_, JSResponse) and input_.has("url"):
            url_value = input_.get("url")
        else:
            url_value = input_
        url = from_js_string(ops.to_string(url_value))
        method, headers, body = "GET", {}, None
        if isinstance(init, JSObject):
            m = init.get("method")
            if m is not undefined:
                method = from_js_string(ops.to_string(m)).upper()
            headers = headers_of(init.get("headers"))
            b = init.get("body")
            if b is not undefined and b is not None:
                body = from_js_string(ops.to_string(b))
        request: dict[str, Any] = {"url": url, "method": method}
        if headers:
            request["headers"] = headers
        if body is not None:
            request["body"] = body
        return host.start_fetch(request)

    rt.global_object.put("fetch", rt.native(fetch, "fetch", 1), HIDDEN)

    def settle_fetch(promise: Any, envelope: dict[str, Any], request: dict[str, Any]) -> None:
        """Resolve (or reject, for a network error) a fetch's promise from a response envelope."""
        if envelope.get("error"):
            err = rt.make_error("TypeError", f"fetch failed: {envelope['error']}")
            resolved["reject_promise"](promise, err)
        elif rt.dialect == "sequential":
            resolved["resolve_promise"](promise, from_python(rt, response_data(envelope)))
        else:
            resolved["resolve_promise"](promise, make_response(envelope, request))

    rt.intrinsics["settle_fetch"] = settle_fetch

    # -- timers ----------------------------------------------------------------------------

    def set_timer(repeat: bool) -> Any:
        def schedule(this: Any, fn: Any = undefined, delay: Any = undefined, *args: Any) -> int:
            host = getattr(rt, "host", None)
            if host is None:
                raise type_error("timers are not available: run the script through a flow")
            if not is_callable(fn):
                raise type_error("The \"callback\" argument must be of type function")
            return int(host.set_timer(timer_delay(delay), fn, args, repeat))

        return schedule

    def timer_delay(delay: Any) -> float:
        # Node's rule: a delay outside [1, 2**31 - 1] (NaN, negative, 0, huge,
        # Infinity) becomes 1 ms; too large a one is reported as Node warns.
        # The loop's clock counts whole ms, so a fraction fires at the next
        # whole ms, as in Node (and the task's wake_at is a time that is due).
        ms = ops.to_number(delay)
        if 1 <= ms <= TIMEOUT_MAX:
            return float(math.ceil(ms))
        if ms > TIMEOUT_MAX:
            rt.record_console("warn", f"TimeoutOverflowWarning: {ops.to_string(ms)} does not fit into "
                                      "a 32-bit signed integer.\nTimeout duration was set to 1.")
        return 1.0

    def clear_timer(this: Any, timer_id: Any = undefined, *_: Any) -> Any:
        # Like Node, an id is a number or its string; anything else clears nothing.
        host = getattr(rt, "host", None)
        key = ops.to_string(timer_id) if ops.is_number(timer_id) or isinstance(timer_id, str) else ""
        if host is not None and key.isdigit() and key == str(int(key)):
            host.clear_timer(int(key))
        return undefined

    def queue_microtask(this: Any, fn: Any = undefined, *_: Any) -> Any:
        if not is_callable(fn):
            raise type_error("The \"callback\" argument must be of type function")
        rt.jobs.enqueue(lambda: call(fn, undefined))
        return undefined

    for name, fn, n in (("setTimeout", set_timer(False), 2), ("setInterval", set_timer(True), 2),
                        ("clearTimeout", clear_timer, 1), ("clearInterval", clear_timer, 1),
                        ("queueMicrotask", queue_microtask, 1)):
        rt.global_object.put(name, rt.native(fn, name, n), HIDDEN)
