"""Registries (in the manner of spaCy's): named, pluggable parts chosen by configuration, not by flags.

- ``segmenters``: Chinese word segmenters (``jieba``, ``rjieba``).
- ``detectors``: the detection stage, one detector per principle plus evasion, run in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str, item: T | None = None) -> Any:
        """Register ``item`` under ``name``; without ``item``, works as a decorator."""
        if item is not None:
            self._items[name] = item
            return item

        def decorator(obj: T) -> T:
            self._items[name] = obj
            return obj

        return decorator

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise KeyError(f"no {self.kind} named {name!r}; registered: {known}") from None

    def names(self) -> list[str]:
        return list(self._items)


segmenters: Registry[Callable[[], Any]] = Registry("segmenter")
detectors: Registry[Callable[..., Any]] = Registry("detector")
