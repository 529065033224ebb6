"""Prompt rendering, as core/template.ts: Mustache without HTML escaping, ``{{> id}}``
partials of the same repo and version, chat prompts split into messages at role lines,
params checked first. The same template checks as core (unclosed sections, cycles,
unknown partials) run before anything renders."""
import re
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Tuple

from . import _mustache
from ._js import WS_CHARS, to_text, trim
from .params import validate_params

MAX_NESTING = 100
_SIGILS = {"#": "section", "^": "inverted", "/": "close", ">": "partial", "&": "unescaped", "{": "unescaped", "!": "comment", "=": "delimiters"}
_WS = "[" + WS_CHARS + "]"
_LINE_START = "(?:^|(?<=[\n\r\u2028\u2029]))"
_LINE_END = "(?=\r?\n|[\n\r\u2028\u2029]|\\Z)"
_ROLE_LINE = re.compile(_LINE_START + "[ \t]*(system|user|assistant):[ \t]*" + _LINE_END)
_MARKED = re.compile("\u0000(system|user|assistant)\u0000")
_LEADING_BLANK_LINES = re.compile(r"^(?:[ \t]*\r?\n)+")
_TRAILING_WS = re.compile(_WS + r"+\Z")


class TemplateProblem(NamedTuple):
    code: str
    message: str
    param: Optional[str] = None


class Scan(NamedTuple):
    #: (kind, name, depth within sections)
    tags: List[Tuple[str, str, int]]
    problems: List[TemplateProblem]
    depth: int


_scans: Dict[str, Scan] = {}


def scan_template(body: str) -> Scan:
    found = _scans.get(body)
    if found is None:
        if len(_scans) > 500:
            _scans.clear()
        found = _scans[body] = _scan(body)
    return found


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and re.match(_WS, text[at]):
        at += 1
    return at


def _scan(body: str) -> Scan:
    tags: List[Tuple[str, str, int]] = []
    problems: List[TemplateProblem] = []
    opened: List[str] = []
    depth = 0
    opener, closer = "{{", "}}"
    at = 0
    while True:
        start = body.find(opener, at)
        if start < 0:
            break
        p = _skip_space(body, start + len(opener))
        sigil = body[p : p + 1]
        kind = _SIGILS.get(sigil, "variable")
        if kind != "variable":
            p = _skip_space(body, p + 1)
        ending = "}" + closer if sigil == "{" else closer
        close = body.find(ending, p)
        if close < 0:
            problems.append(TemplateProblem("unclosed_tag", "`%s` is never closed by `%s`." % (opener, ending)))
            break
        at = close + len(ending)
        name = re.sub(_WS + r"+\Z", "", body[p:close])
        if kind == "delimiters":
            parts = re.split(_WS + "+", trim(name[:-1])) if name.endswith("=") else []
            if len(parts) != 2 or any("=" in d for d in parts):
                problems.append(TemplateProblem("invalid_delimiters", "A delimiter change must look like `{{=<% %>=}}`: two delimiters separated by a space."))
                break
            opener, closer = parts[0], parts[1]
            continue
        if kind != "comment" and name == "":
            problems.append(TemplateProblem("empty_tag", "This tag names nothing."))
            continue
        tags.append((kind, name, len(opened)))
        if kind in ("section", "inverted"):
            opened.append(name)
            depth = max(depth, len(opened))
            if len(opened) > MAX_NESTING:
                problems.append(TemplateProblem("nesting_too_deep", "Sections are nested more than %d levels deep." % MAX_NESTING))
                return Scan(tags, problems, depth)
        elif kind == "close":
            if not opened:
                problems.append(TemplateProblem("unopened_section", "`%s` closes a section that was never opened." % body[start:at]))
            else:
                was = opened.pop()
                if was != name:
                    problems.append(TemplateProblem("mismatched_section", "`%s` cannot close the section `%s`." % (body[start:at], was)))
    for section in opened:
        problems.append(TemplateProblem("unclosed_section", "The section `%s` is never closed; add `{{/%s}}`." % (section, section)))
    return Scan(tags, problems, depth)


def template_partials(body: str) -> List[str]:
    return [name for kind, name, _ in scan_template(body).tags if kind == "partial"]


class Partial(NamedTuple):
    template: str
    params: Mapping[str, Mapping[str, Any]]


class Rendered(NamedTuple):
    text: Optional[str]
    messages: Optional[List[Dict[str, str]]]
    values: Dict[str, Any]


class RenderFailure(Exception):
    """The template or the params are wrong: every problem, each with its code."""

    def __init__(self, problems: List[TemplateProblem]) -> None:
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


