"""Mustache as mustache.js (the renderer core/ uses) parses and renders it: standalone
lines, partial indentation, set delimiters, context lookup. Values are inserted through
a function (no HTML escaping in prompts). Templates are parsed once and cached by text."""
import re
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from ._js import WS_CHARS, is_number

Token = List[Any]
_WS = re.compile("[" + WS_CHARS + "]")
_WHITE = re.compile("[" + WS_CHARS + "]*")
_SPACE = re.compile("[" + WS_CHARS + "]+")
_EQUALS = re.compile("[" + WS_CHARS + "]*=")
_CURLY = re.compile("[" + WS_CHARS + "]*\\}")
_TAG = re.compile("#|\\^|/|>|\\{|&|=|!")
_cache: Dict[Tuple[str, str, str], List[Token]] = {}


class MustacheError(Exception):
    pass


class _Scanner:
    __slots__ = ("string", "tail", "pos")

    def __init__(self, string: str) -> None:
        self.string = string
        self.tail = string
        self.pos = 0

    def eos(self) -> bool:
        return self.tail == ""

    def scan(self, pattern: "re.Pattern[str]") -> str:
        m = pattern.match(self.tail)
        if not m or m.start() != 0:
            return ""
        s = m.group(0)
        self.tail = self.tail[len(s):]
        self.pos += len(s)
        return s

    def scan_until(self, pattern: "re.Pattern[str]") -> str:
        m = pattern.search(self.tail)
        if m is None:
            match = self.tail
            self.tail = ""
        elif m.start() == 0:
            match = ""
        else:
            match = self.tail[: m.start()]
            self.tail = self.tail[m.start():]
        self.pos += len(match)
        return match


def parse(template: str, tags: Tuple[str, str] = ("{{", "}}")) -> List[Token]:
    key = (template, tags[0], tags[1])
    found = _cache.get(key)
    if found is None:
        if len(_cache) > 500:
            _cache.clear()
        found = _cache[key] = _parse(template, tags)
    return found


def _parse(template: str, tags: Tuple[str, str]) -> List[Token]:
    if not template:
        return []
    line_has_non_space = False
    sections: List[Token] = []
    tokens: List[Optional[Token]] = []
    spaces: List[int] = []
    has_tag = False
    non_space = False
    indentation = ""
    tag_index = 0

    def compile_tags(pair: Tuple[str, str]) -> Tuple["re.Pattern[str]", "re.Pattern[str]", "re.Pattern[str]"]:
        ws = "[" + WS_CHARS + "]*"
        return (re.compile(re.escape(pair[0]) + ws), re.compile(ws + re.escape(pair[1])), re.compile(ws + re.escape("}" + pair[1])))

    opening, closing, closing_curly = compile_tags(tags)
    scanner = _Scanner(template)
    while not scanner.eos():
        start = scanner.pos
        value = scanner.scan_until(opening)
        for chr_ in value:
            if _WS.match(chr_):
                spaces.append(len(tokens))
                indentation += chr_
            else:
                non_space = True
                line_has_non_space = True
                indentation += " "
            tokens.append(["text", chr_, start, start + 1])
            start += 1
            if chr_ == "\n":
                if has_tag and not non_space:
                    while spaces:
                        tokens[spaces.pop()] = None
                else:
                    spaces = []
                has_tag = False
                non_space = False
                indentation = ""
                tag_index = 0
                line_has_non_space = False
        if not scanner.scan(opening):
            break
        has_tag = True
        kind = scanner.scan(_TAG) or "name"
        scanner.scan(_WHITE)
        if kind == "=":
            value = scanner.scan_until(_EQUALS)
            scanner.scan(_EQUALS)
            scanner.scan_until(closing)
        elif kind == "{":
            value = scanner.scan_until(closing_curly)
            scanner.scan(_CURLY)
            scanner.scan_until(closing)
            kind = "&"
        else:
            value = scanner.scan_until(closing)
        if not scanner.scan(closing):
            raise MustacheError("Unclosed tag at %d" % scanner.pos)
        if kind == ">":
            token: Token = [kind, value, start, scanner.pos, indentation, tag_index, line_has_non_space]
        else:
            token = [kind, value, start, scanner.pos]
        tag_index += 1
        tokens.append(token)
        if kind in ("#", "^"):
            sections.append(token)
        elif kind == "/":
            if not sections:
                raise MustacheError('Unopened section "%s" at %d' % (value, start))
            open_section = sections.pop()
            if open_section[1] != value:
                raise MustacheError('Unclosed section "%s" at %d' % (open_section[1], start))
        elif kind in ("name", "&"):
            non_space = True
        elif kind == "=":
            parts = _SPACE.split(value)[:2]
            if len(parts) != 2:
                raise MustacheError("Invalid tags: " + value)
            opening, closing, closing_curly = compile_tags((parts[0], parts[1]))
    if has_tag and not non_space:
        while spaces:
            tokens[spaces.pop()] = None
    if sections:
        raise MustacheError('Unclosed section "%s" at %d' % (sections[-1][1], scanner.pos))
    return _nest(_squash([t for t in tokens if t is not None]))


