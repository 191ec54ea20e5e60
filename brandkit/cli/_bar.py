"""A one-line progress bar on a terminal: "reading ━━━━━━━━━━━━━━━━━━━━ 3/5 0:00:04".

Written here rather than taken from a library: a bar, a counter and a clock are all the sync
commands show, and the library that drew them brought 13 MB and 440 files to every install.
A small thread redraws the clock twice a second; every write holds one lock, so a line printed
above the bar (a failure, a wait) is never torn by a redraw. While the bar shows, what the
command prints to stdout goes above it too (complete lines only), as a terminal user expects.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
import typing as t

__all__ = ["TerminalBar"]

_ERASE_LINE = "\r\x1b[2K"


class TerminalBar:
    def __init__(self, stream: t.TextIO, description: str, total: int) -> None:
        self.stream, self.description, self.total = stream, description, max(total, 0)
        self.completed = 0
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._stdout: t.TextIO | None = None

    def start(self) -> None:
        self._stopped.clear()
        self._stdout, sys.stdout = sys.stdout, t.cast(t.TextIO, _LinesAbove(self))
        self._thread = threading.Thread(target=self._tick, name="brandkit-bar", daemon=True)
        self._thread.start()
        self._draw()

    def stop(self) -> None:
        """Erase the bar (it is transient: the results are printed after it, once)."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._stdout is not None:
            t.cast(_LinesAbove, sys.stdout).flush()
            sys.stdout, self._stdout = self._stdout, None
        with self._lock:
            self.stream.write(_ERASE_LINE)
            self.stream.flush()

    def advance(self) -> None:
        self.completed = min(self.completed + 1, self.total)  # never "4/2"
        self._draw()

    def reset(self, description: str, total: int) -> None:
        self.description, self.total, self.completed = description, max(total, 0), 0
        self._started = time.monotonic()
        self._draw()

    def print_above(self, line: str, stream: t.TextIO | None = None) -> None:
        with self._lock:
            self.stream.write(_ERASE_LINE)
            self.stream.flush()
            out = stream or self.stream
            out.write(f"{line}\n")
            out.flush()
            self.stream.write(self._line())
            self.stream.flush()

    def _tick(self) -> None:
        while not self._stopped.wait(0.5):
            self._draw()

    def _draw(self) -> None:
        with self._lock:
            self.stream.write(_ERASE_LINE + self._line())
            self.stream.flush()

    def _line(self) -> str:
        elapsed = int(time.monotonic() - self._started)
        clock = f"{elapsed // 3600}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d}"
        counter = f"{self.completed}/{self.total}"
        columns = shutil.get_terminal_size((80, 24)).columns
        width = max(10, min(40, columns - len(self.description) - len(counter) - len(clock) - 4))
        filled = width * self.completed // self.total if self.total else width
        bar = "━" * filled + "\x1b[2m" + "━" * (width - filled) + "\x1b[0m"
        return f"{self.description} {bar} {counter} {clock}"


class _LinesAbove:
    """Stands in for stdout while the bar shows: each complete line is written to the real
    stdout above the bar."""

    def __init__(self, bar: TerminalBar) -> None:
        self.bar, self.pending = bar, ""

    def write(self, text: str) -> int:
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self.bar.print_above(line, stream=self.bar._stdout)
        return len(text)

    def flush(self) -> None:
        if self.pending:
            line, self.pending = self.pending, ""
            self.bar.print_above(line, stream=self.bar._stdout)

    def isatty(self) -> bool:
        return self.bar._stdout.isatty() if self.bar._stdout is not None else False
