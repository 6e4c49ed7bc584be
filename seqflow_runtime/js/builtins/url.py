"""``URL`` and ``URLSearchParams`` (WHATWG URL Standard, sections 6.1 and 6.2).

Parsing, setters and the ``application/x-www-form-urlencoded`` format are the
``ada-url`` package's: Ada is the WHATWG URL parser Node.js itself uses, so a
script gets Node's answers. It is imported on first use, so a realm that never
touches a URL never loads it. A URL object keeps only its serialization (a
Python string); nothing of Ada's reaches the guest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..values import HIDDEN, SYM_TO_STRING_TAG, JSObject, JSThrow, type_error, undefined
from .webidl import attribute, install_pair_iterable, js, pairs_from_init, require_new, usv

if TYPE_CHECKING:
    from ..runtime import Runtime


def _ada() -> Any:
    """The ``ada_url`` module (a dependency; imported lazily)."""
    import ada_url

    return ada_url


def parse(url: str, base: str | None) -> str | None:
    """The API URL parser (WHATWG URL 4.4): the href of ``url`` against ``base``, or ``None`` on failure."""
    ada = _ada()
    try:
        return str(ada.URL(url, base=base).href if base is not None else ada.URL(url).href)
    except ValueError:
        return None


def parse_query(query: str) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` parsing (WHATWG URL 5.1)."""
    return list(_ada().URLSearchParams(query).items()) if query else []


def serialize_query(pairs: list[tuple[str, str]]) -> str:
    """``application/x-www-form-urlencoded`` serializing (WHATWG URL 5.2)."""
    if not pairs:
        return ""
    params = _ada().URLSearchParams("")
    for name, value in pairs:
        params.append(name, value)
    return str(params)


class JSURLSearchParams(JSObject):
    """A ``URLSearchParams``: its list of (name, value) pairs and the URL it belongs to, if any."""

    __slots__ = ("pairs", "url")
    class_name = "URLSearchParams"

    def __init__(self, proto: JSObject | None, pairs: list[tuple[str, str]]) -> None:
        JSObject.__init__(self, proto)
        self.pairs = pairs
        self.url: JSURL | None = None

    def update(self) -> None:
        """The update steps (6.2): the URL's query becomes the serialization (none if empty)."""
        if self.url is not None:
            self.url.replace("search", serialize_query(self.pairs))


class JSURL(JSObject):
    """A ``URL``: its serialization, with every component read from it, and its query object."""

    __slots__ = ("href", "parts", "query")
    class_name = "URL"

    def __init__(self, proto: JSObject | None, href: str, query: JSURLSearchParams) -> None:
        JSObject.__init__(self, proto)
        self.href = href
        self.parts: dict[str, Any] = _ada().parse_url(href)
        self.query = query
        query.url = self
        query.pairs = parse_query(self.parts["search"][1:])

    def replace(self, component: str, value: str) -> bool:
        """Run ``component``'s setter on the URL; returns whether it took (a failing setter changes nothing)."""
        ada = _ada()
        url = ada.URL(self.href)
        try:
            setattr(url, component, value)
        except ValueError:
            return False
        self.href = str(url.href)
        self.parts = ada.parse_url(self.href)
        return True


#: The URL attributes (6.1), in the order of the interface, that are plain reads of a component.
_COMPONENTS = ("href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname",
               "search", "searchParams", "hash")


