"""Overlapping I/O with costing: read ahead and write behind in threads, through bounded queues.

pyarrow parses and writes without holding the GIL, so on two cores the next chunk is read and the
last one written while the current one is costed.  Queues hold at most `depth` chunks, so memory
stays bounded; an exception in a thread is raised again in the caller.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator

_END = object()


def read_ahead(chunks: Iterable, depth: int = 2) -> Iterator:
    """Iterate `chunks` in a background thread, at most `depth` ahead of the consumer."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def run():
        try:
            for chunk in chunks:
                if stop.is_set():
                    return
                q.put(chunk)
            q.put(_END)
        except BaseException as exc:  # handed to the consumer
            q.put(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        while (item := q.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


class WriteBehind:
    """Calls writer.write(frame) in a background thread; close() waits and re-raises any error."""

    def __init__(self, writer, depth: int = 2):
        self.writer, self.error = writer, None
        self.q: queue.Queue = queue.Queue(maxsize=depth)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while (frame := self.q.get()) is not _END:
            if self.error is None:
                try:
                    self.writer.write(frame)
                except BaseException as exc:
                    self.error = exc

    def write(self, frame) -> None:
        if self.error is not None:
            raise self.error
        self.q.put(frame)

    def finish_quietly(self) -> None:
        """Stop the thread after an error elsewhere, without raising."""
        self.q.put(_END)
        self.thread.join()

    def finish(self) -> None:
        self.q.put(_END)
        self.thread.join()
        if self.error is not None:
            raise self.error
