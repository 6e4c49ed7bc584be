"""Where paused tasks live. Every backend implements :class:`Storage`."""

from .base import Storage, TaskPage
from .file import FileStorage
from .memory import MemoryStorage

__all__ = ["Storage", "TaskPage", "MemoryStorage", "FileStorage"]
