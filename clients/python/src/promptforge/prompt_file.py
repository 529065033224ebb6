"""``.prompt`` files an app ships as fallbacks: YAML front matter between ``---`` lines,
then the template. The standard library has no YAML, so this reads the subset prompt
files use (block and flow mappings and lists, plain and quoted scalars, ``|``/``>``
blocks, comments); a file outside it is reported as invalid, never half-read."""
import json
import re
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from .errors import PromptForgeError

_OPENING = re.compile(r"---[ \t]*(?:\r?\n|\Z)")
_CLOSING = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.M)
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


class PromptFile(NamedTuple):
    type: str
    params: Dict[str, Dict[str, Any]]
    body: str
    data: Dict[str, Any]


def parse_prompt_file(text: str, origin: str = "prompt file") -> PromptFile:
    start = 1 if text.startswith("\ufeff") else 0
    body = text[start:]
    data: Dict[str, Any] = {}
    if _OPENING.match(text, start):
        fm_start = _OPENING.match(text, start).end()  # type: ignore[union-attr]
        closing = _CLOSING.search(text, fm_start)
        if not closing:
            raise PromptForgeError("unclosed_front_matter", "%s: the front matter opened on line 1 is never closed by a `---` line" % origin)
        try:
            parsed = _Yaml(text[fm_start : closing.start()]).document()
        except ValueError as error:
            raise PromptForgeError("invalid_yaml", "%s: invalid YAML in the front matter: %s" % (origin, error)) from None
        if parsed is not None and not isinstance(parsed, dict):
            raise PromptForgeError("invalid_front_matter", "%s: the front matter must be a mapping of keys" % origin)
        data = parsed or {}
        body = text[closing.end():]
    kind = data.get("type", "text")
    if kind not in ("text", "chat"):
        raise PromptForgeError("invalid_front_matter", "%s: type must be text or chat, got %r" % (origin, kind))
    params = data.get("params") or {}
    if not isinstance(params, dict) or not all(isinstance(p, dict) for p in params.values()):
        raise PromptForgeError("invalid_front_matter", "%s: params must map each name to {type, required, default, enum}" % origin)
    return PromptFile(kind, {k: dict(v) for k, v in params.items()}, body, data)


def _scalar(text: str) -> Any:
    s = text.strip()
    if s in ("", "~", "null", "Null", "NULL"):
        return None
    if s in ("true", "True", "TRUE"):
        return True
    if s in ("false", "False", "FALSE"):
        return False
    if _INT.match(s):
        return int(s)
    if _FLOAT.match(s):
        return float(s)
    if s[0] == '"':
        return json.loads(s)
    if s[0] == "'":
        if len(s) < 2 or s[-1] != "'":
            raise ValueError("unclosed quote in %s" % s)
        return s[1:-1].replace("''", "'")
    return s


def _strip_comment(line: str) -> str:
    quote: Optional[str] = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"" and (i == 0 or line[i - 1] in " \t:[{,-"):
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


