"""Prompt URIs (DESIGN §2), as core/uri.ts: ``prompt://HOST/REPO/ID[/VERSION][?NAME=VALUE&...]``,
the short forms ``[REPO/]ID[:VERSION]`` and configured aliases.

Parsing never raises on user text: it returns what it could read plus problems with
stable codes and exact ranges. Ranges count code points (core counts UTF-16 units)."""
from typing import Dict, List, Mapping, NamedTuple, Optional

from ._js import object_key_order, utf16_length
from .problems import Problem
from .version_spec import is_control, is_valid_segment, parse_version_spec, quote

MAX_URI_LENGTH = 8192
SCHEME = "prompt://"


class PromptUri(NamedTuple):
    host: str
    repo: str
    id: str
    #: Percent-decoded; None when absent.
    version: Optional[str]
    #: Percent-decoded, in source order.
    params: Dict[str, str]


class ParsedUri:
    """What a parse found: ``uri`` only when there are no ``errors``."""

    __slots__ = ("uri", "host", "repo", "id", "version", "params", "errors", "form", "alias")

    def __init__(self, form: str) -> None:
        self.uri: Optional[PromptUri] = None
        self.host: Optional[str] = None
        self.repo: Optional[str] = None
        self.id: Optional[str] = None
        self.version: Optional[str] = None
        self.params: Dict[str, str] = {}
        self.errors: List[Problem] = []
        self.form = form
        self.alias: Optional[str] = None


def _fail(out: ParsedUri, code: str, message: str, start: int, end: int) -> None:
    out.errors.append(Problem(code, message, start, end))


def _done(out: ParsedUri) -> ParsedUri:
    if not out.errors and out.host is not None and out.repo is not None and out.id is not None:
        out.uri = PromptUri(out.host, out.repo, out.id, out.version, out.params)
    return out


def _too_long(text: str, out: ParsedUri) -> bool:
    length = utf16_length(text)
    if length <= MAX_URI_LENGTH:
        return False
    _fail(out, "too_long", "prompt reference is %d characters long; the limit is %d" % (length, MAX_URI_LENGTH), 0, len(text))
    return True


def parse_prompt_uri(text: str) -> ParsedUri:
    out = ParsedUri("full")
    if _too_long(text, out):
        return out
    pos = len(SCHEME)
    if text[:pos].lower() != SCHEME:
        sep = text.find("://")
        if sep > 0 and _is_scheme_name(text[:sep]):
            _fail(out, "invalid_scheme", "unsupported scheme %s: prompt URIs start with prompt://" % quote(text[:sep]), 0, sep + 3)
            pos = sep + 3
        else:
            incomplete = len(text) > 0 and SCHEME.startswith(text.lower())
            message = ("incomplete prompt URI %s: expected prompt://HOST/REPO/ID" if incomplete else "%s is not a prompt URI: it must start with prompt://") % quote(text)
            _fail(out, "invalid_scheme", message, 0, len(text))
            return _done(out)
    host_end = _find_any(text, pos, "/?#")
    _read_host(text, pos, host_end, out)
    pos = host_end
    if text[pos : pos + 1] != "/":
        _fail(out, "missing_repo", "missing repo: expected prompt://HOST/REPO/ID", pos, pos)
        _read_query_and_fragment(text, pos, out)
        return _done(out)
    repo_end = _find_any(text, pos + 1, "/?#")
    _read_segment(text, pos + 1, repo_end, "repo", out)
    pos = repo_end
    if text[pos : pos + 1] != "/":
        _fail(out, "missing_id", "missing prompt id: expected prompt://HOST/REPO/ID", pos, pos)
        _read_query_and_fragment(text, pos, out)
        return _done(out)
    id_end = _find_any(text, pos + 1, "/?#")
    _read_segment(text, pos + 1, id_end, "id", out)
    pos = id_end
    if text[pos : pos + 1] == "/":
        version_end = _find_any(text, pos + 1, "?#")
        _read_version(text, pos + 1, version_end, "/", out)
        pos = version_end
    _read_query_and_fragment(text, pos, out)
    return _done(out)


