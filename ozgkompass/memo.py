"""Bounded caches for results worked out from long-lived objects (a questionnaire, a model,
a catalogue, a service): a batch computes the same things for thousands of files.

Every cache is cleared when full, so memory stays flat however many files a batch scores.
The caches belong to an object that lives as long as what they remember (the scoring's in
`scoring.memory.Memory`, one per compiled run), never to a module."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    """Results keyed by plain hashable values (or objects hashed by identity that the key
    itself holds, so their ids cannot be reused while the entry lives). Cleared when full;
    callers treat the results as read-only."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[Hashable, T] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        hit = self._entries.get(key, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[return-value]
        value = compute()
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[key] = value
        return value

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_MISSING = object()


class IdentityCache(Generic[T]):
    """Results keyed by the identity of some objects plus plain hashable values. Each entry
    holds its objects, so their ids cannot be reused by others while it lives; objects need
    not be hashable (and hashing a large frozen dataclass each call would cost more than the
    lookup saves). Cleared when full; callers treat the results as read-only."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[tuple[Any, ...], tuple[tuple[Any, ...], T]] = {}

    def get(self, objects: tuple[Any, ...], key: Hashable, compute: Callable[[], T]) -> T:
        ident = (*map(id, objects), key)
        hit = self._entries.get(ident)
        if hit is not None and all(a is b for a, b in zip(hit[0], objects, strict=True)):
            return hit[1]
        value = compute()
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[ident] = (objects, value)
        return value

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
