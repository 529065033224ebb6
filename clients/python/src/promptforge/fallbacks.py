"""Prompts the app ships for when neither the forge, the cache nor the snapshot can
answer: inline templates, a folder of ``.prompt`` files (read when first needed), or a
snapshot file. Looked up by ``REPO/ID``, then by ``ID``."""
import os
from typing import Callable, Dict, Mapping, Optional, Union

from .entry import Entry
from .reference import Target
from .snapshot import read_snapshot

InlinePrompt = Union[str, Mapping[str, object]]


class Fallbacks:
    def __init__(self, prompts: Optional[Mapping[str, InlinePrompt]], folder: Optional[str], snapshot: Optional[str], on_error: Callable[[BaseException], None]) -> None:
        self.folder = folder
        self.snapshot = snapshot
        self._on_error = on_error
        self._inline: Dict[str, Entry] = {}
        self._from_folder: Dict[str, Optional[Entry]] = {}
        self._shipped: Optional[Dict[str, Entry]] = None
        for name, prompt in (prompts or {}).items():
            spec: Mapping[str, object] = {"template": prompt} if isinstance(prompt, str) else prompt
            repo, _, pid = name.rpartition("/")
            params = spec.get("params")
            self._inline[name] = Entry(repo, pid, None, str(spec.get("type") or "text"), str(spec["template"]), dict(params) if isinstance(params, dict) else {}, any_params=params is None)

    def find(self, target: Target) -> Optional[Entry]:
        inline = self._inline.get(target.repo + "/" + target.id) or self._inline.get(target.id)
        if inline is not None:
            return inline
        return self._folder_entry(target) or self._snapshot_entry(target)

    def describe(self) -> str:
        where = [w for w in (
            "%d inline prompts" % len(self._inline) if self._inline else "",
            "folder %s" % self.folder if self.folder else "",
            "file %s" % self.snapshot if self.snapshot else "",
        ) if w]
        return "none for this prompt among " + ", ".join(where) if where else "none configured"

    def _folder_entry(self, target: Target) -> Optional[Entry]:
        if not self.folder:
            return None
        key = target.repo + "/" + target.id
        if key not in self._from_folder:
            self._from_folder[key] = None
            for path in (os.path.join(self.folder, target.repo, target.id + ".prompt"), os.path.join(self.folder, target.id + ".prompt")):
                try:
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                except OSError:
                    continue
                try:
                    self._from_folder[key] = Entry.from_prompt_file(text, target.repo, target.id, path)
                except Exception as error:  # noqa: BLE001 - a broken fallback is reported, the lookup moves on
                    self._on_error(error)
                break
        return self._from_folder[key]

    def _snapshot_entry(self, target: Target) -> Optional[Entry]:
        if not self.snapshot:
            return None
        if self._shipped is None:
            try:
                self._shipped = read_snapshot(self.snapshot)
            except (OSError, ValueError, KeyError) as error:
                self._on_error(ValueError("cannot read fallback snapshot %s: %s" % (self.snapshot, error)))
                self._shipped = {}
        exact = self._shipped.get(target.key)
        if exact is not None:
            return exact
        return next((e for e in self._shipped.values() if e.repo == target.repo and e.id == target.id), None)
