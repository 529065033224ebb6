"""Version spec syntax (DESIGN §2), as core/versionSpec.ts: what a VERSION may look like
and which kinds of version it could name. Ranges are offsets into the spec, in code
points (core counts UTF-16 units; they differ only around characters beyond U+FFFF)."""
import re
from typing import List, NamedTuple, Optional

from . import _semver
from ._js import utf16_length
from .problems import Problem

MAX_VERSION_LENGTH = 1024
CHANNELS = frozenset(["alpha", "beta", "canary", "rc"])
_MAX_ANCESTOR_DIGITS = 6
_REF_FORBIDDEN = " ~^:?*[\\"
_LOOKS_LIKE_RANGE = re.compile(r"[<>=^|*]")
_STARTS_LIKE_RANGE = re.compile(r"[~v0-9]")


class VersionSpec(NamedTuple):
    base: str
    ancestor: int
    errors: List[Problem]


def _is_alnum(c: str) -> bool:
    return ("0" <= c <= "9") or ("A" <= c <= "Z") or ("a" <= c <= "z")


def _is_hex(c: str) -> bool:
    return ("0" <= c <= "9") or ("A" <= c <= "F") or ("a" <= c <= "f")


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9" and len(c) == 1


def is_control(code: int) -> bool:
    return code < 0x20 or 0x7F <= code <= 0x9F


def is_valid_segment(s: str) -> bool:
    """REPO and ID segments, and label names: ``[A-Za-z0-9][A-Za-z0-9._-]*``."""
    if not s or not _is_alnum(s[0]):
        return False
    return all(_is_alnum(c) or c in "._-" for c in s[1:])


def is_sha_like(s: str) -> bool:
    return 7 <= len(s) <= 40 and all(_is_hex(c) for c in s)


def exact_release(s: str) -> Optional[str]:
    """``1.2.3`` or ``v1.2.3`` (strict semver) → ``1.2.3``; else None."""
    bare = s[1:] if s.startswith("v") else s
    return bare if bare[:1] != "" and _is_digit(bare[0]) and _semver.valid(bare) == bare else None


def is_range(s: str) -> bool:
    return _might_be_range(s) and exact_release(s) is None and _semver.valid_range(s)


def _might_be_range(s: str) -> bool:
    i, n = 0, len(s)
    while i < n:
        while i < n and s[i] == " ":
            i += 1
        if i >= n:
            break
        token_start = i
        while i < n and s[i] in "<>=~^":
            i += 1
        if i < n and s[i] == "v":
            i += 1
        operator_only = i >= n or s[i] == " "
        hyphen_or_or = s[token_start] in "-|"
        if not operator_only and not hyphen_or_or and not (_is_digit(s[i]) or s[i] in "xX*"):
            return False
        while i < n and s[i] != " ":
            i += 1
    return True


def _u(code: int) -> str:
    return "U+%04X" % code


def ref_name_problem(name: str) -> Optional["tuple[str, int, int]"]:
    """The first reason ``name`` is not a valid git ref name, with its range; None when valid."""
    if name == "":
        return ("is empty", 0, 0)
    if name == "@":
        return ('must not be "@"', 0, 1)
    if name[0] == "-":
        return ('must not start with "-"', 0, 1)
    component_start = 0
    n = len(name)
    for i in range(n + 1):
        c = name[i] if i < n else "/"
        if c == "/":
            component = name[component_start:i]
            if component == "":
                return ('has an empty path component ("/" at the start, the end or twice)', max(0, i - 1), min(n, i + 1))
            if component.startswith("."):
                return ('has a path component starting with "." ("%s")' % component, component_start, i)
            if component.endswith(".lock"):
                return ('has a path component ending with ".lock" ("%s")' % component, component_start, i)
            component_start = i + 1
            continue
        if is_control(ord(c)):
            return ("contains the control character " + _u(ord(c)), i, i + 1)
        if c in _REF_FORBIDDEN:
            return ('contains "%s"' % c, i, i + 1)
        if c == "." and name[i + 1 : i + 2] == ".":
            return ('contains ".."', i, i + 2)
        if c == "@" and name[i + 1 : i + 2] == "{":
            return ('contains "@{"', i, i + 2)
    if name.endswith("."):
        return ('must not end with "."', n - 1, n)
    return None


