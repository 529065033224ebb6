"""A cached entry's render, compiled once (as the TypeScript SDK's sdk/compiled.ts): the
params schema checked by a straight loop, partials inlined, and a template of text and
plain variables rendered as a join. Anything unusual — a problem with the params, a
template core would refuse — returns None, and the full renderer decides and names the
problem. The shared render vectors hold both to core's output."""
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from . import _mustache
from ._js import to_text
from .params import has_type, value_error
from .template import Plan, Rendered, _chat_insert, _source, split_messages

Compiled = Callable[[Mapping[str, Any]], Optional[Rendered]]


def compile_render(plan: Plan, kind: str, body: str) -> Optional[Compiled]:
    if plan.problems:
        return None
    chat = kind == "chat"
    try:
        tokens = _inline(_mustache.parse(_source(body, chat)), {pid: _source(p.template, chat) for pid, p in plan.partials.items()}, 0)
    except (_mustache.MustacheError, RecursionError):
        return None
    declared = frozenset(plan.schema)
    checks: List[Tuple[str, bool, Any, bool, Callable[[Any], bool]]] = []
    for name, param in plan.schema.items():
        kind_ = param.get("type", "string")
        if param.get("enum"):
            fits: Callable[[Any], bool] = lambda v, p=param: value_error(p, v) is None
        else:
            fits = lambda v, k=kind_: has_type(k, v)
        checks.append((name, "default" in param, param.get("default"), bool(param.get("required")), fits))
    flat = not chat and all(t[0] in ("text", "!", "=") or (t[0] in ("name", "&") and "." not in t[1]) for t in tokens)
    parts: List[Tuple[str, Optional[str]]] = []
    if flat:
        literal = ""
        for t in tokens:
            if t[0] == "text":
                literal += t[1]
            elif t[0] in ("name", "&"):
                parts.append((literal, t[1]))
                literal = ""
        parts.append((literal, None))

    def values_of(given: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
        for name in given:
            if name not in declared:
                return None
        values: Dict[str, Any] = {}
        for name, has_default, default, required, check in checks:
            if name in given:
                value = given[name]
                if not check(value):
                    return None
                values[name] = value
            elif has_default:
                values[name] = default
            elif required:
                return None
        return values

    if flat:
        # One str.format per render: literals kept (braces doubled), each variable a slot.
        fmt = "".join(literal.replace("{", "{{").replace("}", "}}") + ("{%d}" % i if name is not None else "") for i, (literal, name) in enumerate(parts))
        names = [name for _, name in parts if name is not None]

        def render_flat(given: Mapping[str, Any]) -> Optional[Rendered]:
            values = values_of(given)
            if values is None:
                return None
            texts = []
            for name in names:
                value = values.get(name)
                texts.append(value if value.__class__ is str else "" if value is None else to_text(value))
            return Rendered(fmt.format(*texts), None, values)

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
