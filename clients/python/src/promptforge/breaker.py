"""A circuit breaker per forge, as the TypeScript SDK's: after ``failure_threshold``
consecutive failures it opens, calls skip the network entirely (no per-call timeout once
the outage is known), and a background probe of ``/healthz``, with backoff, closes it."""
import threading
from typing import Any, Callable, NamedTuple, Optional


class BreakerOptions(NamedTuple):
    #: Consecutive failures (network errors, timeouts, 5xx) that open the circuit.
    failure_threshold: int = 3
    #: First probe delay once open, in seconds; doubles per failed probe.
    probe_interval: float = 0.5
    max_probe_interval: float = 10.0


class CircuitBreaker:
    def __init__(self, probe: Callable[[], Any], options: BreakerOptions = BreakerOptions(), on_change: Callable[[str], None] = lambda _state: None) -> None:
        self._probe = probe
        self.options = options
        self._on_change = on_change
        self._lock = threading.Lock()
        self._failures = 0
        self._interval = options.probe_interval
        self._timer: Optional[threading.Timer] = None
        self._stopped = False
        self.is_open = False
        self.last_error: Optional[BaseException] = None

    def success(self) -> None:
        with self._lock:
            self._failures = 0
            if not self.is_open:
                return
            self._close_locked()
        self._on_change("closed")

    def failure(self, error: BaseException) -> None:
        with self._lock:
            self.last_error = error
            self._failures += 1
            if self.is_open or self._failures < self.options.failure_threshold:
                return
        self.open()

    def open(self) -> None:
        """Opens the circuit at once, e.g. when the event stream reports the forge gone."""
        with self._lock:
            if self.is_open or self._stopped:
                return
            self.is_open = True
            self._interval = self.options.probe_interval
            self._schedule_locked()
        self._on_change("open")

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._timer is not None:
                self._timer.cancel()

    def _close_locked(self) -> None:
        self.is_open = False
        self._failures = 0
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _schedule_locked(self) -> None:
        if self._stopped:
            return
        self._timer = threading.Timer(self._interval, self._run_probe)
        # The probe must never keep an app alive on its own.
        self._timer.daemon = True
        self._timer.start()

    def _run_probe(self) -> None:
        try:
            self._probe()
        except BaseException as error:  # noqa: BLE001 - a failed probe only reschedules
            with self._lock:
                self.last_error = error
                self._interval = min(self.options.max_probe_interval, self._interval * 2)
                if self.is_open:
                    self._schedule_locked()
            return
        with self._lock:
            if not self.is_open:
                return
            self._close_locked()
        self._on_change("closed")
