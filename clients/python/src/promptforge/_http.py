"""One forge's HTTP API, as the client needs it: resolve, usage, health and the event
stream, over keep-alive connections (one per thread), with API errors as ForgeApiError
and network failures as ForgeUnreachable."""
import http.client
import json
import socket
import threading
import urllib.parse
from typing import Any, Callable, Dict, List, Optional

from .errors import ForgeApiError, ForgeUnreachable


class ForgeHttp:
    def __init__(self, url: str, api_key: Optional[str] = None, timeout: float = 2.0) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("forge url must be http(s)://HOST[:PORT][/prefix], got %r" % url)
        self.url = url.rstrip("/")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.headers: Dict[str, str] = {"accept": "application/json"}
        if api_key:
            self.headers["authorization"] = "Bearer " + api_key
        self._local = threading.local()
        self._open: "set[http.client.HTTPConnection]" = set()

    def connect(self, timeout: Optional[float]) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return cls(self.host, self.port, timeout=timeout)

    def call(self, method: str, path: str, query: Optional[Dict[str, str]] = None, body: Any = None) -> Any:
        full = self.prefix + path + ("?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote) if query else "")
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["content-type"] = "application/json"
        for attempt in (0, 1):
            conn: Optional[http.client.HTTPConnection] = getattr(self._local, "conn", None)
            reused = conn is not None
            if conn is None:
                conn = self._local.conn = self.connect(self.timeout)
                self._open.add(conn)
            try:
                conn.request(method, full, body=data, headers=headers)
                resp = conn.getresponse()
                status, text = resp.status, resp.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                self._open.discard(conn)
                self._local.conn = None
                # A kept-alive connection the forge closed meanwhile: one fresh try.
                if reused and attempt == 0 and not isinstance(error, socket.timeout):
                    continue
                raise ForgeUnreachable(self.url, _reason(error, self.timeout)) from None
        if status >= 400:
            raise _api_error(status, text, "%s %s" % (method, path))
        if text == "":
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise ForgeApiError(status, "invalid_response", "%s %s answered %d with a body that is not JSON" % (method, path, status), "%s %s" % (method, path)) from None

    def health(self) -> Any:
        return self.call("GET", "/healthz")

    def resolve(self, uri: str) -> Dict[str, Any]:
        return self.call("GET", "/api/v1/resolve", {"uri": uri})  # type: ignore[no-any-return]

    def record_usage(self, events: List[Dict[str, Any]]) -> Any:
        return self.call("POST", "/api/v1/usage", body={"events": events})

    def close(self) -> None:
        """Closes every kept-alive connection (of every thread)."""
        for conn in list(self._open):
            conn.close()
        self._open.clear()


def _reason(error: BaseException, timeout: float) -> str:
    if isinstance(error, socket.timeout):
        return "timed out after %d ms" % round(timeout * 1000)
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)):
        return "connection reset"
    if isinstance(error, socket.gaierror):
        return "host not found"
    return str(error) or type(error).__name__


def _api_error(status: int, text: str, request: str) -> ForgeApiError:
    code, message = "http_%d" % status, "%s failed with HTTP %d" % (request, status)
    try:
        body = json.loads(text)
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict):
            code = err.get("code") if isinstance(err.get("code"), str) else code
            message = err.get("message") if isinstance(err.get("message"), str) else message
    except ValueError:
        pass  # not the API's JSON error shape (a proxy's page): keep the generic message
    return ForgeApiError(status, code, message, request)


class EventFollower:
    """Follows ``GET /api/v1/events`` in a daemon thread, reconnecting with backoff and
    resuming with ``Last-Event-ID`` so a short outage loses no label move."""

    #: The forge sends a comment every 15 s: a stream silent for longer is dead.
    READ_TIMEOUT = 45.0

    def __init__(
        self,
        forge: ForgeHttp,
        on_event: Callable[[str, Dict[str, Any]], None],
        on_open: Callable[[], None],
        on_error: Callable[[BaseException], None],
        min_backoff: float = 0.25,
        max_backoff: float = 10.0,
    ) -> None:
        self.forge = forge
        self.on_event = on_event
        self.on_open = on_open
        self.on_error = on_error
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.last_event_id: Optional[str] = None
        self._stop = threading.Event()
        self._conn: Optional[http.client.HTTPConnection] = None
        self._opened = False
        #: The forge's ``retry:`` advice, in seconds.
        self._retry: Optional[float] = None
        self._thread = threading.Thread(target=self._run, name="promptforge-events", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        conn = self._conn
        if conn is not None and conn.sock is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _run(self) -> None:
        import random

        backoff = self.min_backoff
        while not self._stop.is_set():
            self._opened = False
            try:
                self._follow_once()
                if not self._stop.is_set():
                    self.on_error(ForgeUnreachable(self.forge.url, "event stream ended"))
            except BaseException as error:  # noqa: BLE001 - the follower must never die
                if self._stop.is_set():
                    break
                self.on_error(error)
            if self._opened:
                backoff = self.min_backoff
            wait = self._retry if self._retry is not None else backoff
            backoff = min(self.max_backoff, backoff * 2)
            # Jitter keeps many clients from reconnecting in lockstep after a forge restart.
            self._stop.wait(wait * (0.75 + random.random() * 0.5))

    def _follow_once(self) -> None:
        conn = self.forge.connect(self.forge.timeout)
        self._conn = conn
        try:
            headers = dict(self.forge.headers, accept="text/event-stream")
            if self.last_event_id is not None:
                headers["last-event-id"] = self.last_event_id
            try:
                conn.request("GET", self.forge.prefix + "/api/v1/events", headers=headers)
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException) as error:
                raise ForgeUnreachable(self.forge.url, _reason(error, self.forge.timeout)) from None
            if resp.status != 200:
                raise _api_error(resp.status, resp.read().decode("utf-8", "replace"), "GET /api/v1/events")
            if conn.sock is not None:
                conn.sock.settimeout(self.READ_TIMEOUT)
            self._opened = True
            self.on_open()
            event, data, event_id = "", [], None  # type: str, List[str], Optional[str]
            while not self._stop.is_set():
                try:
                    raw = resp.fp.readline()  # type: ignore[union-attr]
                except (OSError, http.client.HTTPException, ValueError, AttributeError) as error:
                    raise ForgeUnreachable(self.forge.url, "event stream broke: " + _reason(error, self.READ_TIMEOUT)) from None
                if not raw:
                    return
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if line == "":
                    if event_id is not None:
                        self.last_event_id = event_id
                    if data:
                        payload = "\n".join(data)
                        try:
                            parsed = json.loads(payload)
                        except ValueError:
                            parsed = {"raw": payload}
                        self.on_event(event or "message", parsed if isinstance(parsed, dict) else {"value": parsed})
                    event, data, event_id = "", [], None
                    continue
                if line.startswith(":"):
                    continue
                field, _, value = line.partition(":")
                if value.startswith(" "):
                    value = value[1:]
                if field == "event":
                    event = value
                elif field == "data":
                    data.append(value)
                elif field == "id" and "\0" not in value:
                    event_id = value
                elif field == "retry" and value.isdigit():
                    self._retry = int(value) / 1000
        finally:
            self._conn = None
            conn.close()
