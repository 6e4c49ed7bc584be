"""``Blob``, ``File`` (W3C File API 3 and 4) and ``FormData`` (XMLHttpRequest Standard 5).

A Blob holds its bytes (Python ``bytes``) and its type; its parts may be
strings (UTF-8), other Blobs, or anything else converted to a string. Reading
a Blob as an ``ArrayBuffer`` needs the binary built-ins (``ArrayBuffer``); the
text reads work everywhere. ``FormData`` is an ordered list of entries whose
values are strings or Files, serialized for a request body as
``multipart/form-data`` with a boundary that is the same on every replay.
"""

from __future__ import annotations

import re
from email.message import Message
from typing import TYPE_CHECKING, Any

from .. import ops
from ..binary import bytes_of, make_array_buffer, make_uint8_array
from ..values import SYM_TO_STRING_TAG, JSObject, type_error, undefined
from .webidl import attribute, install_pair_iterable, js, require_new, settled_promise, usv, utf8_decode

if TYPE_CHECKING:
    from ..runtime import Runtime

_NEWLINES = re.compile(r"\r\n|\r|\n")


class JSBlob(JSObject):
    """A Blob: immutable bytes and a (lower-case) MIME type."""

    __slots__ = ("data", "type")
    class_name = "Blob"

    def __init__(self, proto: JSObject | None, data: bytes, type_: str) -> None:
        JSObject.__init__(self, proto)
        self.data = data
        self.type = type_


class JSFile(JSBlob):
    """A File: a Blob with a name and a modification time."""

    __slots__ = ("name", "last_modified")
    class_name = "File"

    def __init__(self, proto: JSObject | None, data: bytes, type_: str, name: str, last_modified: float) -> None:
        JSBlob.__init__(self, proto, data, type_)
        self.name = name
        self.last_modified = last_modified


class JSFormData(JSObject):
    """A FormData: its entry list of (name, value) with a string or File value."""

    __slots__ = ("entries",)
    class_name = "FormData"

    def __init__(self, proto: JSObject | None) -> None:
        JSObject.__init__(self, proto)
        self.entries: list[tuple[str, str | JSFile]] = []


def blob_type(value: str) -> str:
    """A Blob's ``type`` option: lower-cased, or empty if it has a character outside U+0020-U+007E."""
    return value.lower() if all(0x20 <= ord(c) <= 0x7E for c in value) else ""


def _escape(name: str) -> str:
    """A multipart field name or filename, escaped as the HTML Standard says (4.10.21.8)."""
    return name.replace("\n", "%0A").replace("\r", "%0D").replace('"', "%22")


def multipart(entries: list[tuple[str, str | JSFile]], boundary: str) -> bytes:
    """The multipart/form-data encoding (HTML 4.10.21.8) of ``entries`` with ``boundary``."""
    out = bytearray()
    for name, value in entries:
        out += f"--{boundary}\r\n".encode()
        disposition = f'Content-Disposition: form-data; name="{_escape(_NEWLINES.sub(chr(13) + chr(10), name))}"'
        if isinstance(value, JSFile):
            out += (f'{disposition}; filename="{_escape(value.name)}"\r\n'
                    f"Content-Type: {value.type or 'application/octet-stream'}\r\n\r\n").encode()
            out += value.data
        else:
            out += f"{disposition}\r\n\r\n".encode()
            out += _NEWLINES.sub("\r\n", value).encode("utf-8")
        out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out)


#: A parsed multipart entry's value: text, or a file's (bytes, type, name).
PartValue = str | tuple[bytes, str, str]
_FIELD_NAME = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TO_COLON = re.compile(rb"[^\r\n:]*")
_TO_QUOTE = re.compile(rb'[^\r\n"]*')
_TO_EOL = re.compile(rb"[^\r\n]*")
_HTTP_WHITESPACE = re.compile(rb"[\t\n\r ]*")


def form_boundary(content_type: str) -> str | None:
    """The ``boundary`` parameter of a ``multipart/form-data`` MIME type (quoted or not, any case)."""
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    return boundary if isinstance(boundary, str) and boundary else None


