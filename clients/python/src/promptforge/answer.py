"""What ``get`` answers (Prompt), and the tracking ids that tie a usage report to it."""
import itertools
import os
from typing import Any, Dict, List, Optional, Tuple


class Prompt:
    """One answer of ``get``: the rendered prompt and exactly which version it is."""

    __slots__ = ("type", "text", "messages", "uri", "canonical", "repo", "id", "sha", "release", "labels", "params", "source", "tracking_id", "experiment", "variant")

    def __init__(self, type: str, text: Optional[str], messages: Optional[List[Dict[str, str]]], uri: str, canonical: Optional[str], repo: str, id: str,
                 sha: Optional[str], release: Optional[str], labels: List[str], params: Dict[str, Any], source: str, tracking_id: str,
                 experiment: Optional[str], variant: Optional[str]) -> None:
        self.type = type
        #: The rendered text (text prompts), else None.
        self.text = text
        #: The rendered messages (chat prompts: ``[{"role", "content"}]``), else None.
        self.messages = messages
        #: The reference, expanded to a full URI.
        self.uri = uri
        #: The exact version as a SHA-pinned URI (None for an app-shipped fallback).
        self.canonical = canonical
        self.repo = repo
        self.id = id
        self.sha = sha
        self.release = release
        self.labels = labels
        #: The values rendered, defaults applied.
        self.params = params
        #: ``forge``, ``cache``, ``stale``, ``snapshot`` or ``fallback``.
        self.source = source
        #: Pass to ``record_usage`` to tie a call's outcome to this exact version.
        self.tracking_id = tracking_id
        #: The label whose experiment assigned this answer (with ``unit=``), else None.
        self.experiment = experiment
        #: The variant's version, or ``"control"``; None without an experiment.
        self.variant = variant

    def __repr__(self) -> str:
        return "Prompt(uri=%r, sha=%r, release=%r, labels=%r, source=%r)" % (self.uri, self.sha, self.release, self.labels, self.source)


class Tracking:
    """Tracking ids index a fixed ring: issuing one costs a counter bump."""

    def __init__(self, size: int = 16384) -> None:
        self.size = size
        self.ring: List[Optional[Tuple[int, Any]]] = [None] * size
        self.counter = itertools.count(1)
        self.prefix = "t%s." % os.urandom(4).hex()

    def issue(self, call: Any) -> str:
        seq = next(self.counter)
        self.ring[seq % self.size] = (seq, call)
        return self.prefix + format(seq, "x")

    def lookup(self, tracking_id: str) -> Any:
        if not isinstance(tracking_id, str) or not tracking_id.startswith(self.prefix):
            return None
        try:
            seq = int(tracking_id[len(self.prefix):], 16)
        except ValueError:
            return None
        slot = self.ring[seq % self.size]
        return slot[1] if slot is not None and slot[0] == seq else None