def install(rt: "Runtime") -> None:
    """``URL`` and ``URLSearchParams``, per realm."""
    UP = JSObject(rt.ObjectPrototype)
    SP = JSObject(rt.ObjectPrototype)

    def new_params(pairs: list[tuple[str, str]], proto: JSObject = SP) -> JSURLSearchParams:
        return JSURLSearchParams(proto, pairs)

    def invalid_url(input_: str) -> Exception:
        err = rt.make_error("TypeError", "Invalid URL")
        err.write_slot("code", "ERR_INVALID_URL", HIDDEN)
        err.write_slot("input", js(input_), HIDDEN)
        return JSThrow(err)

    def make_url(proto: JSObject, url: Any, base: Any) -> JSURL:
        text = usv(url)
        href = parse(text, None if base is undefined else usv(base))
        if href is None:
            raise invalid_url(text)
        return JSURL(proto, href, new_params([]))

    # -- URL (6.1) ------------------------------------------------------------------------

    def url_construct(args: list[Any], new_target: Any) -> JSURL:
        """new URL(url, base)."""
        if not args:
            raise type_error('The "url" argument must be specified')
        return make_url(rt.proto_from(new_target, UP), args[0], args[1] if len(args) > 1 else undefined)

    ctor = rt.constructor("URL", 1, require_new("URL"), url_construct, UP)

    def can_parse(this: Any, url: Any = undefined, base: Any = undefined, *_: Any) -> bool:
        """URL.canParse(url, base) (6.1)."""
        return parse(usv(url), None if base is undefined else usv(base)) is not None

    def parse_static(this: Any, url: Any = undefined, base: Any = undefined, *_: Any) -> Any:
        """URL.parse(url, base) (6.1): the URL, or null."""
        href = parse(usv(url), None if base is undefined else usv(base))
        return None if href is None else JSURL(UP, href, new_params([]))

    rt.define(ctor, "canParse", can_parse, 1)
    rt.define(ctor, "parse", parse_static, 1)

    def this_url(this: Any) -> JSURL:
        if not isinstance(this, JSURL):
            raise type_error("Receiver must be an instance of class URL")
        return this

    def getter(component: str) -> Any:
        if component == "searchParams":
            return lambda this, *_: this_url(this).query
        if component == "href":
            return lambda this, *_: js(this_url(this).href)
        return lambda this, *_: js(this_url(this).parts[component])

    def set_href(this: Any, value: Any = undefined, *_: Any) -> Any:
        url = this_url(this)
        text = usv(value)
        href = parse(text, None)
        if href is None:
            raise invalid_url(text)
        url.href = href
        url.parts = _ada().parse_url(href)
        url.query.pairs = parse_query(url.parts["search"][1:])
        return undefined

    def set_search(this: Any, value: Any = undefined, *_: Any) -> Any:
        url = this_url(this)
        if url.replace("search", usv(value)):
            url.query.pairs = parse_query(url.parts["search"][1:])
        return undefined

    def setter(component: str) -> Any:
        if component == "href":
            return set_href
        if component == "search":
            return set_search
        if component in ("origin", "searchParams"):
            return None

        def set_(this: Any, value: Any = undefined, *_: Any) -> Any:
            this_url(this).replace(component, usv(value))
            return undefined

        return set_

    for component in _COMPONENTS:
        attribute(rt, UP, component, getter(component), setter(component))
    to_string = lambda this, *_: js(this_url(this).href)  # noqa: E731 - the same behaviour under two names
    rt.define(UP, "toString", to_string, 0)
    rt.define(UP, "toJSON", to_string, 0)
    UP.write_slot(SYM_TO_STRING_TAG, "URL", 4)

    # -- URLSearchParams (6.2) ------------------------------------------------------------

    def params_construct(args: list[Any], new_target: Any) -> JSURLSearchParams:
        """new URLSearchParams(init = "")."""
        init = args[0] if args else undefined
        proto = rt.proto_from(new_target, SP)
        if init is undefined or init is None:
            return new_params([], proto)
        pairs = pairs_from_init(rt, init, "URLSearchParams")
        if pairs is not None:
            return new_params([(usv(n), usv(v)) for n, v in pairs], proto)
        text = usv(init)
        return new_params(parse_query(text[1:] if text.startswith("?") else text), proto)

    rt.constructor("URLSearchParams", 0, require_new("URLSearchParams"), params_construct, SP)

    def this_params(this: Any) -> JSURLSearchParams:
        if not isinstance(this, JSURLSearchParams):
            raise type_error('Value of "this" must be of type URLSearchParams')
        return this

    def need(args: tuple[Any, ...], count: int) -> None:
        if len(args) < count:
            names = '"name" and "value" arguments' if count == 2 else '"name" argument'
            raise type_error(f"The {names} must be specified")

    def append(this: Any, *args: Any) -> Any:
        params = this_params(this)
        need(args, 2)
        params.pairs.append((usv(args[0]), usv(args[1])))
        params.update()
        return undefined

    def matches(args: tuple[Any, ...]) -> Any:
        name = usv(args[0])
        if len(args) > 1 and args[1] is not undefined:
            value = usv(args[1])
            return lambda pair: pair == (name, value)
        return lambda pair: pair[0] == name

    def delete(this: Any, *args: Any) -> Any:
        params = this_params(this)
        need(args, 1)
        hit = matches(args)
        params.pairs[:] = [pair for pair in params.pairs if not hit(pair)]
        params.update()
        return undefined

    def get(this: Any, *args: Any) -> Any:
        params = this_params(this)
        need(args, 1)
        name = usv(args[0])
        return next((js(v) for n, v in params.pairs if n == name), None)

    def get_all(this: Any, *args: Any) -> Any:
        params = this_params(this)
        need(args, 1)
        name = usv(args[0])
        return rt.new_array([js(v) for n, v in params.pairs if n == name])

    def has(this: Any, *args: Any) -> bool:
        params = this_params(this)
        need(args, 1)
        hit = matches(args)
        return any(hit(pair) for pair in params.pairs)

    def set_(this: Any, *args: Any) -> Any:
        params = this_params(this)
        need(args, 2)
        name, value = usv(args[0]), usv(args[1])
        out: list[tuple[str, str]] = []
        for pair in params.pairs:
            if pair[0] != name:
                out.append(pair)
            elif all(n != name for n, _ in out):
                out.append((name, value))
        if all(n != name for n, _ in out):
            out.append((name, value))
        params.pairs[:] = out
        params.update()
        return undefined

    def sort(this: Any, *_: Any) -> Any:
        params = this_params(this)
        # Stable, by UTF-16 code units (the runtime's JS form of a string compares that way).
        params.pairs.sort(key=lambda pair: js(pair[0]))
        params.update()
        return undefined

    def to_string_params(this: Any, *_: Any) -> str:
        return js(serialize_query(this_params(this).pairs))

    attribute(rt, SP, "size", lambda this, *_: len(this_params(this).pairs))
    for name, fn, n in (("append", append, 2), ("delete", delete, 1), ("get", get, 1), ("getAll", get_all, 1),
                        ("has", has, 1), ("set", set_, 2), ("sort", sort, 0)):
        rt.define(SP, name, fn, n)
    install_pair_iterable(rt, SP, "URLSearchParams",
                          lambda this: [(js(n), js(v)) for n, v in this_params(this).pairs])
    rt.define(SP, "toString", to_string_params, 0)
    rt.intrinsics["URLSearchParams.prototype"] = SP
    rt.intrinsics["serialize_query"] = lambda params: serialize_query(this_params(params).pairs)