def parse_short_ref(text: str, host: Optional[str] = None, repo: Optional[str] = None) -> ParsedUri:
    """``ID``, ``ID:VERSION``, ``REPO/ID``, ``REPO/ID:VERSION`` (optionally ``?params``), completed with defaults."""
    out = ParsedUri("short")
    if _too_long(text, out):
        return out
    if not host:
        _fail(out, "missing_host", "no default host is configured for the short reference %s: write a full prompt:// URI" % quote(text), 0, 0)
    else:
        out.host = host
    pos = _find_any(text, 0, "/:?#")
    if text[pos : pos + 1] == "/":
        _read_segment(text, 0, pos, "repo", out)
        id_end = _find_any(text, pos + 1, ":?#")
        _read_segment(text, pos + 1, id_end, "id", out)
        pos = id_end
    else:
        if not repo:
            _fail(out, "missing_repo", "no default repo is configured for the short reference %s: write REPO/%s or a full prompt:// URI" % (quote(text), text[:80]), 0, 0)
        else:
            out.repo = repo
        _read_segment(text, 0, pos, "id", out)
    if text[pos : pos + 1] == ":":
        version_end = _find_any(text, pos + 1, "?#")
        _read_version(text, pos + 1, version_end, ":", out)
        pos = version_end
    _read_query_and_fragment(text, pos, out)
    return _done(out)


def looks_like_uri(text: str) -> bool:
    return "://" in text or text[:8].lower() == "prompt:/"


def expand_reference(text: str, host: Optional[str] = None, repo: Optional[str] = None, aliases: Optional[Mapping[str, str]] = None) -> ParsedUri:
    """A full URI, an alias name or a short reference, in that order of recognition."""
    if looks_like_uri(text):
        return parse_prompt_uri(text)
    if aliases is None or text not in aliases:
        return parse_short_ref(text, host, repo)
    target = aliases[text]
    parsed = parse_prompt_uri(target) if looks_like_uri(target) else parse_short_ref(target, host, repo)
    parsed.errors = [Problem(e.code, "alias %s (%s): %s" % (text, quote(target), e.message), 0, len(text)) for e in parsed.errors]
    parsed.alias = text
    return parsed


_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
_VERSION_RAW = frozenset(_UNRESERVED + "!$&()*+,;=:@/^")
_PARAM_RAW = frozenset(_UNRESERVED + "!$()*,;:@/^")


def _percent(ch: str) -> str:
    if 0xD800 <= ord(ch) <= 0xDFFF:
        ch = "\ufffd"
    return "".join("%%%02X" % b for b in ch.encode("utf-8"))


def _encode(value: str, raw: "frozenset[str]") -> str:
    return "".join(ch if ch in raw else _percent(ch) for ch in value)


def format_prompt_uri(uri: PromptUri) -> str:
    """The URI text; ``format(parse(x))`` is stable. Lone surrogates become U+FFFD."""
    text = SCHEME + uri.host + "/" + uri.repo + "/" + uri.id
    if uri.version is not None:
        text += "/" + _encode(uri.version, _VERSION_RAW)
    query = "&".join(_encode(k, _PARAM_RAW) + "=" + _encode(uri.params[k], _PARAM_RAW) for k in object_key_order(list(uri.params)))
    return text + "?" + query if query else text


def pinned_uri(uri: PromptUri, sha: str) -> str:
    return format_prompt_uri(uri._replace(version=sha))


# --- reading parts ---------------------------------------------------------------------


def _is_scheme_name(s: str) -> bool:
    if not s or len(s) > 32:
        return False
    for i, c in enumerate(s):
        letter = ("A" <= c <= "Z") or ("a" <= c <= "z")
        if not letter and (i == 0 or not (("0" <= c <= "9") or c in "+-.")):
            return False
    return True


def _find_any(text: str, start: int, stops: str) -> int:
    end = len(text)
    for stop in stops:
        at = text.find(stop, start)
        if 0 <= at < end:
            end = at
    return end


def _is_alnum(c: str) -> bool:
    return ("0" <= c <= "9") or ("A" <= c <= "Z") or ("a" <= c <= "z")


def _is_hex(c: str) -> bool:
    return ("0" <= c <= "9") or ("A" <= c <= "F") or ("a" <= c <= "f")


def _is_space_like(code: int) -> bool:
    return (
        code == 0x20 or is_control(code) or code == 0xA0 or code == 0x1680 or 0x2000 <= code <= 0x200B
        or code in (0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF)
    )


