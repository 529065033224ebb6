"""Checks the values given to a prompt against the params its front matter declares, as
core/params.ts: values arrive typed (keyword arguments) or as strings (URI query params),
which are converted by the declared type so ``?count=3`` means the number 3."""
import math
import re
from typing import Any, Dict, List, Mapping, NamedTuple, Optional

from ._js import MAX_SAFE_INTEGER, is_blank, is_number, parse_json, stringify, to_number

PARAM_TYPES = ("string", "number", "integer", "boolean", "array", "object")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")


class ParamProblem(NamedTuple):
    code: str
    param: str
    message: str


def validate_params(schema: Mapping[str, Mapping[str, Any]], given: Optional[Mapping[str, Any]], from_strings: bool = False) -> "tuple[Dict[str, Any], List[ParamProblem]]":
    """The values to render (defaults applied) and every problem, each naming its param."""
    values: Dict[str, Any] = {}
    problems: List[ParamProblem] = []
    given = given or {}
    for name in given:
        if name not in schema:
            known = list(schema)
            problems.append(ParamProblem("unknown_param", name, "Unknown param `%s`; %s." % (name, ("declared params: " + ", ".join(known)) if known else "this prompt declares no params")))
    for name, param in schema.items():
        if name not in given:
            if "default" in param:
                values[name] = param["default"]
            elif param.get("required"):
                problems.append(ParamProblem("missing_param", name, "Missing required param `%s` (%s)." % (name, param.get("type"))))
            continue
        raw = given[name]
        value = _from_string(param.get("type", "string"), raw) if from_strings and isinstance(raw, str) else raw
        wrong = value_error(param, value)
        if wrong:
            problems.append(ParamProblem("invalid_param_value", name, "Param `%s` %s." % (name, wrong)))
        else:
            values[name] = value
    return values, problems


def value_error(param: Mapping[str, Any], value: Any) -> Optional[str]:
    """Why ``value`` does not fit ``param``, or None when it does."""
    kind = param.get("type", "string")
    if not has_type(kind, value):
        return "must be %s, got %s" % (_article(kind), _describe(value))
    allowed = param.get("enum")
    if allowed and not any(same_value(a, value) for a in allowed):
        return "must be one of %s, got %s" % (", ".join(stringify(v) for v in allowed), _describe(value))
    return None


def has_type(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return is_number(value) and math.isfinite(value)
    if kind == "integer":
        return is_number(value) and math.isfinite(value) and float(value).is_integer() and abs(value) <= MAX_SAFE_INTEGER
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return False


def _from_string(kind: str, text: str) -> Any:
    if kind == "number":
        if is_blank(text):
            return text
        n = to_number(text)
        return int(n) if math.isfinite(n) and n.is_integer() and abs(n) <= MAX_SAFE_INTEGER else n
    if kind == "integer":
        return int(text) if _INTEGER.match(text) else text
    if kind == "boolean":
        return True if text == "true" else False if text == "false" else text
    if kind in ("array", "object"):
        try:
            return parse_json(text)
        except ValueError:
            return text
    return text


def same_value(a: Any, b: Any) -> bool:
    """Structural equality for JSON-like values, with JavaScript's ``Object.is`` for scalars."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        if math.isnan(a) and math.isnan(b):
            return True
        if a == 0 and b == 0:
            return math.copysign(1, a) == math.copysign(1, b)
        return bool(a == b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and same_value(a[k], b[k]) for k in a)
    if a is None or b is None:
        return a is None and b is None
    return type(a) is type(b) and bool(a == b)


def _article(kind: str) -> str:
    return ("an " if kind in ("integer", "array", "object") else "a ") + kind


def _describe(value: Any) -> str:
    from ._js import number_to_string

    if isinstance(value, str):
        return '"%s"' % (value[:40] + "…" if len(value) > 40 else value)
    if isinstance(value, bool):
        return "boolean " + ("true" if value else "false")
    if is_number(value):
        if not math.isfinite(value):
            return number_to_string(value)
        if not float(value).is_integer():
            return "the number " + number_to_string(value)
        return "number " + number_to_string(value)
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    return "an object"