def parse_multipart(body: bytes, content_type: str) -> list[tuple[str, PartValue]] | None:
    """The multipart/form-data parser (Fetch 5.2): the entries, or ``None`` when the body (or the
    type's boundary) is malformed. The body ends at ``--boundary--``, a final CRLF allowed."""
    boundary = form_boundary(content_type)
    if boundary is None:
        return None
    delimiter = b"--" + boundary.encode("utf-8")
    entries: list[tuple[str, PartValue]] = []
    position = 0
    while True:
        if not body.startswith(delimiter, position):
            return None
        position += len(delimiter)
        if body.startswith(b"--", position) and (len(body) == position + 2 or (
                len(body) == position + 4 and body.endswith(b"\r\n"))):
            return entries
        if not body.startswith(b"\r\n", position):
            return None
        headers = _part_headers(body, position + 2)
        if headers is None:
            return None
        name, filename, part_type, position = headers
        end = body.find(b"\r\n" + delimiter, position)
        if end < 0:
            return None
        data = body[position:end]
        position = end + 2
        if filename is None:
            entries.append((name, utf8_decode(data)))
        else:
            entries.append((name, (data, blob_type("text/plain" if part_type is None else part_type), filename)))


def _part_headers(body: bytes, position: int) -> tuple[str, str | None, str | None, int] | None:
    """Parse multipart/form-data headers (Fetch 5.2): name, filename, content type and where the part's
    body starts; ``None`` without a ``Content-Disposition: form-data; name="..."`` or on a bad line."""
    name: str | None = None
    filename: str | None = None
    part_type: str | None = None
    while not body.startswith(b"\r\n", position):
        match = _TO_COLON.match(body, position)
        assert match is not None
        header, position = match.group().strip(b" \t"), match.end()
        if not _FIELD_NAME.fullmatch(header) or not body.startswith(b":", position):
            return None
        match = _HTTP_WHITESPACE.match(body, position + 1)
        assert match is not None
        position = match.end()
        key = header.lower()
        if key == b"content-disposition":
            filename = None
            found = _quoted(body, position, b'form-data; name="')
            if found is None:
                return None
            name, position = found
            if body.startswith(b'; filename="', position):
                found = _quoted(body, position, b'; filename="')
                if found is None:
                    return None
                filename, position = found
        else:
            match = _TO_EOL.match(body, position)
            assert match is not None
            if key == b"content-type":
                part_type = match.group().rstrip(b" \t").decode("latin-1")
            position = match.end()
        if not body.startswith(b"\r\n", position):
            return None
        position += 2
    return None if name is None else (name, filename, part_type, position + 2)


def _quoted(body: bytes, position: int, prefix: bytes) -> tuple[str, int] | None:
    """``prefix`` (ending in a quote), then a multipart/form-data name up to the closing quote, with
    ``%0A``, ``%0D`` and ``%22`` undone; the name and the position after the quote."""
    if not body.startswith(prefix, position):
        return None
    match = _TO_QUOTE.match(body, position + len(prefix))
    assert match is not None
    if not body.startswith(b'"', match.end()):
        return None
    raw = match.group().replace(b"%0A", b"\n").replace(b"%0D", b"\r").replace(b"%22", b'"')
    return utf8_decode(raw), match.end() + 1


