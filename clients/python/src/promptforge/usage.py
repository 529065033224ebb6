"""Usage events on their way to the forge: batched, sent by a background thread, bounded
(the oldest are dropped and counted while the forge is gone), flushed at exit, and never
a source of exceptions or waiting for the app."""
import threading
from typing import Any, Callable, Dict, List, NamedTuple


class UsageOptions(NamedTuple):
    #: Events kept while the forge cannot take them.
    max_queue: int = 10000
    #: Events per request.
    max_batch: int = 500
    #: Background flush period, in seconds.
    flush_interval: float = 2.0


class UsageStats(NamedTuple):
    queued: int
    sent: int
    dropped: int
    failed_flushes: int


class UsageQueue:
    def __init__(self, send: Callable[[List[Dict[str, Any]]], Any], options: UsageOptions = UsageOptions(), can_send: Callable[[], bool] = lambda: True) -> None:
        self._send = send
        self._can_send = can_send
        self._max_queue = max(1, options.max_queue)
        self._max_batch = max(1, options.max_batch)
        self._interval = options.flush_interval
        self._queue: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        self._drain_lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self.sent = 0
        self.dropped = 0
        self.failed_flushes = 0
        self._thread = threading.Thread(target=self._run, name="promptforge-usage", daemon=True)
        self._thread.start()

    def push(self, event: Dict[str, Any]) -> None:
        with self._lock:
            self._queue.append(event)
            self._trim_locked()
            full = len(self._queue) >= self._max_batch
        if full:
            self._wake.set()

    def stats(self) -> UsageStats:
        with self._lock:
            return UsageStats(len(self._queue), self.sent, self.dropped, self.failed_flushes)

    def flush(self) -> None:
        """Sends everything queued, one batch at a time; returns when done or stuck."""
        with self._drain_lock:
            while self._can_send():
                with self._lock:
                    batch = self._queue[: self._max_batch]
                    del self._queue[: len(batch)]
                if not batch:
                    return
                try:
                    self._send(batch)
                except Exception:  # noqa: BLE001 - kept for the next flush
                    with self._lock:
                        self.failed_flushes += 1
                        self._queue[:0] = batch
                        self._trim_locked()
                    return
                with self._lock:
                    self.sent += len(batch)

    def close(self) -> None:
        """Stops the thread and makes a last attempt to send."""
        self._closed = True
        self._wake.set()
        self.flush()

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._closed:
                return
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the sender thread must never die
                pass

    def _trim_locked(self) -> None:
        excess = len(self._queue) - self._max_queue
        if excess > 0:
            del self._queue[:excess]
            self.dropped += excess
