"""``fetch``, ``Headers``, ``Request`` and ``Response`` (WHATWG Fetch 5 and 6).

Nothing here performs I/O. ``fetch`` turns its arguments into a request as the
caller sees it (``{url, method, headers, body}``, the body extracted with its
content type as Fetch 5.2 says) and registers it with the runtime's host (the
event loop), returning a pending promise; the replay driver later settles it
from a logged or new response via ``rt.intrinsics["settle_fetch"]``. A signal
in the request aborts it: the promise rejects with the signal's reason and the
request is withdrawn from the task's outstanding ones.

A body is held as bytes, or, for a response envelope with ``data``, as that
JSON value (read by ``json()`` without a round trip through text).
"""

from __future__ import annotations

import base64
import json
import math
import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NamedTuple

from seqflow_transpile.utf16 import from_js_string

from .. import ops
from ..binary import bytes_of, make_array_buffer, make_uint8_array
from ..convert import from_python
from ..values import HIDDEN, MISSING, SYM_TO_STRING_TAG, JSObject, JSThrow, type_error, undefined
from .abort import JSAbortSignal
from .blob import JSBlob, JSFormData, parse_multipart
from .url import JSURLSearchParams, parse, parse_query
from .webidl import (
    attribute,
    install_pair_iterable,
    js,
    pairs_from_init,
    require_new,
    settled_promise,
    usv,
    utf8_decode,
)

if TYPE_CHECKING:
    from ..runtime import Runtime


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HTTP_WHITESPACE = "\t\n\r "
#: Methods normalised to upper case (Fetch 2.2.1); any other keeps its case.
_NORMALISED_METHODS = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}
_FORBIDDEN_METHODS = {"CONNECT", "TRACE", "TRACK"}
_NULL_BODY_STATUS = {101, 103, 204, 205, 304}
_REDIRECT_STATUS = {301, 302, 303, 307, 308}
_REDIRECT_MODES = ("follow", "error", "manual")
#: Largest ``retry.maxAttempts`` / ``retry.maxDelay`` a script may write (the performer's policy caps both anyway).
_MAX_RETRY_OPTION = 2**31 - 1


#: Reason phrases by status code (Node's table and Python's agree), read once: an enum lookup per response costs.
_REASON_PHRASES = {status.value: status.phrase for status in HTTPStatus}


def status_text(status: int) -> str:
    """The reason phrase of ``status`` when a response gives none."""
    return _REASON_PHRASES.get(status, "")


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