class _Flow:
    """``{a: 1, b: [x, y]}`` and ``[a, "b, c"]``."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def value(self) -> Any:
        self.space()
        c = self.s[self.i : self.i + 1]
        if c == "{":
            return self.mapping()
        if c == "[":
            return self.sequence()
        if c in ("'", '"'):
            end = self.s.find(c, self.i + 1)
            while c == "'" and end >= 0 and self.s[end + 1 : end + 2] == "'":
                end = self.s.find(c, end + 2)
            while c == '"' and end >= 0 and self.s[end - 1] == "\\":
                end = self.s.find(c, end + 1)
            if end < 0:
                raise ValueError("unclosed quote")
            raw = self.s[self.i : end + 1]
            self.i = end + 1
            return _scalar(raw)
        start = self.i
        while self.i < len(self.s) and self.s[self.i] not in ",]}":
            if self.s[self.i] == ":" and self.s[self.i + 1 : self.i + 2] in (" ", ""):
                break
            self.i += 1
        return _scalar(self.s[start : self.i])

    def space(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def expect(self, c: str) -> None:
        self.space()
        if self.s[self.i : self.i + 1] != c:
            raise ValueError("expected %r in %s" % (c, self.s))
        self.i += 1

    def mapping(self) -> Dict[str, Any]:
        self.expect("{")
        out: Dict[str, Any] = {}
        self.space()
        if self.s[self.i : self.i + 1] == "}":
            self.i += 1
            return out
        while True:
            key = self.value()
            self.expect(":")
            if str(key) in out:
                raise ValueError("duplicate key %s" % key)
            out[str(key)] = self.value()
            self.space()
            c = self.s[self.i : self.i + 1]
            self.i += 1
            if c == "}":
                return out
            if c != ",":
                raise ValueError("expected , or } in %s" % self.s)

    def sequence(self) -> List[Any]:
        self.expect("[")
        out: List[Any] = []
        self.space()
        if self.s[self.i : self.i + 1] == "]":
            self.i += 1
            return out
        while True:
            out.append(self.value())
            self.space()
            c = self.s[self.i : self.i + 1]
            self.i += 1
            if c == "]":
                return out
            if c != ",":
                raise ValueError("expected , or ] in %s" % self.s)


def _inline(text: str) -> Any:
    s = text.strip()
    if s[:1] in ("{", "["):
        flow = _Flow(s)
        value = flow.value()
        flow.space()
        if flow.i != len(s):
            raise ValueError("unexpected text after %s" % s)
        return value
    return _scalar(s)


class _Yaml:
    def __init__(self, text: str) -> None:
        self.raw = text.split("\n")
        self.lines: List[Tuple[int, str, int]] = []  # (indent, content, raw index)
        for n, line in enumerate(self.raw):
            content = _strip_comment(line.rstrip("\r"))
            if content.strip():
                if "\t" in line[: len(line) - len(line.lstrip())]:
                    raise ValueError("tabs are not allowed for indentation (line %d)" % (n + 1))
                self.lines.append((len(content) - len(content.lstrip(" ")), content.strip(), n))
        self.pos = 0

    def document(self) -> Any:
        if not self.lines:
            return None
        value = self.block(self.lines[0][0])
        if self.pos != len(self.lines):
            raise ValueError("unexpected indentation on line %d" % (self.lines[self.pos][2] + 1))
        return value

    def block(self, indent: int) -> Any:
        if self.lines[self.pos][1].startswith("- ") or self.lines[self.pos][1] == "-":
            return self.sequence(indent)
        return self.mapping(indent)

    def mapping(self, indent: int) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        while self.pos < len(self.lines) and self.lines[self.pos][0] == indent:
            _, content, n = self.lines[self.pos]
            m = re.match(r"""("[^"]*"|'[^']*'|[^:#{}\[\],][^:]*?)\s*:(?:\s+|\Z)(.*)\Z""", content)
            if not m:
                raise ValueError("expected `key: value` on line %d" % (n + 1))
            key = str(_scalar(m.group(1)))
            if key in out:
                raise ValueError("duplicate key %s on line %d" % (key, n + 1))
            self.pos += 1
            out[key] = self.value(m.group(2), indent, n)
        return out

    def sequence(self, indent: int) -> List[Any]:
        out: List[Any] = []
        while self.pos < len(self.lines) and self.lines[self.pos][0] == indent and (self.lines[self.pos][1].startswith("- ") or self.lines[self.pos][1] == "-"):
            _, content, n = self.lines[self.pos]
            self.pos += 1
            out.append(self.value(content[1:].strip(), indent, n))
        return out

    def value(self, rest: str, indent: int, n: int) -> Any:
        if rest in ("|", ">", "|-", ">-", "|+", ">+"):
            return self.literal(rest, n)
        if rest:
            return _inline(rest)
        if self.pos < len(self.lines) and self.lines[self.pos][0] > indent:
            return self.block(self.lines[self.pos][0])
        return None

    def literal(self, style: str, n: int) -> str:
        texts: List[str] = []
        block_indent: Optional[int] = None
        i = n + 1
        while i < len(self.raw):
            line = self.raw[i].rstrip("\r")
            if line.strip():
                lead = len(line) - len(line.lstrip(" "))
                if block_indent is None:
                    block_indent = lead
                if lead < block_indent:
                    break
                texts.append(line[block_indent:])
            else:
                texts.append("")
            i += 1
        while self.pos < len(self.lines) and self.lines[self.pos][2] < i:
            self.pos += 1
        while texts and texts[-1] == "":
            texts.pop()
        text = "\n".join(texts) if style[0] == "|" else " ".join(t for t in texts)
        return text if style.endswith("-") else text + "\n"
