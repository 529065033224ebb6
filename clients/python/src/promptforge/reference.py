"""From what an app writes (a URI, a short ref ``ID:VERSION``, an alias) to a target: host,
repo, id and version, the URI to resolve, and the cache key (the TypeScript SDK's key,
so the two share snapshot files)."""
from typing import Dict, Mapping, NamedTuple, Optional, Sequence

from .errors import InvalidUri
from .uri import PromptUri, expand_reference, format_prompt_uri
from .version_spec import classify_version, exact_release, is_sha_like, parse_version_spec


class Target(NamedTuple):
    host: str
    repo: str
    id: str
    version: str
    #: Params written in the URI's query; None when it has none.
    query: Optional[Dict[str, str]]
    #: The full URI without its query: what is resolved.
    uri: str
    #: Host, repo, id and ``kinds:version``, one per line.
    key: str


class ReferenceParser:
    def __init__(self, host: Optional[str], repo: Optional[str], version: Optional[str], aliases: Mapping[str, str], host_names: Sequence[str]) -> None:
        self.host = host
        self.repo = repo
        self.version = version
        self.aliases = dict(aliases)
        self.host_names = list(host_names)
        #: Apps use a handful of references, so each is parsed once.
        self.memo: Dict[str, Target] = {}

    def parse(self, ref: str) -> Target:
        target = self.memo.get(ref)
        if target is None:
            target = self._build(ref)
            if len(self.memo) >= 10000:
                self.memo.clear()
            self.memo[ref] = target
        return target

    def _build(self, ref: str) -> Target:
        if not isinstance(ref, str):
            raise InvalidUri(str(ref), "a prompt reference must be a string")
        parsed = expand_reference(ref, self.host, self.repo, self.aliases)
        if parsed.uri is None:
            first = parsed.errors[0] if parsed.errors else None
            raise InvalidUri(ref, "; ".join(e.message for e in parsed.errors) or "not a prompt URI or short reference", first.code if first else "invalid_uri")
        uri = parsed.uri
        if uri.host not in self.host_names:
            raise InvalidUri(ref, 'unknown host "%s" (configured hosts: %s)' % (uri.host, ", ".join(self.host_names) or "none"), "unknown_host")
        version = uri.version if uri.version is not None else (self.version or "HEAD")
        kinds = classify_version(version)
        if not kinds:
            problems = parse_version_spec(version).errors
            raise InvalidUri(ref, "; ".join(p.message for p in problems) or 'invalid version "%s"' % version, problems[0].code if problems else "invalid_version")
        return Target(
            uri.host, uri.repo, uri.id, version, dict(uri.params) if uri.params else None,
            format_prompt_uri(PromptUri(uri.host, uri.repo, uri.id, version, {})),
            "%s\n%s\n%s\n%s:%s" % (uri.host, uri.repo, uri.id, "|".join(kinds), version),
        )


def is_immutable(target: Target, sha: Optional[str], release: Optional[str], kind: Optional[str]) -> bool:
    """SHAs and exact releases never change: their entries are kept for the life of the process."""
    if kind is not None:
        return kind in ("sha", "release")
    base = parse_version_spec(target.version).base
    exact = exact_release(base)
    if exact is not None:
        return release == exact
    return is_sha_like(base) and sha is not None and sha.startswith(base.lower())
