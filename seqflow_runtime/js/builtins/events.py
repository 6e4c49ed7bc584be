"""``EventTarget`` and ``Event`` (WHATWG DOM 2.2-2.9), without a tree: an event is dispatched at its target only.

A target keeps its listeners in order (type, callback, capture, once) and its
event handlers (``onabort``...): an event handler is a listener registered
where it was first set, whose callback is the handler's current value (HTML
8.1.8.1). A listener that throws stops the dispatch and the exception reaches
the code that caused it (Node reports it as uncaught instead). Not provided:
the ``passive`` and ``signal`` listener options, ``timeStamp``, ``initEvent``,
``CustomEvent``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .. import ops
from ..values import CONFIGURABLE, ENUMERABLE, SYM_TO_STRING_TAG, JSObject, JSThrow, call, is_callable, type_error, undefined
from .webidl import attribute, js, require_new

if TYPE_CHECKING:
    from ..runtime import Runtime

#: The callback of an event handler's listener: the handler's current value is called.
HANDLER = object()


class Listener:
    """An event listener (DOM 2.7)."""

    __slots__ = ("type", "callback", "capture", "once", "removed")

    def __init__(self, type_: str, callback: Any, capture: bool, once: bool) -> None:
        self.type = type_
        self.callback = callback
        self.capture = capture
        self.once = once
        self.removed = False


class JSEventTarget(JSObject):
    """An EventTarget: its listeners in order and its event handlers by event type."""

    __slots__ = ("listeners", "handlers")
    class_name = "EventTarget"

    def __init__(self, proto: JSObject | None) -> None:
        JSObject.__init__(self, proto)
        self.listeners: list[Listener] = []
        self.handlers: dict[str, Any] = {}

    def remove(self, listener: Listener) -> None:
        """Remove an event listener (DOM 2.7)."""
        listener.removed = True
        self.listeners.remove(listener)

    def set_handler(self, type_: str, value: Any) -> None:
        """Set an event handler attribute (HTML 8.1.8.1): a non-object removes it."""
        if isinstance(value, JSObject):
            if type_ not in self.handlers:
                self.listeners.append(Listener(type_, HANDLER, False, False))
            self.handlers[type_] = value
        elif self.handlers.pop(type_, None) is not None:
            for listener in [entry for entry in self.listeners if entry.callback is HANDLER and entry.type == type_]:
                self.remove(listener)


class JSEvent(JSObject):
    """An Event: its type and flags, and where its dispatch is."""

    __slots__ = ("type", "bubbles", "cancelable", "composed", "trusted", "target", "current_target", "phase",
                 "canceled", "stop", "stop_immediate", "dispatching")
    class_name = "Event"

    def __init__(self, proto: JSObject | None, type_: str, bubbles: bool = False, cancelable: bool = False,
                 composed: bool = False, trusted: bool = False) -> None:
        JSObject.__init__(self, proto)
        self.type = type_
        self.bubbles = bubbles
        self.cancelable = cancelable
        self.composed = composed
        self.trusted = trusted
        self.target: Any = None
        self.current_target: Any = None
        self.phase = 0
        self.canceled = False
        self.stop = False
        self.stop_immediate = False
        self.dispatching = False


#: The eventPhase constants (DOM 2.2), on the constructor (Node has them there only).
PHASES = (("NONE", 0), ("CAPTURING_PHASE", 1), ("AT_TARGET", 2), ("BUBBLING_PHASE", 3))


def install(rt: "Runtime") -> None:
    """``EventTarget``, ``Event``, and ``rt.intrinsics['dispatch_event']``/``['new_event']`` for other built-ins."""
    TP = JSObject(rt.ObjectPrototype)
    EP = JSObject(rt.ObjectPrototype)

    def dispatch(target: JSEventTarget, event: JSEvent) -> bool:
        """Dispatch ``event`` at ``target`` (DOM 2.9, at-target phase only): whether it was not canceled."""
        event.target = event.current_target = target
        event.phase = 2
        event.dispatching = True
        try:
            for listener in list(target.listeners):
                if event.stop_immediate:
                    break
                if listener.removed or listener.type != event.type:
                    continue
                if listener.once:
                    target.remove(listener)
                callback = target.handlers.get(event.type) if listener.callback is HANDLER else listener.callback
                if is_callable(callback):
                    call(callback, target, event)
                elif isinstance(callback, JSObject) and listener.callback is not HANDLER:
                    call(rt.get(callback, "handleEvent"), callback, event)
        finally:
            event.current_target = None
            event.phase = 0
            event.dispatching = False
        return not event.canceled

    rt.intrinsics["dispatch_event"] = dispatch
    rt.intrinsics["new_event"] = lambda type_: JSEvent(EP, type_, trusted=True)

    # -- EventTarget (DOM 2.7) ----------------------------------------------------------------

    rt.constructor("EventTarget", 0, require_new("EventTarget"),
                   lambda args, nt: JSEventTarget(rt.proto_from(nt, TP)), TP)
    rt.intrinsics["EventTarget.prototype"] = TP

    def this_target(this: Any) -> JSEventTarget:
        if not isinstance(this, JSEventTarget):
            raise type_error('Value of "this" must be of type EventTarget')
        return this

    def flags(options: Any, with_once: bool) -> tuple[bool, bool]:
        """Flatten more options (DOM 2.7): capture, and once."""
        if not isinstance(options, JSObject):
            return ops.truthy(options), False
        capture = ops.truthy(rt.get(options, "capture"))
        return capture, with_once and ops.truthy(rt.get(options, "once"))

    def listener_args(this: Any, args: tuple[Any, ...], with_once: bool) -> tuple[JSEventTarget, str, Any, bool, bool]:
        target = this_target(this)
        if len(args) < 2:
            raise type_error('The "type" and "listener" arguments must be specified')
        capture, once = flags(args[2] if len(args) > 2 else undefined, with_once)
        return target, ops.to_string(args[0]), args[1], capture, once

    def find(target: JSEventTarget, type_: str, callback: Any, capture: bool) -> Listener | None:
        return next((entry for entry in target.listeners
                     if entry.type == type_ and entry.callback is callback and entry.capture == capture), None)

    def add_event_listener(this: Any, *args: Any) -> Any:
        """addEventListener(type, callback, options) (DOM 2.7): a null callback or a duplicate adds nothing."""
        target, type_, callback, capture, once = listener_args(this, args, True)
        if isinstance(callback, JSObject) and find(target, type_, callback, capture) is None:
            target.listeners.append(Listener(type_, callback, capture, once))
        return undefined

    def remove_event_listener(this: Any, *args: Any) -> Any:
        """removeEventListener(type, callback, options) (DOM 2.7)."""
        target, type_, callback, capture, _ = listener_args(this, args, False)
        found = find(target, type_, callback, capture)
        if found is not None:
            target.remove(found)
        return undefined

    def dispatch_event(this: Any, event: Any = undefined, *_: Any) -> bool:
        """dispatchEvent(event) (DOM 2.7): an untrusted dispatch; false if a listener canceled it."""
        target = this_target(this)
        if not isinstance(event, JSEvent):
            raise type_error('The "event" argument must be an instance of Event.')
        if event.dispatching:
            raise JSThrow(rt.intrinsics["new_dom_exception"](f"The event \"{event.type}\" is already being dispatched",
                                                             "InvalidStateError"))
        event.trusted = False
        return dispatch(target, event)

    rt.define(TP, "addEventListener", add_event_listener, 2)
    rt.define(TP, "removeEventListener", remove_event_listener, 2)
    rt.define(TP, "dispatchEvent", dispatch_event, 1)
    TP.write_slot(SYM_TO_STRING_TAG, "EventTarget", CONFIGURABLE)

    # -- Event (DOM 2.2) ----------------------------------------------------------------------

    def event_construct(args: list[Any], new_target: Any) -> JSEvent:
        if not args:
            raise type_error('The "type" argument must be specified')
        init = args[1] if len(args) > 1 else undefined
        if init is not undefined and init is not None and not isinstance(init, JSObject):
            raise type_error('The "options" argument must be of type object.')

        def option(name: str) -> bool:
            return isinstance(init, JSObject) and ops.truthy(rt.get(init, name))

        return JSEvent(rt.proto_from(new_target, EP), ops.to_string(args[0]), option("bubbles"),
                       option("cancelable"), option("composed"))

    ctor = rt.constructor("Event", 1, require_new("Event"), event_construct, EP)

    def this_event(this: Any) -> JSEvent:
        if not isinstance(this, JSEvent):
            raise type_error('Value of "this" must be of type Event')
        return this

    def reader(read: Callable[[JSEvent], Any]) -> Callable[..., Any]:
        return lambda this, *_: read(this_event(this))

    def cancel(event: JSEvent) -> None:
        if event.cancelable:
            event.canceled = True

    def set_return_value(this: Any, value: Any = undefined, *_: Any) -> Any:
        if not ops.truthy(value):
            cancel(this_event(this))
        return undefined

    def set_cancel_bubble(this: Any, value: Any = undefined, *_: Any) -> Any:
        if ops.truthy(value):
            this_event(this).stop = True
        return undefined

    def stop_propagation(event: JSEvent) -> None:
        event.stop = True

    def stop_immediate(event: JSEvent) -> None:
        event.stop = event.stop_immediate = True

    def method(act: Callable[[JSEvent], None]) -> Callable[..., Any]:
        def run(this: Any, *_: Any) -> Any:
            act(this_event(this))
            return undefined
        return run

    for name, read in (("type", lambda e: js(e.type)), ("target", lambda e: e.target),
                       ("currentTarget", lambda e: e.current_target), ("srcElement", lambda e: e.target),
                       ("eventPhase", lambda e: e.phase), ("bubbles", lambda e: e.bubbles),
                       ("cancelable", lambda e: e.cancelable), ("defaultPrevented", lambda e: e.canceled),
                       ("composed", lambda e: e.composed), ("isTrusted", lambda e: e.trusted)):
        attribute(rt, EP, name, reader(read))
    attribute(rt, EP, "returnValue", reader(lambda e: not e.canceled), set_return_value)
    attribute(rt, EP, "cancelBubble", reader(lambda e: e.stop), set_cancel_bubble)
    for name, act in (("preventDefault", cancel), ("stopPropagation", stop_propagation),
                      ("stopImmediatePropagation", stop_immediate)):
        rt.define(EP, name, method(act), 0)
    rt.define(EP, "composedPath", reader(
        lambda e: rt.new_array([e.current_target] if e.dispatching else [])), 0)
    for name, value in PHASES:
        ctor.write_slot(name, value, ENUMERABLE)
    EP.write_slot(SYM_TO_STRING_TAG, "Event", CONFIGURABLE)
