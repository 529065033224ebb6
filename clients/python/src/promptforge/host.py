"""One forge as the client sees it: its HTTP connection, circuit breaker, usage queue and
event stream follower."""
import threading
from typing import Optional

from ._http import EventFollower, ForgeHttp
from .breaker import BreakerOptions, CircuitBreaker
from .usage import UsageQueue


class Host:
    """One forge: its HTTP client, breaker, usage queue and event follower."""

    def __init__(self, name: str, url: str, api_key: Optional[str], timeout: float, breaker: BreakerOptions) -> None:
        self.name = name
        self.http = ForgeHttp(url, api_key, timeout)
        self.breaker = CircuitBreaker(self.http.health, breaker)
        self.describe = "forge at " + self.http.url
        self.usage: Optional[UsageQueue] = None
        self.events: Optional[EventFollower] = None
        self.opened = 0
        #: Set while the event stream is connected.
        self.live = threading.Event()

    def available(self) -> bool:
        return not self.breaker.is_open

    def down_reason(self) -> str:
        e = self.breaker.last_error
        why = getattr(e, "reason", None) or (str(e) if e else "failed repeatedly")
        return "known down, not retried until a health probe succeeds: " + why