def _collect(body: str, params: Mapping[str, Mapping[str, Any]], lookup: Callable[[str], Optional[Partial]], root: Optional[str]) -> Tuple[Dict[str, Partial], Dict[str, Mapping[str, Any]], List[TemplateProblem]]:
    partials: Dict[str, Partial] = {}
    schema: Dict[str, Mapping[str, Any]] = dict(params)
    problems: List[TemplateProblem] = []
    depths: Dict[str, int] = {}

    def visit(text: str, path: List[str], inside: bool) -> int:
        scan = scan_template(text)
        prefix = "In `%s`: " % " → ".join(path) if inside else ""
        problems.extend(p._replace(message=prefix + p.message) for p in scan.problems)
        depth = scan.depth
        for kind, pid, within in scan.tags:
            if kind != "partial":
                continue
            if pid in path:
                cycle = path[path.index(pid):] + [pid]
                problems.append(TemplateProblem("partial_cycle", "The partials include each other in a cycle: %s." % " → ".join(cycle)))
                continue
            inner = depths.get(pid)
            if inner is None:
                try:
                    partial = lookup(pid)
                except Exception:
                    partial = None
                if partial is None:
                    problems.append(TemplateProblem("unknown_partial", "%s`{{> %s}}` includes `%s`, but there is no prompt with that ID." % (prefix, pid, pid)))
                    continue
                partials[pid] = partial
                for name, param in partial.params.items():
                    schema.setdefault(name, param)
                inner = visit(partial.template, path + [pid], True)
                depths[pid] = inner
            depth = max(depth, within + 1 + inner)
        return depth

    depth = visit(body, [root] if root else [], False)
    if depth > MAX_NESTING and not any(p.code == "nesting_too_deep" for p in problems):
        problems.append(TemplateProblem("nesting_too_deep", "Sections and partials are nested %d levels deep; the limit is %d." % (depth, MAX_NESTING)))
    return partials, schema, problems


def strip_marks(text: str) -> str:
    return text.replace("\u0000", "\ufffd") if "\u0000" in text else text


def mark_roles(body: str) -> str:
    return _ROLE_LINE.sub(lambda m: "\u0000" + m.group(1) + "\u0000", strip_marks(body))


def split_messages(rendered: str) -> List[Dict[str, str]]:
    parts = _MARKED.split(rendered)
    messages: List[Dict[str, str]] = []
    lead = _tidy(parts[0])
    if lead:
        messages.append({"role": "system", "content": lead})
    for i in range(1, len(parts), 2):
        messages.append({"role": parts[i], "content": _tidy(parts[i + 1])})
    return messages


def _tidy(content: str) -> str:
    return _TRAILING_WS.sub("", _LEADING_BLANK_LINES.sub("", content, count=1))


def _chat_insert(value: Any) -> str:
    return strip_marks(to_text(value))


_marked: Dict[str, str] = {}


def _source(body: str, chat: bool) -> str:
    if not chat:
        return body
    found = _marked.get(body)
    if found is None:
        if len(_marked) > 500:
            _marked.clear()
        found = _marked[body] = mark_roles(body)
    return found


class Plan(NamedTuple):
    """What a template needs besides the params: its partials, the full params schema
    (the includer's declaration wins) and any problem with the template itself."""

    partials: Dict[str, Partial]
    schema: Dict[str, Mapping[str, Any]]
    problems: List[TemplateProblem]


def plan_prompt(body: str, params: Mapping[str, Mapping[str, Any]], lookup: Callable[[str], Optional[Partial]] = lambda _id: None, prompt_id: Optional[str] = None) -> Plan:
    return Plan(*_collect(body, params, lookup, prompt_id))


def render_planned(plan: Plan, kind: str, body: str, given: Mapping[str, Any], from_strings: bool = False, schema: Optional[Mapping[str, Mapping[str, Any]]] = None) -> Rendered:
    """Renders with a plan made once per template, or raises RenderFailure naming every problem."""
    values, param_problems = validate_params(plan.schema if schema is None else schema, given, from_strings)
    if plan.problems or param_problems:
        raise RenderFailure(plan.problems + [TemplateProblem(p.code, p.message, p.param) for p in param_problems])
    chat = kind == "chat"
    partials = plan.partials

    def partial_source(pid: str) -> Optional[str]:
        found = partials.get(pid)
        return None if found is None else _source(found.template, chat)

    try:
        output = _mustache.render(_source(body, chat), dict(values), partial_source, _chat_insert if chat else to_text)
    except (_mustache.MustacheError, RecursionError) as error:
        raise RenderFailure([TemplateProblem("render_failed", "Rendering failed: %s" % error)]) from None
    if chat:
        return Rendered(None, split_messages(output), values)
    return Rendered(output, None, values)


def render_prompt(kind: str, body: str, params: Mapping[str, Mapping[str, Any]], given: Mapping[str, Any], lookup: Callable[[str], Optional[Partial]] = lambda _id: None, prompt_id: Optional[str] = None, from_strings: bool = False) -> Rendered:
    """Renders a prompt, or raises RenderFailure naming every problem (params first checked against the declared schema)."""
    return render_planned(plan_prompt(body, params, lookup, prompt_id), kind, body, given, from_strings)
