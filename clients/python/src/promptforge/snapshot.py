"""The last-known-good snapshot: every prompt the app resolved, in one JSON file (the
TypeScript SDK's format), so an app restarted while the forge is down still serves the
real prompts it last saw. Written atomically (temp file + rename)."""
import datetime
import json
import os
import threading
from typing import Callable, Dict, Optional

from .entry import Entry


def read_snapshot(path: str) -> Dict[str, Entry]:
    """A missing file is an empty snapshot; a corrupt one an error."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}
    if not isinstance(data, dict) or data.get("format") != "promptforge-snapshot" or not isinstance(data.get("entries"), dict):
        raise ValueError("%s is not a prompt snapshot file" % path)
    return {key: Entry.from_json(value) for key, value in data["entries"].items()}


class Snapshot:
    def __init__(self, path: str, on_error: Callable[[BaseException], None], write_delay: float = 0.1) -> None:
        self.path = path
        self._on_error = on_error
        self._delay = write_delay
        self._lock = threading.Lock()
        self._timer: Optional[threading.Timer] = None
        try:
            self.entries = read_snapshot(path)
        except (OSError, ValueError, KeyError) as error:
            on_error(ValueError("ignoring snapshot %s: %s" % (path, error)))
            self.entries = {}

    def put(self, key: str, entry: Entry) -> None:
        old = self.entries.get(key)
        if old is not None and old.sha == entry.sha and old.template == entry.template and old.labels == entry.labels:
            return
        self.entries[key] = entry
        self._schedule()

    def delete(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self._schedule()

    def flush(self) -> None:
        """Writes now if anything changed since the last write."""
        with self._lock:
            if self._timer is None:
                return
            self._timer.cancel()
            self._timer = None
            try:
                data = {
                    "format": "promptforge-snapshot", "version": 1,
                    "savedAt": datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z"),
                    "entries": {key: e.to_json() for key, e in list(self.entries.items())},
                }
                folder = os.path.dirname(os.path.abspath(self.path))
                os.makedirs(folder, exist_ok=True)
                temp = "%s.%d.tmp" % (self.path, os.getpid())
                with open(temp, "w", encoding="utf-8") as f:
                    json.dump(data, f)
                os.replace(temp, self.path)
            except OSError as error:
                self._on_error(OSError("cannot write snapshot %s: %s" % (self.path, error)))

    def _schedule(self) -> None:
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(self._delay, self.flush)
            self._timer.daemon = True
            self._timer.start()