def _hostile(spec: str) -> Optional["tuple[str, int, int]"]:
    if spec.startswith("-"):
        return ('must not start with "-"', 0, 1)
    if spec.startswith(" "):
        return ("must not start with a space", 0, 1)
    if spec.endswith(" "):
        return ("must not end with a space", len(spec) - 1, len(spec))
    for i, c in enumerate(spec):
        code = ord(c)
        if is_control(code):
            return ("contains the control character " + _u(code), i, i + 1)
        if c == "." and spec[i + 1 : i + 2] == ".":
            return ('contains ".."', i, i + 2)
        if c == "@" and spec[i + 1 : i + 2] == "{":
            return ('contains "@{"', i, i + 2)
        if 0xD800 <= code <= 0xDFFF:
            return ("contains an unpaired UTF-16 surrogate", i, i + 1)
    return None


def quote(s: str) -> str:
    import json

    return json.dumps(s[:80] + "…" if len(s) > 80 else s, ensure_ascii=False)


def parse_version_spec(spec: str) -> VersionSpec:
    """Splits off a ``~N`` suffix and validates the rest."""

    def fail(message: str, start: int, end: int) -> VersionSpec:
        return VersionSpec(spec, 0, [Problem("invalid_version", "invalid version %s: %s" % (quote(spec), message), start, end)])

    if utf16_length(spec) > MAX_VERSION_LENGTH:
        return fail("longer than %d characters" % MAX_VERSION_LENGTH, MAX_VERSION_LENGTH, len(spec))
    hostile = _hostile(spec)
    if hostile:
        return fail(*hostile)
    base, ancestor = spec, 0
    tilde = spec.rfind("~")
    if tilde > 0 and spec[tilde - 1] not in " <>=|":
        digits = spec[tilde + 1 :]
        if digits == "":
            return fail('"~" must be followed by how many versions to go back, e.g. ~1', tilde, tilde + 1)
        if digits.isascii() and digits.isdigit():
            if len(digits) > _MAX_ANCESTOR_DIGITS:
                return fail('"~%s" goes back too far' % digits, tilde, len(spec))
            base, ancestor = spec[:tilde], int(digits)
    if base == "" and ancestor > 0:
        return fail('"~N" needs a version before it, e.g. HEAD~1', 0, tilde)
    why = ref_name_problem(base)
    if base == "" or why is None or is_range(base):
        return VersionSpec(base, ancestor, [])
    assert why is not None
    looks_like_range = bool(_LOOKS_LIKE_RANGE.search(base)) or bool(_STARTS_LIKE_RANGE.match(base))
    message = ("neither a semver range nor a branch, label or release name (%s)" % why[0]) if looks_like_range else ("not a valid branch, label or release name: it %s" % why[0])
    return fail(message, why[1], why[2])


def kinds_of(base: str) -> List[str]:
    if base in ("", "HEAD"):
        return ["head"]
    kinds: List[str] = []
    valid_ref = ref_name_problem(base) is None
    if base.endswith("/HEAD") and ref_name_problem(base[:-5]) is None:
        kinds.append("branch-head")
    if is_valid_segment(base):
        kinds.append("label")
    if exact_release(base) is not None:
        kinds.append("release")
    elif is_range(base):
        kinds.append("range")
    if base == "latest":
        kinds.append("latest")
    if base in CHANNELS:
        kinds.append("channel")
    if valid_ref:
        kinds.append("branch")
    if is_sha_like(base):
        kinds.append("sha")
    return kinds


def classify_version(spec: str) -> List[str]:
    """The kinds a spec's base could name, in resolution precedence order; empty when invalid."""
    parsed = parse_version_spec(spec)
    return [] if parsed.errors else kinds_of(parsed.base)
