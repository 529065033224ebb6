"""The prompt client Python apps use: ``get(ref, **params)`` answers from memory whenever
it can, follows the forge's event stream in a background thread so promotions arrive at
once, and keeps answering — from stale entries, the snapshot or the app's fallbacks —
while the forge is down. Mirrors ``promptforge/sdk``'s PromptClient."""
import atexit
import datetime
import itertools
import os
import queue
import threading
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Set, Tuple, Union

from . import assignment
from ._http import EventFollower
from .answer import Prompt, Tracking
from .breaker import BreakerOptions
from .entry import Entry
from .errors import ForgeApiError, ForgeUnreachable, PromptForgeError, PromptUnavailable, definite_error, reason_of
from .host import Host
from .fallbacks import Fallbacks, InlinePrompt
from .reference import ReferenceParser, Target, is_immutable
from .snapshot import Snapshot
from .uri import PromptUri, format_prompt_uri, pinned_uri
from .usage import UsageOptions, UsageQueue, UsageStats

_FOREVER = float("inf")
_WIRE = {"latency_ms": "latencyMs", "input_tokens": "inputTokens", "output_tokens": "outputTokens"}


class _Cached:
    __slots__ = ("target", "entry", "fresh_until", "fetched_with", "used")

    def __init__(self, target: Target, entry: Entry, fresh_until: float, fetched_with: Dict[str, Any], used: int) -> None:
        self.target = target
        self.entry = entry
        self.fresh_until = fresh_until
        self.fetched_with = fetched_with
        self.used = used


HostConfig = Mapping[str, Any]


