"""A cached entry's render, compiled once (as the TypeScript SDK's sdk/compiled.ts): the
params schema checked by a straight loop, partials inlined, and a template of text and
plain variables rendered as a join. Anything unusual — a problem with the params, a
template core would refuse — returns None, and the full renderer decides and names the
problem. The shared render vectors hold both to core's output."""
import re
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from . import _mustache
from ._js import to_text
from .params import has_type, value_error
from .template import Plan, Rendered, _chat_insert, _source, split_messages

Compiled = Callable[[Mapping[str, Any]], Optional[Rendered]]
#: Names that are safe as str.format fields (and plain Mustache lookups).
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_ABSENT = object()


def _text(value: Any) -> str:
    return "" if value is None else value if value.__class__ is str else to_text(value)


def compile_render(plan: Plan, kind: str, body: str) -> Optional[Compiled]:
    if plan.problems:
        return None
    chat = kind == "chat"
    try:
        tokens = _inline(_mustache.parse(_source(body, chat)), {pid: _source(p.template, chat) for pid, p in plan.partials.items()}, 0)
    except (_mustache.MustacheError, RecursionError):
        return None
    declared = frozenset(plan.schema)
    # Each param's check decided once: None for a plain string (tested inline), else a function.
    checks: List[Tuple[str, bool, Any, bool, Optional[Callable[[Any], bool]]]] = []
    for name, param in plan.schema.items():
        kind_ = param.get("type", "string")
        fits: Optional[Callable[[Any], bool]]
        if param.get("enum"):
            fits = lambda v, p=param: value_error(p, v) is None
        elif kind_ == "string":
            fits = None
        else:
            fits = lambda v, k=kind_: has_type(k, v)
        checks.append((name, "default" in param, param.get("default"), bool(param.get("required")), fits))
    flat = not chat and all(t[0] in ("text", "!", "=") or (t[0] in ("name", "&") and _PLAIN.match(t[1]) is not None) for t in tokens)

    def values_of(given: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
        for name in given:
            if name not in declared:
                return None
        values: Dict[str, Any] = {}
        for name, has_default, default, required, check in checks:
            if name in given:
                value = given[name]
                if (value.__class__ is not str) if check is None else not check(value):
                    return None
                values[name] = value
            elif has_default:
                values[name] = default
            elif required:
                return None
        return values

    if flat:
        # One str.format_map per render: literals kept (braces doubled), each variable a named slot.
        fmt = "".join(t[1].replace("{", "{{").replace("}", "}}") if t[0] == "text" else "{%s}" % t[1] if t[0] in ("name", "&") else "" for t in tokens)
        names = sorted({t[1] for t in tokens if t[0] in ("name", "&")})

        def render_flat(given: Mapping[str, Any]) -> Optional[Rendered]:
            values = values_of(given)
            if values is None:
                return None
            texts = values
            for name in names:
                value = values.get(name, _ABSENT)
                if value.__class__ is not str:
                    # Absent, null or not a string: insert as core does (nothing, or its text).
                    texts = {n: _text(values.get(n)) for n in names}
                    break
            return Rendered(fmt.format_map(texts), None, values)

        return render_flat

    insert = _chat_insert if chat else to_text

    def render(given: Mapping[str, Any]) -> Optional[Rendered]:
        values = values_of(given)
        if values is None:
            return None
        output = _mustache._render_tokens(tokens, _mustache._Context(dict(values)), lambda _id: None, insert)
        return Rendered(None, split_messages(output), values) if chat else Rendered(output, None, values)

    return render


def _inline(tokens: List[Any], partials: Dict[str, str], depth: int) -> List[Any]:
    """Each ``{{> id}}`` replaced by the partial's tokens, indented as Mustache indents a standalone partial."""
    if depth > 100:
        raise RecursionError("partials nested too deep")
    out: List[Any] = []
    for token in tokens:
        if token[0] == ">":
            source = partials.get(token[1])
            if source is None:
                continue
            if token[5] == 0 and token[4]:
                source = _mustache._indent(source, token[4], token[6])
            out.extend(_inline(_mustache.parse(source), partials, depth + 1))
        elif token[0] in ("#", "^"):
            out.append(token[:4] + [_inline(token[4], partials, depth + 1)] + token[5:])
        else:
            out.append(token)
    return out