class Body:
    """A request's or response's body: bytes, or a response envelope's JSON ``data``."""

    __slots__ = ("raw", "data")

    def __init__(self, raw: bytes | None, data: Any = MISSING) -> None:
        self.raw = raw
        self.data = data

    @classmethod
    def of_envelope(cls, envelope: dict[str, Any]) -> Body:
        """The body a response envelope carries."""
        if envelope.get("body") is None and envelope.get("bodyBase64") is None and "data" in envelope:
            return cls(None, envelope["data"])
        if envelope.get("bodyBase64") is not None:
            return cls(base64.b64decode(envelope["bodyBase64"]))
        return cls(response_text(envelope).encode("utf-8", "surrogatepass"))

    def bytes(self) -> bytes:
        """The body's bytes."""
        if self.raw is None:
            return json.dumps(self.data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self.raw

    def text(self) -> str:
        """The body UTF-8 decoded."""
        return utf8_decode(self.bytes())


class JSHeaders(JSObject):
    """A ``Headers``: its header list of (lower-case name, value) and its guard."""

    __slots__ = ("pairs", "immutable")
    class_name = "Headers"

    def __init__(self, proto: JSObject | None, pairs: list[tuple[str, str]], immutable: bool = False) -> None:
        JSObject.__init__(self, proto)
        self.pairs = pairs
        self.immutable = immutable

    def get_combined(self, name: str) -> str | None:
        """Get (Fetch 2.2.2): the values of ``name`` joined with ", ", or ``None``."""
        values = [v for n, v in self.pairs if n == name]
        return ", ".join(values) if values else None

    def sorted_and_combined(self) -> list[tuple[str, str]]:
        """Sort and combine (Fetch 2.2.2): by name, each value of set-cookie kept apart."""
        out: list[tuple[str, str]] = []
        for name in sorted({n for n, _ in self.pairs}):
            if name == "set-cookie":
                out.extend((name, v) for n, v in self.pairs if n == name)
            else:
                out.append((name, self.get_combined(name) or ""))
        return out

    def as_dict(self) -> dict[str, str]:
        """The headers as a request records them (name → combined value)."""
        return {name: self.get_combined(name) or "" for name in dict.fromkeys(n for n, _ in self.pairs)}


class JSBodyHolder(JSObject):
    """What the Body mixin (Fetch 5.3) works on: headers, body, and whether the body was read."""

    __slots__ = ("headers", "body", "body_used")

    def __init__(self, proto: JSObject | None, headers: JSHeaders, body: Body | None) -> None:
        JSObject.__init__(self, proto)
        self.headers = headers
        self.body = body
        self.body_used = False


class RequestParts(NamedTuple):
    """What the Request constructor's steps make before its signal: ``signal`` is the one to follow, if any."""

    method: str
    url: str
    headers: JSHeaders
    body: Body | None
    signal: JSAbortSignal | None
    redirect: str


class JSRequest(JSBodyHolder):
    """A ``Request``: method, URL, signal and redirect mode besides its headers and body."""

    __slots__ = ("method", "url", "signal", "redirect")
    class_name = "Request"

    def __init__(self, proto: JSObject | None, method: str, url: str, headers: JSHeaders, body: Body | None,
                 signal: JSAbortSignal, redirect: str) -> None:
        JSBodyHolder.__init__(self, proto, headers, body)
        self.method = method
        self.url = url
        self.signal = signal
        self.redirect = redirect


class JSResponse(JSBodyHolder):
    """A ``Response``: status, status text, URL, type and whether it was redirected, besides its headers and body."""

    __slots__ = ("status", "status_text", "url", "type", "redirected")
    class_name = "Response"

    def __init__(self, proto: JSObject | None, status: int, status_text: str, headers: JSHeaders,
                 body: Body | None, url: str = "", type_: str = "default", redirected: bool = False) -> None:
        JSBodyHolder.__init__(self, proto, headers, body)
        self.status = status
        self.status_text = status_text
        self.url = url
        self.type = type_
        self.redirected = redirected


def header_name(value: Any, method: str) -> str:
    """A header name (ByteString, a token), lower-cased; else a TypeError naming ``method``."""
    name = from_js_string(ops.to_string(value))
    if not _TOKEN.fullmatch(name):
        raise type_error(f'Headers.{method}: "{name}" is an invalid header name.')
    return name.lower()


def header_value(value: Any, method: str) -> str:
    """A header value, normalised (leading and trailing HTTP whitespace removed), else a TypeError."""
    text = from_js_string(ops.to_string(value)).strip(_HTTP_WHITESPACE)
    if any(c in text for c in "\0\r\n") or any(ord(c) > 0xFF for c in text):
        raise type_error(f'Headers.{method}: "{text}" is an invalid header value.')
    return text


def install(rt: "Runtime") -> None:
    """``Headers``, ``Request``, ``Response`` and ``fetch``, per realm."""
    HP = JSObject(rt.ObjectPrototype)
    QP = JSObject(rt.ObjectPrototype)
    RP = JSObject(rt.ObjectPrototype)
    intrinsics = rt.intrinsics

    # -- Headers (Fetch 5.1) ----------------------------------------------------------------

    def fill_headers(headers: JSHeaders, init: Any) -> None:
        if isinstance(init, JSHeaders):
            headers.pairs.extend(init.pairs)
            return
        pairs = pairs_from_init(rt, init, "Headers")
        if pairs is None:
            if init is not undefined:
                raise type_error("Headers constructor: init must be a sequence of pairs or a record")
            return
        for name, value in pairs:
            headers.pairs.append((header_name(name, "append"), header_value(value, "append")))

    def new_headers(init: Any = undefined, proto: JSObject = HP) -> JSHeaders:
        headers = JSHeaders(proto, [])
        if init is not undefined:
            fill_headers(headers, init)
        return headers

    rt.constructor("Headers", 0, require_new("Headers"),
                   lambda args, nt: new_headers(args[0] if args else undefined, rt.proto_from(nt, HP)), HP)

    def this_headers(this: Any) -> JSHeaders:
        if not isinstance(this, JSHeaders):
            raise type_error('Value of "this" must be of type Headers')
        return this

    def mutable(this: Any) -> JSHeaders:
        headers = this_headers(this)
        if headers.immutable:
            raise type_error("immutable")
        return headers

    def h_append(this: Any, name: Any = undefined, value: Any = undefined, *_: Any) -> Any:
        headers = mutable(this)
        headers.pairs.append((header_name(name, "append"), header_value(value, "append")))
        return undefined

    def h_set(this: Any, name: Any = undefined, value: Any = undefined, *_: Any) -> Any:
        headers = mutable(this)
        key, text = header_name(name, "set"), header_value(value, "set")
        at = next((i for i, (n, _) in enumerate(headers.pairs) if n == key), None)
        headers.pairs[:] = [p for p in headers.pairs if p[0] != key]
        headers.pairs.insert(len(headers.pairs) if at is None else at, (key, text))
        return undefined

    def h_delete(this: Any, name: Any = undefined, *_: Any) -> Any:
        headers = mutable(this)
        key = header_name(name, "delete")
        headers.pairs[:] = [p for p in headers.pairs if p[0] != key]
        return undefined

    def h_get(this: Any, name: Any = undefined, *_: Any) -> Any:
        value = this_headers(this).get_combined(header_name(name, "get"))
        return None if value is None else js(value)

    def h_has(this: Any, name: Any = undefined, *_: Any) -> bool:
        key = header_name(name, "has")
        return any(n == key for n, _ in this_headers(this).pairs)

    def h_get_set_cookie(this: Any, *_: Any) -> Any:
        return rt.new_array([js(v) for n, v in this_headers(this).pairs if n == "set-cookie"])

    for name, fn, n in (("append", h_append, 2), ("delete", h_delete, 1), ("get", h_get, 1),
                        ("getSetCookie", h_get_set_cookie, 0), ("has", h_has, 1), ("set", h_set, 2)):
        rt.define(HP, name, fn, n)
    install_pair_iterable(rt, HP, "Headers",
                          lambda this: [(n, js(v)) for n, v in this_headers(this).sorted_and_combined()])

    # -- bodies (Fetch 5.2) -----------------------------------------------------------------

    def extract(value: Any) -> tuple[Body, str | None]:
        """Extract a body: its bytes and the content type it implies."""
        if isinstance(value, JSURLSearchParams):
            return Body(intrinsics["serialize_query"](value).encode()), \
                "application/x-www-form-urlencoded;charset=UTF-8"
        if isinstance(value, JSFormData):
            data, content_type = intrinsics["form_body"](value)
            return Body(data), content_type
        if isinstance(value, JSBlob):
            return Body(value.data), value.type or None
        data = bytes_of(value)
        if data is not None:
            return Body(bytes(data)), None
        return Body(usv(value).encode("utf-8")), "text/plain;charset=UTF-8"

    def consume(holder: JSBodyHolder) -> Body:
        if holder.body_used:
            raise type_error("Body is unusable: Body has already been read")
        holder.body_used = True
        return holder.body or Body(b"")

    def parse_json(body: Body) -> Any:
        if body.raw is None:
            return from_python(rt, body.data)
        return rt.call_method(intrinsics["JSON"], "parse", js(body.text()))

    def form_data(holder: JSBodyHolder, body: Body) -> Any:
        """The Body mixin's formData() (Fetch 5.3): a multipart or url-encoded body as a FormData."""
        content_type = holder.headers.get_combined("content-type") or ""
        essence = content_type.partition(";")[0].strip(" \t").lower()
        if essence == "multipart/form-data":
            entries = parse_multipart(body.bytes(), content_type)
            if entries is None:
                raise type_error("Failed to parse body as FormData.")
            # A step per part, as JSON.parse spends per member: a body of many parts counts.
            rt.steps_left -= len(entries)
            if rt.steps_left < 0:
                rt.tick()
            new_file = intrinsics["new_file"]
            return intrinsics["new_form_data"]([
                (js(name), js(value) if isinstance(value, str) else new_file(*value)) for name, value in entries])
        if essence == "application/x-www-form-urlencoded":
            return intrinsics["new_form_data"](parse_query(body.text()))
        raise type_error('Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".')

    def reader(kind: str, this_of: Any) -> Any:
        def read(this: Any, *_: Any) -> Any:
            try:
                holder = this_of(this)
                body = consume(holder)
            except JSThrow as exc:
                return settled_promise(rt, lambda: _raise(exc))
            if kind == "text":
                return settled_promise(rt, lambda: js(body.text()))
            if kind == "json":
                return settled_promise(rt, lambda: parse_json(body))
            if kind == "blob":
                content_type = holder.headers.get_combined("content-type") or ""
                return settled_promise(rt, lambda: intrinsics["new_blob"](body.bytes(), content_type.lower()))
            if kind == "formData":
                return settled_promise(rt, lambda: form_data(holder, body))
            if kind == "arrayBuffer":
                return settled_promise(rt, lambda: make_array_buffer(rt, body.bytes()))
            return settled_promise(rt, lambda: make_uint8_array(rt, body.bytes()))

        return read

    def install_body(proto: JSObject, this_of: Any) -> None:
        """The Body mixin (Fetch 5.3) on ``proto``."""
        attribute(rt, proto, "body", lambda this, *_: None)
        attribute(rt, proto, "bodyUsed", lambda this, *_: this_of(this).body_used)
        for kind in ("arrayBuffer", "blob", "bytes", "formData", "json", "text"):
            rt.define(proto, kind, reader(kind, this_of), 0)

    # -- Request (Fetch 5.4) ----------------------------------------------------------------

    def this_request(this: Any) -> JSRequest:
        if not isinstance(this, JSRequest):
            raise type_error('Value of "this" must be of type Request')
        return this

    def request_parts(input_: Any, init: Any, raw_url: bool) -> RequestParts:
        """The Request constructor's steps up to its signal; ``raw_url`` keeps a string URL as given, unparsed
        (``fetch``'s compatibility: the host resolves it). The signal is the one to follow, ``None`` if none."""
        if isinstance(input_, JSRequest):
            method, url, redirect = input_.method, input_.url, input_.redirect
            headers = new_headers(input_.headers)
            body: Body | None = input_.body
            signal: Any = input_.signal
            if body is not None and input_.body_used:
                raise type_error("Cannot construct a Request with a Request object that has already been used.")
        else:
            url = usv(input_)
            if not raw_url:
                href = parse(url, None)
                if href is None:
                    raise type_error(f"Failed to parse URL from {url}")
                url = href
            method, redirect = "GET", "follow"
            headers, body, signal = new_headers(), None, None
        options = init if isinstance(init, JSObject) else None
        if options is not None:
            m = rt.get(options, "method")
            if m is not undefined:
                method = from_js_string(ops.to_string(m))
                if not _TOKEN.fullmatch(method):
                    raise type_error(f"'{method}' is not a valid HTTP method.")
                if method.upper() in _FORBIDDEN_METHODS:
                    raise type_error(f"'{method}' HTTP method is unsupported.")
                if method.upper() in _NORMALISED_METHODS:
                    method = method.upper()
            h = rt.get(options, "headers")
            if h is not undefined:
                headers = new_headers(h)
            s = rt.get(options, "signal")
            if s is not undefined:
                if s is not None and not isinstance(s, JSAbortSignal):
                    raise type_error("Failed to construct 'Request': member signal is not of type AbortSignal.")
                signal = s
            r = rt.get(options, "redirect")
            if r is not undefined:
                redirect = usv(r)
                if redirect not in _REDIRECT_MODES:
                    raise type_error(f"Failed to construct 'Request': '{redirect}' is not a valid value for "
                                     "enumeration RequestRedirect.")
            b = rt.get(options, "body")
            if b is not undefined and b is not None:
                if method in ("GET", "HEAD"):
                    raise type_error("Request with GET/HEAD method cannot have body.")
                body, content_type = extract(b)
                if content_type is not None and not any(n == "content-type" for n, _ in headers.pairs):
                    headers.pairs.append(("content-type", content_type))
        return RequestParts(method, url, headers, body, signal if isinstance(signal, JSAbortSignal) else None,
                            redirect)

    def new_request(input_: Any, init: Any, proto: JSObject = QP) -> JSRequest:
        """The Request constructor's steps (Fetch 5.4): the parts, then a signal following the given one."""
        parts = request_parts(input_, init, False)
        follow = intrinsics["AbortSignal.any"]([] if parts.signal is None else [parts.signal])
        return JSRequest(proto, parts.method, parts.url, parts.headers, parts.body, follow, parts.redirect)

    def request_construct(args: list[Any], new_target: Any) -> JSRequest:
        if not args:
            raise type_error('Failed to construct \'Request\': 1 argument required, but only 0 present.')
        return new_request(args[0], args[1] if len(args) > 1 else undefined, rt.proto_from(new_target, QP))

    rt.constructor("Request", 1, require_new("Request"), request_construct, QP)

    def r_clone(this: Any, *_: Any) -> Any:
        request = this_request(this)
        if request.body_used:
            raise type_error("Request.clone: Body has already been consumed.")
        return JSRequest(QP, request.method, request.url, new_headers(request.headers), request.body,
                         intrinsics["AbortSignal.any"]([request.signal]), request.redirect)

    for name, read in (("method", lambda q: js(q.method)), ("url", lambda q: js(q.url)),
                       ("headers", lambda q: q.headers), ("destination", lambda q: ""),
                       ("referrer", lambda q: "about:client"), ("referrerPolicy", lambda q: ""),
                       ("mode", lambda q: "cors"), ("credentials", lambda q: "same-origin"),
                       ("cache", lambda q: "default"), ("redirect", lambda q: js(q.redirect)),
                       ("integrity", lambda q: ""), ("keepalive", lambda q: False), ("signal", lambda q: q.signal)):
        attribute(rt, QP, name, lambda this, *_, read=read: read(this_request(this)))
    rt.define(QP, "clone", r_clone, 0)
    install_body(QP, this_request)
    QP.write_slot(SYM_TO_STRING_TAG, "Request", 4)

    # -- Response (Fetch 5.5) ---------------------------------------------------------------

    def this_response(this: Any) -> JSResponse:
        if not isinstance(this, JSResponse):
            raise type_error('Value of "this" must be of type Response')
        return this

    def init_response(response: JSResponse, init: Any, body: tuple[Body, str | None] | None) -> JSResponse:
        """Initialize a response (Fetch 5.5): status, status text, headers, then the body."""
        if isinstance(init, JSObject):
            status = rt.get(init, "status")
            if status is not undefined:
                number = ops.to_number(status)
                if not (number == number and 200 <= int(number) <= 599):
                    raise rt.error("RangeError", f'init["status"] must be in the range of 200 to 599, inclusive.')
                response.status = int(number)
            text = rt.get(init, "statusText")
            if text is not undefined:
                response.status_text = from_js_string(ops.to_string(text))
            headers = rt.get(init, "headers")
            if headers is not undefined:
                fill_headers(response.headers, headers)
        if body is not None:
            if response.status in _NULL_BODY_STATUS:
                raise type_error("Response constructor: Invalid response status code " + str(response.status))
            response.body, content_type = body
            if content_type is not None and response.headers.get_combined("content-type") is None:
                response.headers.pairs.append(("content-type", content_type))
        return response

    def response_construct(args: list[Any], new_target: Any) -> JSResponse:
        """new Response(body = null, init = {})."""
        body = args[0] if args else None
        response = JSResponse(rt.proto_from(new_target, RP), 200, "", new_headers(), None)
        return init_response(response, args[1] if len(args) > 1 else undefined,
                             None if body is None or body is undefined else extract(body))

    ctor = rt.constructor("Response", 0, require_new("Response"), response_construct, RP)

    def response_json(this: Any, data: Any = undefined, init: Any = undefined, *_: Any) -> JSResponse:
        """Response.json(data, init)."""
        text = rt.call_method(intrinsics["JSON"], "stringify", data)
        if text is undefined:
            raise type_error("Value is not JSON serializable")
        response = JSResponse(RP, 200, "", new_headers(), None)
        return init_response(response, init, (Body(from_js_string(text).encode("utf-8")), "application/json"))

    def response_error(this: Any, *_: Any) -> JSResponse:
        """Response.error(): a network error."""
        return JSResponse(RP, 0, "", JSHeaders(HP, [], True), None, type_="error")

    def response_redirect(this: Any, url: Any = undefined, status: Any = 302, *_: Any) -> JSResponse:
        """Response.redirect(url, status = 302)."""
        href = parse(usv(url), None)
        if href is None:
            raise type_error(f"Failed to parse URL from {usv(url)}")
        code = ops.to_number(status)
        if code not in _REDIRECT_STATUS:
            raise rt.error("RangeError", f"Invalid status code {ops.to_string(status)}")
        return JSResponse(RP, int(code), "", JSHeaders(HP, [("location", href)], True), None)

    rt.define(ctor, "error", response_error, 0)
    rt.define(ctor, "json", response_json, 1)
    rt.define(ctor, "redirect", response_redirect, 1)

    def clone_response(this: Any, *_: Any) -> JSResponse:
        response = this_response(this)
        if response.body_used:
            raise type_error("Response.clone: Body has already been consumed.")
        return JSResponse(RP, response.status, response.status_text,
                          JSHeaders(HP, list(response.headers.pairs), response.headers.immutable),
                          response.body, response.url, response.type, response.redirected)

    for name, read in (("type", lambda r: r.type), ("url", lambda r: js(r.url)),
                       ("redirected", lambda r: r.redirected), ("status", lambda r: r.status),
                       ("ok", lambda r: 200 <= r.status <= 299), ("statusText", lambda r: js(r.status_text)),
                       ("headers", lambda r: r.headers)):
        attribute(rt, RP, name, lambda this, *_, read=read: read(this_response(this)))
    rt.define(RP, "clone", clone_response, 0)
    install_body(RP, this_response)
    RP.write_slot(SYM_TO_STRING_TAG, "Response", 4)

    # -- fetch (Fetch 6) --------------------------------------------------------------------

    def fetch(this: Any, input_: Any = undefined, init: Any = undefined, *_: Any) -> Any:
        host = getattr(rt, "host", None)
        if host is None:
            raise type_error("fetch is not available: run the script through a flow")
        try:
            # The Request object fetch makes (Fetch 6, step 2) never reaches the script: only its parts are made.
            request = request_parts(input_, init, True)
            retry = retry_option(rt.get(init, "retry")) if isinstance(init, JSObject) else None
        except JSThrow as exc:
            return settled_promise(rt, lambda: _raise(exc))
        # Without a signal to follow, the request's own signal could never abort: it is not made.
        signal = None if request.signal is None else intrinsics["AbortSignal.any"]([request.signal])
        if signal is not None and signal.aborted:
            return settled_promise(rt, lambda: _raise(JSThrow(signal.reason)))
        seen: dict[str, Any] = {"url": request.url, "method": request.method}
        if request.headers.pairs:
            seen["headers"] = request.headers.as_dict()
        if request.body is not None:
            seen["body"] = request.body.text()
        if request.redirect != "follow":
            seen["redirect"] = request.redirect
        if retry is not None:
            seen["retry"] = retry
        promise = host.start_fetch(seen)
        if signal is not None:
            abort_signal = signal

            def abort() -> None:
                if host.withdraw(promise) is not None:
                    intrinsics["reject_promise"](promise, abort_signal.reason)

            abort_signal.algorithms.append(abort)
        return promise

    def retry_option(value: Any) -> dict[str, int] | None:
        """fetch's ``retry`` init member (a seqflow extension): ``false``, or ``{maxAttempts, maxDelay}``."""
        if value is undefined:
            return None
        if value is False:
            return {"maxAttempts": 1}
        if not isinstance(value, JSObject):
            raise type_error("fetch: init.retry must be false or an object {maxAttempts, maxDelay}")
        out: dict[str, int] = {}
        for key, least in (("maxAttempts", 1), ("maxDelay", 0)):
            member = rt.get(value, key)
            if member is undefined:
                continue
            number = ops.to_number(member)
            if not math.isfinite(number) or number != int(number):
                raise type_error(f"fetch: init.retry.{key} must be an integer, got {ops.to_string(member)}")
            if not least <= number <= _MAX_RETRY_OPTION:
                raise type_error(f"fetch: init.retry.{key} must be from {least} to {_MAX_RETRY_OPTION}")
            out[key] = int(number)
        return out

    rt.global_object.put("fetch", rt.native(fetch, "fetch", 1), HIDDEN)

    def settle_fetch(promise: Any, envelope: dict[str, Any], request: dict[str, Any]) -> None:
        """Resolve (or reject, for a network error) a fetch's promise from a response envelope."""
        if envelope.get("error"):
            # Node says only "fetch failed"; the reason stays in the message too (scripts and logs
            # written for seqflow read it there), and is the cause as in Node.
            err = rt.make_error("TypeError", f"fetch failed: {envelope['error']}")
            cause = rt.make_error("Error", str(envelope["error"]))
            if envelope.get("errorCode"):
                # As Node's cause.code (ECONNREFUSED...): the performer's stable reason.
                cause.put("code", js(str(envelope["errorCode"])))
            err.write_slot("cause", cause, HIDDEN)
            intrinsics["reject_promise"](promise, err)
        elif rt.dialect == "sequential":
            intrinsics["resolve_promise"](promise, from_python(rt, response_data(envelope)))
        else:
            status = int(envelope.get("status", 200))
            headers = JSHeaders(HP, [(str(k).lower(), str(v)) for k, v in (envelope.get("headers") or {}).items()],
                                True)
            response = JSResponse(RP, status, str(envelope.get("statusText") or status_text(status)),
                                  headers, Body.of_envelope(envelope), str(envelope.get("url") or request.get("url", "")),
                                  "basic", bool(envelope.get("redirected", False)))
            intrinsics["resolve_promise"](promise, response)

    intrinsics["settle_fetch"] = settle_fetch


def _raise(exc: BaseException) -> Any:
    raise exc