class PromptClient:
    """Resolves prompt references against one or more forges, from memory when it can.

    ``hosts`` maps HOST (as written in URIs, e.g. ``localhost:7070``) to ``{"url": …,
    "api_key": …}``; ``defaults`` completes short references (``host``, ``repo``,
    ``version``) and may give default ``params``. Background work (event stream, usage,
    refreshes, health probes) runs in daemon threads and never raises into the app;
    ``on_error`` hears about it."""

    def __init__(
        self,
        hosts: Mapping[str, HostConfig],
        defaults: Optional[Mapping[str, Any]] = None,
        aliases: Optional[Mapping[str, str]] = None,
        fallback_dir: Optional[str] = None,
        fallbacks: Optional[Mapping[str, InlinePrompt]] = None,
        fallback_snapshot: Optional[str] = None,
        snapshot: Optional[str] = None,
        timeout: float = 2.0,
        cache_ttl: float = 60.0,
        cache_size: int = 1000,
        breaker: BreakerOptions = BreakerOptions(),
        usage: Union[bool, UsageOptions] = True,
        live_updates: bool = True,
        on_error: Optional[Callable[[BaseException], None]] = None,
    ) -> None:
        if cache_size < 1:
            raise ValueError("cache_size must be at least 1, got %r" % cache_size)
        defaults = dict(defaults or {})
        self._on_error = on_error or (lambda _error: None)
        self._ttl = cache_ttl
        self._max = cache_size
        self._defaults: Dict[str, Any] = dict(defaults.get("params") or {})
        self._cache: Dict[str, _Cached] = {}
        self._clock = itertools.count(1)
        self._lock = threading.Lock()
        self._inflight: Set[str] = set()
        self._changed_during_fetch: Set[str] = set()
        self._listeners: List[Callable[[Prompt], None]] = []
        self._experiments: Dict[Tuple[str, str, str, str], Dict[str, Any]] = {}
        self._tracking = Tracking()
        self._closed = False
        self._hosts: Dict[str, Host] = {}
        for name, config in hosts.items():
            if "url" not in config:
                raise ValueError("host %r needs a \"url\" (the Python client talks to a forge over HTTP; local folders need `promptforge serve`)" % name)
            self._hosts[name] = Host(name, str(config["url"]), config.get("api_key") or os.environ.get("PROMPTFORGE_API_KEY"), timeout, breaker)
        self._refs = ReferenceParser(defaults.get("host"), defaults.get("repo"), defaults.get("version"), aliases or {}, list(self._hosts))
        self._snapshot = Snapshot(snapshot, self._on_error) if snapshot else None
        self._fallbacks = Fallbacks(fallbacks, fallback_dir, fallback_snapshot, self._on_error)
        self._refresh_queue: "queue.Queue[Optional[str]]" = queue.Queue()
        self._queued: Set[str] = set()
        self._refresher = threading.Thread(target=self._refresh_loop, name="promptforge-refresh", daemon=True)
        self._refresher.start()
        for host in self._hosts.values():
            if usage is not False:
                host.usage = UsageQueue(host.http.record_usage, usage if isinstance(usage, UsageOptions) else UsageOptions(), host.available)
            if live_updates:
                host.events = self._follow(host)
        atexit.register(self._at_exit)

    @classmethod
    def from_env(cls, **options: Any) -> "PromptClient":
        """``PROMPTFORGE_URL`` (and ``PROMPTFORGE_HOST``, ``PROMPTFORGE_REPO``, ``PROMPTFORGE_VERSION``,
        ``PROMPTFORGE_API_KEY``), as the TypeScript SDK reads them; keyword options win."""
        import urllib.parse

        url = os.environ.get("PROMPTFORGE_URL")
        if not url and "hosts" not in options:
            raise ValueError("PROMPTFORGE_URL is not set and no hosts were given")
        defaults = dict(options.pop("defaults", {}) or {})
        host = defaults.get("host") or os.environ.get("PROMPTFORGE_HOST") or urllib.parse.urlsplit(url or "").netloc
        for key in ("repo", "version"):
            if key not in defaults and os.environ.get("PROMPTFORGE_" + key.upper()):
                defaults[key] = os.environ["PROMPTFORGE_" + key.upper()]
        defaults.setdefault("host", host)
        hosts = options.pop("hosts", None) or {host: {"url": url}}
        return cls(hosts, defaults=defaults, **options)

    # --- the app's calls ---------------------------------------------------------------

    def get(self, ref: str, /, *, unit: Optional[object] = None, params: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> Prompt:
        """The prompt ``ref`` (URI, short ref or alias) rendered with ``params`` (keyword
        arguments, or a ``params`` mapping for names that clash). With ``unit=``, a running
        experiment on the label picks the variant for that unit (sticky, no network)."""
        given: Mapping[str, Any] = kwargs if params is None else ({**params, **kwargs} if kwargs else params)
        target, experiment, variant = self._target(ref, unit)
        found = self._from_memory(target, given, experiment, variant)
        if found is not None:
            return found
        entry, source = self._obtain(target, given)
        return self._answer(target, entry, given, source, experiment, variant)

    def get_from_memory(self, ref: str, /, *, unit: Optional[object] = None, params: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> Optional[Prompt]:
        """``get``, but only when the answer is in memory (no network): else None."""
        given: Mapping[str, Any] = kwargs if params is None else ({**params, **kwargs} if kwargs else params)
        target, experiment, variant = self._target(ref, unit)
        return self._from_memory(target, given, experiment, variant)

    def _target(self, ref: str, unit: Optional[object]) -> Tuple[Target, Optional[str], Optional[str]]:
        target = self._refs.parse(ref)
        if unit is not None and self._experiments:
            return self._assign(target, str(unit))
        return target, None, None

    def _from_memory(self, target: Target, given: Mapping[str, Any], experiment: Optional[str], variant: Optional[str]) -> Optional[Prompt]:
        cached = self._cache.get(target.key)
        if cached is None:
            return None
        cached.used = next(self._clock)
        if cached.fresh_until > time.monotonic():
            return self._answer(target, cached.entry, given, "cache", experiment, variant)
        self._schedule_refresh(target.key)
        return self._answer(target, cached.entry, given, "stale", experiment, variant)

    def render(self, ref: str, /, *, unit: Optional[object] = None, params: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> Union[str, List[Dict[str, str]]]:
        """Shorthand for ``get``: the rendered text, or the messages of a chat prompt."""
        p = self.get(ref, unit=unit, params=params, **kwargs)
        return p.text if p.text is not None else (p.messages or "")

    def prefetch(self, refs: List[Union[str, Tuple[str, Mapping[str, Any]]]]) -> List[Tuple[str, Union[str, BaseException]]]:
        """Loads references into the cache (e.g. at startup): ``(ref, source or error)`` each; never raises."""
        out: List[Tuple[str, Union[str, BaseException]]] = []
        for item in refs:
            ref, params = (item, {}) if isinstance(item, str) else item
            try:
                out.append((ref, self.get(ref, params=params).source))
            except Exception as error:  # noqa: BLE001 - reported, not raised
                out.append((ref, error))
        return out

    def record_usage(self, tracking_id: str, *, success: Optional[bool] = None, latency_ms: Optional[float] = None, input_tokens: Optional[int] = None,
                     output_tokens: Optional[int] = None, model: Optional[str] = None, feedback: Optional[float] = None, metadata: Optional[Mapping[str, Any]] = None,
                     consent: Optional[bool] = None, input: Any = None, output: Any = None) -> None:
        """Queues how a call made with a prompt from ``get`` went. Never blocks, never raises.
        ``input``/``output`` samples are sent only with ``consent=True``; without it they are
        dropped here (``on_error`` is told) and the rest of the report is kept."""
        try:
            call = self._tracking.lookup(tracking_id)
            if call is None:
                return
            host, repo, pid, sha, experiment, variant = call
            if host.usage is None or sha is None:
                return
            report = {"success": success, "latency_ms": latency_ms, "input_tokens": input_tokens, "output_tokens": output_tokens, "model": model,
                      "feedback": feedback, "metadata": metadata, "consent": consent, "input": input, "output": output}
            if consent is not True and (input is not None or output is not None):
                report["input"] = report["output"] = None
                self._on_error(PromptForgeError("consent_required", "record_usage: input and output are sent only with consent=True; the text was dropped, the rest of the report recorded"))
            event: Dict[str, Any] = {_WIRE.get(k, k): v for k, v in report.items() if v is not None}
            at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            event.update(repo=repo, id=pid, sha=sha, trackingId=tracking_id, at=at)
            if experiment is not None:
                event.update(experiment=experiment, variant=variant)
            host.usage.push(event)
        except Exception as error:  # noqa: BLE001 - usage reporting must never break the app
            self._on_error(error)

    def flush_usage(self) -> None:
        """Sends queued usage now (returns when sent, or when the forge cannot take it)."""
        for host in self._hosts.values():
            if host.usage is not None:
                host.usage.flush()

    def usage_stats(self) -> UsageStats:
        stats = [h.usage.stats() for h in self._hosts.values() if h.usage is not None]
        return UsageStats(*(sum(s[i] for s in stats) for i in range(4)))

    def host_states(self) -> Dict[str, str]:
        """Host → ``up`` (the client talks to it) or ``down`` (circuit open)."""
        return {name: "up" if h.available() else "down" for name, h in self._hosts.items()}

    def wait_until_live(self, timeout: Optional[float] = None) -> bool:
        """Waits until every host's event stream is connected (live updates flowing), e.g.
        at startup or in tests; True when they are, False after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for host in self._hosts.values():
            if host.events is None:
                continue
            if not host.live.wait(None if deadline is None else max(0.0, deadline - time.monotonic())):
                return False
        return True

    def on_change(self, listener: Callable[[Prompt], None]) -> None:
        """Calls ``listener`` (in a background thread) with the new answer each time a live
        update or refresh replaces a cached prompt with a different version."""
        self._listeners.append(listener)

    def close(self) -> None:
        """Flushes usage and the snapshot, stops following events and the background threads."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self._at_exit)
        for host in self._hosts.values():
            if host.events is not None:
                host.events.stop()
            host.breaker.stop()
            if host.usage is not None:
                host.usage.close()
        self._refresh_queue.put(None)
        if self._snapshot is not None:
            self._snapshot.flush()
        for host in self._hosts.values():
            host.http.close()

    def __enter__(self) -> "PromptClient":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- experiments -------------------------------------------------------------------

    def set_experiment(self, host: str, repo: str, prompt_id: str, label: str, definition: Optional[Mapping[str, Any]]) -> None:
        """Starts, changes (``definition``) or stops (None) an experiment on a label. The forge
        sends these as ``experiment`` events; apps rarely call this themselves."""
        key = (host, repo, prompt_id, label)
        if definition is None:
            self._experiments.pop(key, None)
        else:
            self._experiments[key] = dict(definition)

    def _assign(self, target: Target, unit: str) -> Tuple[Target, Optional[str], Optional[str]]:
        definition = self._experiments.get((target.host, target.repo, target.id, target.version))
        if definition is None:
            return target, None, None
        index = assignment.assign_variant(definition, unit)
        experiment = str(definition.get("key", target.version))
        if index < 0:
            return target, None, None
        if index == 0:
            return target, experiment, "control"
        variant = definition["variants"][index - 1]
        version = str(variant.get("sha") or variant["version"])
        uri = format_prompt_uri(PromptUri(target.host, target.repo, target.id, version, target.query or {}))
        return self._refs.parse(uri), experiment, str(variant.get("name") or variant["version"])

    # --- answers -----------------------------------------------------------------------

    def _answer(self, target: Target, entry: Entry, params: Mapping[str, Any], source: str, experiment: Optional[str], variant: Optional[str]) -> Prompt:
        rendered = entry.render(self._defaults, target.query, params, target.uri)
        canonical = pinned_uri(PromptUri(target.host, target.repo, target.id, None, target.query), entry.sha) if target.query and entry.sha else entry.canonical
        host = self._hosts[target.host]
        tracking_id = self._tracking.issue((host, target.repo, target.id, entry.sha, experiment, variant))
        return Prompt(entry.type, rendered.text, rendered.messages, target.uri, canonical, target.repo, target.id, entry.sha, entry.release, entry.labels,
                      rendered.values, source, tracking_id, experiment, variant)

    def _obtain(self, target: Target, params: Mapping[str, Any]) -> Tuple[Entry, str]:
        """Forge, then snapshot, then fallbacks; an error only when none of them has the prompt."""
        host = self._hosts[target.host]
        tried: List[str] = []
        if host.available():
            try:
                return self._fetch(target, host, {**self._defaults, **(target.query or {}), **params}), "forge"
            except PromptForgeError as error:
                definite = definite_error(error, target.uri)
                if definite is not None:
                    raise definite from None
                tried.append("%s (%s)" % (host.describe, reason_of(error)))
        else:
            tried.append("%s (%s)" % (host.describe, host.down_reason()))
        tried.append("cache (no entry)")
        saved = self._snapshot.entries.get(target.key) if self._snapshot is not None else None
        if saved is not None:
            return saved, "snapshot"
        tried.append("snapshot %s (no entry)" % self._snapshot.path if self._snapshot is not None else "snapshot (not configured)")
        fallback = self._fallbacks.find(target)
        if fallback is not None:
            return fallback, "fallback"
        tried.append("fallback (%s)" % self._fallbacks.describe())
        raise PromptUnavailable(target.uri, tried)

    def _fetch(self, target: Target, host: Host, given: Mapping[str, Any]) -> Entry:
        """Resolves on the forge; the answer goes to the cache and the snapshot."""
        query = {k: v if isinstance(v, str) else _json(v) for k, v in given.items() if v is not None}
        uri = format_prompt_uri(PromptUri(target.host, target.repo, target.id, target.version, query))
        with self._lock:
            self._inflight.add(target.key)
        try:
            try:
                resolution = host.http.resolve(uri)
                host.breaker.success()
            except ForgeUnreachable as error:
                host.breaker.failure(error)
                raise
            except ForgeApiError as error:
                if error.status >= 500:
                    host.breaker.failure(error)
                else:
                    host.breaker.success()
                raise
            entry = Entry.from_resolution(resolution)
            fresh = _FOREVER if is_immutable(target, entry.sha, entry.release, entry.kind) else time.monotonic() + self._ttl
            old = self._cache.get(target.key)
            self._store(target.key, _Cached(target, entry, fresh, dict(given), next(self._clock)))
            if self._snapshot is not None:
                self._snapshot.put(target.key, entry)
            if old is not None and (old.entry.sha != entry.sha or old.entry.template != entry.template) and self._listeners:
                self._notify(target, entry, old.fetched_with)
            return entry
        finally:
            with self._lock:
                self._inflight.discard(target.key)
                again = target.key in self._changed_during_fetch
                self._changed_during_fetch.discard(target.key)
            if again:
                # This answer may predate the change the event announced: ask once more.
                cached = self._cache.get(target.key)
                if cached is not None and cached.fresh_until != _FOREVER:
                    cached.fresh_until = 0
                    self._schedule_refresh(target.key)

    def _store(self, key: str, cached: _Cached) -> None:
        self._cache[key] = cached
        if len(self._cache) > self._max:
            with self._lock:
                # A snapshot of the items: other threads may insert while this scans.
                oldest = min(list(self._cache.items()), key=lambda kv: kv[1].used, default=None)
                if oldest is not None and len(self._cache) > self._max:
                    self._cache.pop(oldest[0], None)

    def _notify(self, target: Target, entry: Entry, given: Mapping[str, Any]) -> None:
        try:
            # The URI's own query is applied by the render; the rest is what the app passed.
            prompt = self._answer(target, entry, {k: v for k, v in given.items() if k not in (target.query or {})}, "forge", None, None)
        except PromptForgeError as error:
            self._on_error(error)
            return
        for listener in list(self._listeners):
            try:
                listener(prompt)
            except Exception as error:  # noqa: BLE001 - a listener's bug stays in the listener
                self._on_error(error)

    # --- background --------------------------------------------------------------------

    def _schedule_refresh(self, key: str) -> None:
        if self._closed or key in self._queued:
            return
        self._queued.add(key)
        self._refresh_queue.put(key)

    def _refresh_loop(self) -> None:
        while True:
            key = self._refresh_queue.get()
            if key is None:
                return
            self._queued.discard(key)
            cached = self._cache.get(key)
            if cached is None:
                continue
            host = self._hosts[cached.target.host]
            if not host.available() or cached.fresh_until > time.monotonic():
                continue
            with self._lock:
                if key in self._inflight:
                    continue
            try:
                self._fetch(cached.target, host, cached.fetched_with)
            except PromptForgeError as error:
                # A definite answer (the label or prompt is gone) drops the entry, so the next get says so.
                if definite_error(error, cached.target.uri) is not None:
                    self._cache.pop(key, None)
                    if self._snapshot is not None:
                        self._snapshot.delete(key)
                self._on_error(error)
            except Exception as error:  # noqa: BLE001 - the refresher must never die
                self._on_error(error)

    def _follow(self, host: Host) -> EventFollower:
        def on_event(kind: str, data: Dict[str, Any]) -> None:
            repo, pid = data.get("repo"), data.get("id")
            if kind in ("experiment", "experiment.stopped") and isinstance(repo, str) and isinstance(pid, str) and isinstance(data.get("label"), str):
                definition = data.get("definition", data.get("experiment"))
                running = kind == "experiment" and isinstance(definition, dict) and definition.get("status", "running") == "running"
                self.set_experiment(host.name, repo, pid, data["label"], definition if running else None)
                return
            self._changed(host.name, repo if isinstance(repo, str) else None, pid if isinstance(pid, str) else None)

        def on_open() -> None:
            host.opened += 1
            host.breaker.success()
            host.live.set()
            if host.opened > 1:
                # After a reconnect anything may have moved.
                self._changed(host.name, None, None)

        def on_error(error: BaseException) -> None:
            # A dropped stream is the first sign of a dying forge; it counts like a failed call.
            host.live.clear()
            host.breaker.failure(error)
            self._on_error(error)

        return EventFollower(host.http, on_event, on_open, on_error)

    def _changed(self, host: str, repo: Optional[str], pid: Optional[str]) -> None:
        """Movable entries of that prompt (or of everything) are stale now and refreshed."""
        prefix = "\n".join(p for p in (host, repo, pid) if p is not None) + "\n"
        due = []
        for key, cached in list(self._cache.items()):
            if cached.fresh_until != _FOREVER and key.startswith(prefix):
                cached.fresh_until = 0
                due.append(key)
        with self._lock:
            for key in self._inflight:
                if key.startswith(prefix):
                    self._changed_during_fetch.add(key)
        for key in due:
            self._schedule_refresh(key)

    def _at_exit(self) -> None:
        # One last flush; a dead forge is skipped at once (breaker) or costs one timeout.
        try:
            for host in self._hosts.values():
                if host.usage is not None:
                    host.usage.flush()
            if self._snapshot is not None:
                self._snapshot.flush()
        except Exception:  # noqa: BLE001 - never an error at interpreter exit
            pass


def _json(value: Any) -> str:
    from ._js import stringify

    return stringify(value)
