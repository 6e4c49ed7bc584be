"""Redis specifics: a save whose reply was lost is resent and lands once; a frozen server times out."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from seqflow_runtime.errors import StorageError, VersionConflictError
from seqflow_runtime.storage.base import encode_task
from seqflow_runtime.storage.redis_storage import RedisStorage
from seqflow_runtime.storage.url import create_storage

from conftest import _delete_redis_prefix
from tcp_proxy import TcpProxy
from test_conformance import make_task


@pytest.fixture
def proxied(redis_url: str) -> Iterator[tuple[TcpProxy, RedisStorage, RedisStorage]]:
    """A storage through a proxy (1 s socket timeout), and one talking to Redis directly."""
    parts = urlsplit(redis_url)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 6379))
    prefix = f"seqflow-test:{secrets.token_hex(6)}:"
    through = create_storage(
        f"redis://127.0.0.1:{proxy.port}{parts.path}?prefix={prefix}&socket_timeout=1s&connect_timeout=1s")
    direct = create_storage(f"{redis_url}?prefix={prefix}")
    assert isinstance(through, RedisStorage) and isinstance(direct, RedisStorage)
    yield proxy, through, direct
    through.close()
    direct.close()
    proxy.close()
    _delete_redis_prefix(redis_url, prefix)


def test_lost_reply_is_resent_and_applied_once(
    proxied: tuple[TcpProxy, RedisStorage, RedisStorage]
) -> None:
    """The script runs, its reply is lost, the client resends it: success, written once, indexes intact."""
    proxy, storage, direct = proxied
    storage.save(make_task("warm-up"), None)  # connection, layout check and script cached
    first = make_task("lost")
    proxy.drop_replies(1)
    storage.save(first, None)  # applied by the first send; the resend recognises its write id
    second = make_task("lost", version=2, status="completed", fetch_requests=[], wake_at=None)
    proxy.drop_replies(1)
    storage.save(second, 1)
    stored = direct.load("lost")
    assert stored is not None and encode_task(stored.to_dict()) == encode_task(second.to_dict())
    assert [t.id for t in direct.list(status="completed").tasks] == ["lost"]
    assert [t.id for t in direct.list(status="paused").tasks] == ["warm-up"]
    assert [t.id for t in direct.list().tasks] == ["lost", "warm-up"]
    # A caller's own retry after an unknown outcome is applied at most once: it conflicts.
    with pytest.raises(VersionConflictError):
        storage.save(second, 1)
    with pytest.raises(VersionConflictError):
        storage.save(first, None)
    stored = direct.load("lost")
    assert stored is not None and encode_task(stored.to_dict()) == encode_task(second.to_dict())


def test_frozen_server_is_a_bounded_storage_error(
    proxied: tuple[TcpProxy, RedisStorage, RedisStorage]
) -> None:
    """A server that stops answering fails save and load within the socket timeout and resends."""
    proxy, storage, direct = proxied
    good = make_task("frozen")
    storage.save(good, None)
    proxy.freeze()
    started = time.monotonic()
    with pytest.raises(StorageError) as info:
        storage.save(make_task("frozen", version=2), 1)
    assert "RedisStorage.save" in str(info.value) and "socket_timeout 1s" in str(info.value)
    with pytest.raises(StorageError) as info:
        storage.load("frozen")
    assert "RedisStorage.load" in str(info.value)
    assert time.monotonic() - started < 15
    proxy.thaw()
    stored = direct.load("frozen")
    assert stored is not None and encode_task(stored.to_dict()) == encode_task(good.to_dict())
    loaded = storage.load("frozen")  # the storage recovers once the server answers again
    assert loaded is not None and loaded.version == 1