def install(rt: "Runtime") -> None:
    """``Blob``, ``File`` and ``FormData``, per realm."""
    BP = JSObject(rt.ObjectPrototype)
    FP = JSObject(BP)
    DP = JSObject(rt.ObjectPrototype)
    boundaries = [0]

    def bytes_of_part(part: Any) -> bytes:
        if isinstance(part, JSBlob):
            return part.data
        data = bytes_of(part)
        if data is not None:
            return bytes(data)
        return usv(part).encode("utf-8")

    def blob_parts(parts: Any) -> bytes:
        if parts is undefined:
            return b""
        if not isinstance(parts, JSObject):
            raise type_error("The \"blobParts\" argument must be a sequence")
        return b"".join(bytes_of_part(p) for p in rt.iterate(parts))

    def option(options: Any, name: str) -> Any:
        return rt.get(options, name) if isinstance(options, JSObject) else undefined

    # -- Blob (File API 3) ------------------------------------------------------------------

    def blob_construct(args: list[Any], new_target: Any) -> JSBlob:
        """new Blob(blobParts, options)."""
        data = blob_parts(args[0] if args else undefined)
        type_ = option(args[1] if len(args) > 1 else undefined, "type")
        return JSBlob(rt.proto_from(new_target, BP), data, "" if type_ is undefined else blob_type(usv(type_)))

    rt.constructor("Blob", 0, require_new("Blob"), blob_construct, BP)

    def this_blob(this: Any) -> JSBlob:
        if not isinstance(this, JSBlob):
            raise type_error('Value of "this" must be of type Blob')
        return this

    def relative(value: Any, size: int, default: int) -> int:
        if value is undefined:
            return default
        n = ops.to_integer(value)
        return int(max(size + n, 0) if n < 0 else min(n, size))

    def slice_(this: Any, start: Any = undefined, end: Any = undefined, content_type: Any = undefined,
               *_: Any) -> JSBlob:
        """Blob.prototype.slice(start, end, contentType)."""
        blob = this_blob(this)
        size = len(blob.data)
        lo, hi = relative(start, size, 0), relative(end, size, size)
        type_ = "" if content_type is undefined else blob_type(usv(content_type))
        return JSBlob(BP, blob.data[lo:max(lo, hi)], type_)

    def text(this: Any, *_: Any) -> Any:
        blob = this_blob(this)
        return settled_promise(rt, lambda: js(utf8_decode(blob.data)))

    def array_buffer(this: Any, *_: Any) -> Any:
        blob = this_blob(this)
        return settled_promise(rt, lambda: make_array_buffer(rt, blob.data))

    def bytes_(this: Any, *_: Any) -> Any:
        blob = this_blob(this)
        return settled_promise(rt, lambda: make_uint8_array(rt, blob.data))

    attribute(rt, BP, "size", lambda this, *_: len(this_blob(this).data))
    attribute(rt, BP, "type", lambda this, *_: this_blob(this).type)
    rt.define(BP, "slice", slice_, 0)
    rt.define(BP, "text", text, 0)
    rt.define(BP, "arrayBuffer", array_buffer, 0)
    rt.define(BP, "bytes", bytes_, 0)
    BP.write_slot(SYM_TO_STRING_TAG, "Blob", 4)
    rt.intrinsics["Blob.prototype"] = BP
    rt.intrinsics["new_blob"] = lambda data, type_: JSBlob(BP, data, type_)

    # -- File (File API 4) --------------------------------------------------------------------

    def new_file(data: bytes, type_: str, name: str, last_modified: Any) -> JSFile:
        modified = rt.now() if last_modified is undefined else ops.to_number(last_modified)
        return JSFile(FP, data, type_, name, modified)

    def file_construct(args: list[Any], new_target: Any) -> JSFile:
        """new File(fileBits, fileName, options)."""
        if len(args) < 2:
            raise type_error('The "fileBits" and "fileName" arguments must be specified')
        options = args[2] if len(args) > 2 else undefined
        type_ = option(options, "type")
        f = new_file(blob_parts(args[0]), "" if type_ is undefined else blob_type(usv(type_)), usv(args[1]),
                     option(options, "lastModified"))
        f.set_prototype_of(rt.proto_from(new_target, FP))
        return f

    rt.constructor("File", 2, require_new("File"), file_construct, FP)
    rt.intrinsics["new_file"] = lambda data, type_, name: new_file(data, type_, name, undefined)

    def this_file(this: Any) -> JSFile:
        if not isinstance(this, JSFile):
            raise type_error('Value of "this" must be of type File')
        return this

    attribute(rt, FP, "name", lambda this, *_: js(this_file(this).name))
    attribute(rt, FP, "lastModified", lambda this, *_: this_file(this).last_modified)
    FP.write_slot(SYM_TO_STRING_TAG, "File", 4)

    # -- FormData (XHR 5) ---------------------------------------------------------------------

    def form_construct(args: list[Any], new_target: Any) -> JSFormData:
        """new FormData() (a form element argument does not exist here)."""
        if args and args[0] is not undefined:
            raise type_error("The \"form\" argument is not supported: there are no HTML forms")
        return JSFormData(rt.proto_from(new_target, DP))

    rt.constructor("FormData", 0, require_new("FormData"), form_construct, DP)

    def this_form(this: Any) -> JSFormData:
        if not isinstance(this, JSFormData):
            raise type_error('Value of "this" must be of type FormData')
        return this

    def entry(args: tuple[Any, ...]) -> tuple[str, str | JSFile]:
        """Create an entry (XHR 5): a Blob value becomes a File named by the filename or "blob"."""
        name, value = usv(args[0]), args[1]
        if not isinstance(value, JSBlob):
            if len(args) > 2 and args[2] is not undefined:
                raise type_error("Failed to execute 'append' on 'FormData': parameter 2 is not of type 'Blob'.")
            return name, usv(value)
        if len(args) > 2 and args[2] is not undefined:
            return name, new_file(value.data, value.type, usv(args[2]), undefined)
        if isinstance(value, JSFile):
            return name, value
        return name, new_file(value.data, value.type, "blob", undefined)

    def need(args: tuple[Any, ...], count: int, method: str) -> None:
        if len(args) < count:
            raise type_error(f"Failed to execute '{method}' on 'FormData': {count} arguments required, "
                             f"but only {len(args)} present.")

    def append(this: Any, *args: Any) -> Any:
        form = this_form(this)
        need(args, 2, "append")
        form.entries.append(entry(args))
        return undefined

    def set_(this: Any, *args: Any) -> Any:
        form = this_form(this)
        need(args, 2, "set")
        new = entry(args)
        at = next((i for i, (n, _) in enumerate(form.entries) if n == new[0]), None)
        form.entries[:] = [e for e in form.entries if e[0] != new[0]]
        form.entries.insert(len(form.entries) if at is None else at, new)
        return undefined

    def delete(this: Any, *args: Any) -> Any:
        form = this_form(this)
        need(args, 1, "delete")
        name = usv(args[0])
        form.entries[:] = [e for e in form.entries if e[0] != name]
        return undefined

    def value_of(value: str | JSFile) -> Any:
        return js(value) if isinstance(value, str) else value

    def get(this: Any, *args: Any) -> Any:
        form = this_form(this)
        need(args, 1, "get")
        name = usv(args[0])
        return next((value_of(v) for n, v in form.entries if n == name), None)

    def get_all(this: Any, *args: Any) -> Any:
        form = this_form(this)
        need(args, 1, "getAll")
        name = usv(args[0])
        return rt.new_array([value_of(v) for n, v in form.entries if n == name])

    def has(this: Any, *args: Any) -> bool:
        form = this_form(this)
        need(args, 1, "has")
        name = usv(args[0])
        return any(n == name for n, _ in form.entries)

    for name, fn, n in (("append", append, 2), ("delete", delete, 1), ("get", get, 1), ("getAll", get_all, 1),
                        ("has", has, 1), ("set", set_, 2)):
        rt.define(DP, name, fn, n)
    install_pair_iterable(rt, DP, "FormData", lambda this: [(js(n), value_of(v)) for n, v in this_form(this).entries])

    def form_body(form: JSFormData) -> tuple[bytes, str]:
        """The body and content type of a request whose body is ``form`` (Fetch 5.2, extract a body)."""
        boundaries[0] += 1
        boundary = f"----formdata-seqflow-{boundaries[0]:011d}"
        return multipart(form.entries, boundary), f"multipart/form-data; boundary={boundary}"

    rt.intrinsics["form_body"] = form_body
    rt.intrinsics["new_form_data"] = lambda entries: _filled(JSFormData(DP), entries)


def _filled(form: JSFormData, entries: list[tuple[str, str | JSFile]]) -> JSFormData:
    form.entries = entries
    return form
