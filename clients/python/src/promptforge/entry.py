"""A cached prompt: the template and params schema of one resolved version, rendered
locally for every call, so different params share one entry and a cached get is a
lookup plus a render. Stored in snapshots in the TypeScript SDK's format."""
import re
from typing import Any, Dict, List, Mapping, Optional

from ._compiled import compile_render
from .errors import TemplateError, param_error
from .params import validate_params
from .prompt_file import parse_prompt_file
from .template import Partial, Plan, RenderFailure, Rendered, plan_prompt, render_planned

_QUERY = re.compile(r"\?.*\Z", re.S)


class Entry:
    __slots__ = ("repo", "id", "sha", "kind", "release", "labels", "type", "template", "params", "partials", "canonical", "any_params", "_plan", "_compiled")

    def __init__(
        self,
        repo: str,
        id: str,
        sha: Optional[str],
        type: str,
        template: str,
        params: Dict[str, Dict[str, Any]],
        kind: Optional[str] = None,
        release: Optional[str] = None,
        labels: Optional[List[str]] = None,
        partials: Optional[Dict[str, Partial]] = None,
        canonical: Optional[str] = None,
        any_params: bool = False,
    ) -> None:
        self.repo = repo
        self.id = id
        #: None for an app-shipped fallback, whose version is unknown.
        self.sha = sha
        #: Which version form matched (``label``, ``release``, ``sha``…), when the source says.
        self.kind = kind
        self.release = release
        self.labels = labels or []
        self.type = type
        self.template = template
        self.params = params
        self.partials = partials or {}
        #: SHA-pinned URI without params (None for a fallback).
        self.canonical = canonical
        #: A fallback given as a bare template declares no params: it takes whatever the call passes.
        self.any_params = any_params
        self._plan: Optional[Plan] = None
        self._compiled: Any = False

    @staticmethod
    def from_resolution(r: Mapping[str, Any]) -> "Entry":
        partials = {pid: Partial(p.get("template", ""), p.get("params") or {}) for pid, p in (r.get("partials") or {}).items()}
        return Entry(
            r["repo"], r["id"], r.get("sha"), r.get("type") or ("chat" if r.get("messages") else "text"), r.get("template", ""), dict(r.get("params") or {}),
            kind=r.get("kind") if isinstance(r.get("kind"), str) else None, release=r.get("release"), labels=list(r.get("labels") or []),
            partials=partials, canonical=_QUERY.sub("", r.get("canonical") or "") or None,
        )

    @staticmethod
    def from_prompt_file(text: str, repo: str, id: str, origin: str) -> "Entry":
        f = parse_prompt_file(text, origin)
        return Entry(repo, id, None, f.type, f.body, f.params)

    def to_json(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "repo": self.repo, "id": self.id, "sha": self.sha, "release": self.release, "labels": self.labels, "type": self.type,
            "template": self.template, "params": self.params, "canonical": self.canonical,
            "partials": {pid: {"template": p.template, "params": dict(p.params)} for pid, p in self.partials.items()},
        }
        if self.kind is not None:
            out["kind"] = self.kind
        if self.any_params:
            out["anyParams"] = True
        return out

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Entry":
        e = Entry.from_resolution(dict(data, canonical=data.get("canonical") or ""))
        e.canonical = data.get("canonical")
        e.any_params = bool(data.get("anyParams"))
        return e

    def plan(self) -> Plan:
        if self._plan is None:
            partials = self.partials
            self._plan = plan_prompt(self.template, {} if self.any_params else self.params, partials.get, self.id)
        return self._plan

    def render(self, defaults: Mapping[str, Any], query: Optional[Mapping[str, str]], params: Mapping[str, Any], uri: str) -> Rendered:
        """Renders with client defaults, the URI's query params (strings, converted by declared
        type as the forge does) and the call's params (typed), later ones winning."""
        if query:
            given: Mapping[str, Any] = {**defaults, **_from_query(self.params, query), **params}
        elif defaults:
            given = {**defaults, **params}
        else:
            given = params
        compiled = self._compiled
        if compiled is False:
            compiled = self._compiled = None if self.any_params else compile_render(self.plan(), self.type, self.template)
        if compiled is not None:
            fast = compiled(given)
            if fast is not None:
                return fast
        try:
            return render_planned(self.plan(), self.type, self.template, given, schema=_schema_of(given) if self.any_params else None)
        except RenderFailure as failure:
            message = " ".join(p.message for p in failure.problems)
            blamed = next((p for p in failure.problems if p.param is not None), None)
            if blamed is not None:
                raise param_error(uri, message, blamed.code, blamed.param) from None
            code = failure.problems[0].code if failure.problems else "render_failed"
            raise TemplateError(code, "%s: %s" % (uri, message)) from None


def _from_query(schema: Mapping[str, Mapping[str, Any]], query: Mapping[str, str]) -> Dict[str, Any]:
    values, _ = validate_params(schema, query, True)
    return {name: values[name] if name in values else query[name] for name in query}


def _schema_of(values: Mapping[str, Any]) -> Dict[str, Dict[str, Any]]:
    schema: Dict[str, Dict[str, Any]] = {}
    for name, value in values.items():
        if isinstance(value, bool):
            kind = "boolean"
        elif isinstance(value, (int, float)):
            kind = "number"
        elif isinstance(value, list):
            kind = "array"
        elif isinstance(value, dict):
            kind = "object"
        else:
            kind = "string"
        schema[name] = {"type": kind}
    return schema

