"""Bounded CPU and memory series of one instance: ring buffers in two resolutions.

Samples arrive once a second. The last :data:`FINE_SAMPLES` are kept as they came (the live chart);
older ones are kept as one-minute means in :data:`COARSE_SAMPLES` slots (24 hours). Both rings are flat
``array`` buffers of doubles, so a hundred instances over a day stay a few megabytes, whatever runs.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

FINE_SAMPLES = 600
"""One-second samples kept as they are: the last ten minutes."""

COARSE_SECONDS = 60.0
"""The span one coarse slot sums up."""

COARSE_SAMPLES = 1440
"""One-minute means kept: the last 24 hours."""


class Ring:
    """A fixed number of (time, cpu %, memory bytes) rows; the oldest is overwritten when full."""

    def __init__(self, size: int) -> None:
        """Makes an empty ring for ``size`` rows."""
        self.size = size
        self._data = array("d", bytes(8 * 3 * size))
        self._next = 0
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, time: float, cpu: float, memory: float) -> None:
        """Adds a row, overwriting the oldest when full."""
        at = 3 * self._next
        data = self._data
        data[at] = time
        data[at + 1] = cpu
        data[at + 2] = memory
        self._next = (self._next + 1) % self.size
        self._count = min(self._count + 1, self.size)

    def rows(self) -> list[tuple[float, float, float]]:
        """The rows, oldest first."""
        first = (self._next - self._count) % self.size
        data = self._data
        return [
            (data[3 * j], data[3 * j + 1], data[3 * j + 2])
            for j in ((first + i) % self.size for i in range(self._count))
        ]

    def last(self) -> tuple[float, float, float] | None:
        """The newest row, or None when empty."""
        if not self._count:
            return None
        at = 3 * ((self._next - 1) % self.size)
        return self._data[at], self._data[at + 1], self._data[at + 2]

    def byte_size(self) -> int:
        """The memory its buffer takes."""
        return self._data.buffer_info()[1] * self._data.itemsize


@dataclass
class _Pending:
    start: float = 0.0
    cpu: float = 0.0
    memory: float = 0.0
    count: int = 0


class ResourceSeries:
    """CPU % and memory of one instance over time: the last ten minutes as sampled, 24 hours as minute means.

    Attributes:
        fine: one-second samples.
        coarse: one-minute means (time = the start of the minute).
    """

    def __init__(self, fine: int = FINE_SAMPLES, coarse: int = COARSE_SAMPLES) -> None:
        """Makes empty rings of the given sizes."""
        self.fine = Ring(fine)
        self.coarse = Ring(coarse)
        self._minute = _Pending()

    def add(self, time: float, cpu: float, memory: float) -> None:
        """Adds one sample (CPU in percent of one CPU, memory in bytes)."""
        self.fine.append(time, cpu, memory)
        minute = self._minute
        if minute.count and time - minute.start >= COARSE_SECONDS:
            self.coarse.append(minute.start, minute.cpu / minute.count, minute.memory / minute.count)
            minute.count = 0
        if not minute.count:
            minute.start, minute.cpu, minute.memory = time, 0.0, 0.0
        minute.cpu += cpu
        minute.memory += memory
        minute.count += 1

    def rows(self, since: float = 0.0) -> list[tuple[float, float, float]]:
        """(time, cpu %, memory) from ``since`` on: minute means where the fine samples no longer reach."""
        fine = self.fine.rows()
        fine_start = fine[0][0] if fine else float("inf")
        older = [row for row in self.coarse.rows() if since <= row[0] < fine_start]
        return older + [row for row in fine if row[0] >= since]

    def byte_size(self) -> int:
        """The memory its buffers take."""
        return self.fine.byte_size() + self.coarse.byte_size()