def _squash(tokens: List[Token]) -> List[Token]:
    out: List[Token] = []
    last: Optional[Token] = None
    for token in tokens:
        if token[0] == "text" and last is not None and last[0] == "text":
            last[1] += token[1]
            last[3] = token[3]
        else:
            token = list(token)
            out.append(token)
            last = token
    return out


def _nest(tokens: List[Token]) -> List[Token]:
    nested: List[Token] = []
    collector = nested
    sections: List[Token] = []
    for token in tokens:
        kind = token[0]
        if kind in ("#", "^"):
            collector.append(token)
            sections.append(token)
            token.append([])
            collector = token[4]
        elif kind == "/":
            section = sections.pop()
            section.append(token[2])
            collector = sections[-1][4] if sections else nested
        else:
            collector.append(token)
    return nested


_MISSING = object()


def _prop(obj: Any, name: str) -> Any:
    """``obj[name]`` as JavaScript reads it, or _MISSING when ``name in obj`` would be false."""
    if isinstance(obj, dict):
        return obj[name] if name in obj else _MISSING
    if isinstance(obj, list):
        if name == "length":
            return len(obj)
        if name.isdigit() and name.isascii() and (name == "0" or name[0] != "0") and int(name) < len(obj):
            return obj[int(name)]
        return _MISSING
    if isinstance(obj, str):
        if name == "length":
            return len(obj.encode("utf-16-le", "surrogatepass")) // 2
        if name.isdigit() and name.isascii() and (name == "0" or name[0] != "0") and int(name) < len(obj):
            return obj[int(name)]
    return _MISSING


class _Context:
    __slots__ = ("view", "parent", "cache")

    def __init__(self, view: Any, parent: "Optional[_Context]" = None) -> None:
        self.view = view
        self.parent = parent
        self.cache: Dict[str, Any] = {".": view}

    def lookup(self, name: str) -> Any:
        if name in self.cache:
            return self.cache[name]
        context: Optional[_Context] = self
        value: Any = None
        while context is not None:
            if name.find(".") > 0:
                current: Any = context.view
                names = name.split(".")
                hit = False
                for i, part in enumerate(names):
                    if current is None:
                        break
                    nxt = _prop(current, part)
                    if i == len(names) - 1:
                        hit = nxt is not _MISSING
                    current = None if nxt is _MISSING else nxt
                if hit:
                    value = current
                    break
            else:
                view = context.view
                if isinstance(view, (dict, list)):
                    nxt = _prop(view, name)
                    if nxt is not _MISSING:
                        value = nxt
                        break
            context = context.parent
        self.cache[name] = value
        return value


def _truthy(value: Any) -> bool:
    if value is None or value is False:
        return False
    if is_number(value):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ""
    return True


Partials = Callable[[str], Optional[str]]


def render(template: str, view: Any, partials: Partials, insert: Callable[[Any], str]) -> str:
    return _render_tokens(parse(template), _Context(view), partials, insert)


def _render_tokens(tokens: List[Token], context: _Context, partials: Partials, insert: Callable[[Any], str]) -> str:
    out: List[str] = []
    for token in tokens:
        kind = token[0]
        if kind == "text":
            out.append(token[1])
        elif kind == "name" or kind == "&":
            value = context.lookup(token[1])
            if value is not None:
                out.append(insert(value))
        elif kind == "#":
            value = context.lookup(token[1])
            if not _truthy(value):
                continue
            if isinstance(value, list):
                for item in value:
                    out.append(_render_tokens(token[4], _Context(item, context), partials, insert))
            elif isinstance(value, (dict, str)) or is_number(value):
                out.append(_render_tokens(token[4], _Context(value, context), partials, insert))
            else:
                out.append(_render_tokens(token[4], context, partials, insert))
        elif kind == "^":
            value = context.lookup(token[1])
            if not _truthy(value) or (isinstance(value, list) and not value):
                out.append(_render_tokens(token[4], context, partials, insert))
        elif kind == ">":
            text = partials(token[1])
            if text is None:
                continue
            if token[5] == 0 and token[4]:
                text = _indent(text, token[4], token[6])
            out.append(_render_tokens(parse(text), context, partials, insert))
    return "".join(out)


def _indent(partial: str, indentation: str, line_has_non_space: bool) -> str:
    pad = re.sub(r"[^ \t]", "", indentation)
    lines = partial.split("\n")
    for i, line in enumerate(lines):
        if line and (i > 0 or not line_has_non_space):
            lines[i] = pad + line
    return "\n".join(lines)


RenderValue = Union[str, int, float, bool, None, list, dict]