def _describe_char(text: str, i: int) -> str:
    if i >= len(text):
        return "the end"
    code = ord(text[i])
    if code == 0x20:
        return "a space"
    if _is_space_like(code) or code > 0x7E:
        return "U+%04X" % code + ("" if _is_space_like(code) else " " + quote(text[i]))
    return quote(text[i])


def _read_host(text: str, start: int, end: int, out: ParsedUri) -> None:
    value = text[start:end]
    out.host = value
    if value == "":
        _fail(out, "missing_host", "missing host: expected prompt://HOST/REPO/ID, e.g. prompt://localhost:7070/demo/welcome", start, end)
        return

    def invalid(why: str, a: int, b: int) -> None:
        _fail(out, "invalid_host", "invalid host %s: %s" % (quote(value), why), a, b)

    if text[start] == "[":
        close = text.find("]", start)
        if close < 0 or close >= end:
            return invalid('"[" is not closed by "]"', start, end)
        for i in range(start + 1, close):
            if not _is_hex(text[i]) and text[i] not in ":.":
                return invalid("%s is not allowed in an IPv6 address" % _describe_char(text, i), i, i + 1)
        if close == start + 1:
            return invalid("the IPv6 address is empty", start, close + 1)
        name_end = close + 1
        if name_end < end and text[name_end] != ":":
            return invalid('expected ":PORT" after "]"', name_end, end)
    else:
        name_end = start
        while name_end < end and text[name_end] != ":":
            name_end += 1
        if name_end == start:
            return invalid("the host name before the port is missing", start, start + 1)
        for i in range(start, name_end):
            c = text[i]
            if _is_alnum(c) or (c in "-._" and i > start):
                if c == "." and text[i + 1 : i + 2] == ".":
                    return invalid('empty label ".." in the host name', i, i + 2)
                continue
            if c == "@":
                return invalid('user names and passwords ("@") do not belong in prompt URIs', i, i + 1)
            if i == start and c in "-._":
                return invalid("the host name must start with a letter or digit", i, i + 1)
            return invalid("%s is not allowed in a host name" % _describe_char(text, i), i, i + 1)
        if text[name_end - 1] in "-.":
            return invalid("the host name must end with a letter or digit", name_end - 1, name_end)
    if name_end < end:
        port = text[name_end + 1 : end]
        if port == "":
            return invalid('the port after ":" is missing', name_end, end)
        digits = len(port) <= 5 and all("0" <= c <= "9" for c in port)
        if not digits or not 1 <= int(port) <= 65535:
            invalid("port %s must be a number from 1 to 65535" % quote(port), name_end + 1, end)


def _read_segment(text: str, start: int, end: int, part: str, out: ParsedUri) -> None:
    value = text[start:end]
    noun = "repo" if part == "repo" else "prompt id"
    setattr(out, part, value)
    if value == "":
        _fail(out, "missing_" + part, "missing " + noun, start, end)
        return
    if is_valid_segment(value):
        return
    bad = start
    while bad < end and (_is_alnum(text[bad]) or (bad > start and text[bad] in "._-")):
        bad += 1
    why = "must start with a letter or digit" if bad == start and text[bad : bad + 1] in ("-", ".", "_") and bad < len(text) else "%s is not allowed" % _describe_char(text, bad)
    _fail(out, "invalid_" + part, 'invalid %s %s: %s; use letters, digits, ".", "_" and "-"' % (noun, quote(value), why), bad, bad + 1)


def _read_version(text: str, start: int, end: int, separator: str, out: ParsedUri) -> None:
    value, ok, starts, ends = _decode(text, start, end, "invalid_version", "the version", out)
    out.version = value
    if not ok:
        return
    if value == "":
        _fail(out, "invalid_version", 'empty version after "%s": name a version or remove the "%s"' % (separator, separator), start - 1, start)
        return
    for error in parse_version_spec(value).errors:
        a, b = error.start, error.end
        start_at = starts[a] if a < len(starts) else end
        end_at = ends[b - 1] if b > a else start_at
        out.errors.append(Problem(error.code, error.message, start_at, end_at))


