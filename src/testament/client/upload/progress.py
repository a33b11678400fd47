"""A one-line progress bar on stderr, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

WIDTH = 30
REDRAW_EVERY = 0.1  # seconds


class Progress:
    def __init__(
        self, total: int, label: str, enabled: bool | None = None, stream: TextIO | None = None
    ) -> None:
        self.stream = stream or sys.stderr
        self.total = max(total, 0)
        self.label = label
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self._drawn_at = 0.0
        self._on_line = False
        self._lock = threading.Lock()  # attachment workers report from their threads

    def advance(self, count: int) -> None:
        with self._lock:
            self.done = min(self.total, self.done + count)
            now = time.monotonic()
            if self.enabled and (now - self._drawn_at >= REDRAW_EVERY or self.done >= self.total):
                self._draw()
                self._drawn_at = now

    def _draw(self) -> None:
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
        self.stream.flush()
        self._on_line = True

    def say(self, message: str) -> None:
        """A message on its own line, the bar redrawn after it."""
        with self._lock:
            if self._on_line:
                self.stream.write("\n")
                self._on_line = False
            self.stream.write(message + "\n")
            self.stream.flush()
            if self.enabled and self.done:
                self._draw()

    def finish(self) -> None:
        with self._lock:
            if self._on_line:
                self.stream.write("\n")
                self.stream.flush()
                self._on_line = False