def _read_query_and_fragment(text: str, pos: int, out: ParsedUri) -> None:
    if text[pos : pos + 1] == "?":
        start = pos + 1
        end = _find_any(text, start, "#")
        if end > start:
            pair_start = start
            while pair_start <= end:
                at = text.find("&", pair_start)
                pair_end = end if at < 0 or at > end else at
                _read_param(text, pair_start, pair_end, end, out)
                pair_start = pair_end + 1
        pos = end
    if text[pos : pos + 1] == "#":
        _fail(out, "invalid_fragment", '%s: fragments are not part of prompt URIs (write "#" inside a value as %%23)' % quote(text[pos:]), pos, len(text))


def _read_param(text: str, start: int, end: int, query_end: int, out: ParsedUri) -> None:
    if start == end:
        amp = end if end < query_end else start - 1
        _fail(out, "invalid_param", 'empty parameter: "&" at the start, the end or twice in a row', amp, amp + 1)
        return
    at = text.find("=", start)
    eq = end if at < 0 or at > end else at
    name, name_ok, _, _ = _decode(text, start, eq, "invalid_param", "a parameter name", out)
    value = ""
    if eq < end:
        value = _decode(text, eq + 1, end, "invalid_param", "parameter %s" % quote(name), out)[0]
    if name == "" and name_ok:
        _fail(out, "invalid_param", "parameter %s has no name" % quote(text[start:end]), start, end)
        return
    if eq == end:
        _fail(out, "invalid_param", 'parameter %s has no value: write "%s=" for an empty one' % (quote(name), text[start:end]), start, end)
    if name in out.params:
        _fail(out, "duplicate_param", "parameter %s is given more than once" % quote(name), start, end)
        return
    out.params[name] = value


def _escape_at(text: str, i: int, end: int) -> int:
    if i + 2 >= end or text[i] != "%" or not _is_hex(text[i + 1]) or not _is_hex(text[i + 2]):
        return -1
    return int(text[i + 1 : i + 3], 16)


def _decode(text: str, start: int, end: int, raw_code: str, what: str, out: ParsedUri) -> "tuple[str, bool, List[int], List[int]]":
    """Percent-decodes text[start:end]; ``+`` stays ``+``. Raw spaces and controls are errors.
    Also returns each decoded character's source start and end, for mapping ranges back."""
    chunks: List[str] = []
    starts: List[int] = []
    ends: List[int] = []
    ok = True

    def push(chunk: str, a: int, b: int) -> None:
        chunks.append(chunk)
        starts.extend([a] * len(chunk))
        ends.extend([b] * len(chunk))

    i = start
    while i < end:
        c = text[i]
        code = ord(c)
        if code == 0x25:
            first = _escape_at(text, i, end)
            if first < 0:
                stop = min(i + 3, end)
                _fail(out, "invalid_encoding", '%s in %s: "%%" must be followed by two hex digits (write a literal "%%" as %%25)' % (quote(text[i:stop]), what), i, stop)
                ok = False
                push("%", i, i + 1)
                i += 1
                continue
            if first < 0x80:
                push(chr(first), i, i + 3)
                i += 3
                continue
            data = [first]
            count = 4 if first >= 0xF0 else 3 if first >= 0xE0 else 2 if first >= 0xC0 else 1
            j = i + 3
            b = _escape_at(text, j, end)
            while len(data) < count and b >= 0 and (b & 0xC0) == 0x80:
                data.append(b)
                j += 3
                b = _escape_at(text, j, end)
            try:
                push(bytes(data).decode("utf-8"), i, j)
            except UnicodeDecodeError:
                _fail(out, "invalid_encoding", "%s in %s is not valid UTF-8" % (quote(text[i:j]), what), i, j)
                ok = False
                push(text[i:j], i, j)
            i = j
            continue
        if _is_space_like(code):
            _fail(out, raw_code, "%s contains %s; write it percent-encoded (%s)" % (what, _describe_char(text, i), _percent(c)), i, i + 1)
            ok = False
        elif 0xD800 <= code <= 0xDFFF:
            _fail(out, "invalid_encoding", "%s contains an unpaired UTF-16 surrogate" % what, i, i + 1)
            ok = False
        push(c, i, i + 1)
        i += 1
    return "".join(chunks), ok, starts, ends
