"""JavaScript's reading and writing of numbers, strings and JSON, where core/ relies on
them: the Python client must give the same answers as the TypeScript one, so rules that
core borrows from JavaScript (``Number("0x10")``, ``String(1e21)``, ``trim()``) are
spelled out here once."""
import json
import math
import re
from typing import Any

#: JavaScript's WhiteSpace and LineTerminator characters (``\\s``, ``String.prototype.trim``).
WS_CHARS = "\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
WS = "[" + WS_CHARS + "]"
_TRIM = re.compile(r"^" + WS + r"+|" + WS + r"+\Z")
_WS_ONLY = re.compile(r"^" + WS + r"*\Z")
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\Z")
_RADIX = re.compile(r"0([xXoObB])([0-9a-fA-F]+)\Z")
MAX_SAFE_INTEGER = 9007199254740991


def trim(text: str) -> str:
    return _TRIM.sub("", text)


def is_blank(text: str) -> bool:
    return _WS_ONLY.match(text) is not None


def to_number(text: str) -> float:
    """``Number(text)`` for a string: NaN when JavaScript would say NaN."""
    s = trim(text)
    if s == "":
        return 0.0
    radix = _RADIX.match(s)
    if radix:
        base = {"x": 16, "o": 8, "b": 2}[radix.group(1).lower()]
        try:
            return float(int(radix.group(2), base))
        except ValueError:
            return math.nan
    if _DECIMAL.match(s):
        return float(s.replace("Infinity", "inf"))
    return math.nan


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_to_string(value: float) -> str:
    """``String(number)``: shortest round-trip digits, JavaScript's exponent rules."""
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) < 10 ** 21:
            return str(value)
        value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, exponent = _shortest(abs(value))
    k = len(digits)
    n = exponent + k  # the decimal point sits after n digits
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return sign + mantissa + "e" + ("+" if e >= 0 else "-") + str(abs(e))


def _shortest(value: float) -> "tuple[str, int]":
    text = repr(value)  # shortest round-trip, like JavaScript
    mantissa, _, exp = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    exponent = (int(exp) if exp else 0) - len(frac)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    return stripped or "0", exponent


def stringify(value: Any) -> str:
    """``JSON.stringify(value)`` for JSON-like values (compact, numbers as JavaScript writes them)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if is_number(value):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return "null"
        return number_to_string(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stringify(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + stringify(v) for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def to_text(value: Any) -> str:
    """How a value enters a rendered prompt (core/insert.ts ``toText``)."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return stringify(value)
    if is_number(value):
        return number_to_string(value)
    return stringify(value)


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def parse_json(text: str) -> Any:
    """``JSON.parse``: no NaN or Infinity, and only JSON's own whitespace around the value."""
    if text != text.strip(" \t\n\r"):
        stripped = text.strip(" \t\n\r")
    else:
        stripped = text
    if trim(text) != stripped:
        raise ValueError("not JSON")
    return json.loads(stripped, parse_constant=_reject_constant)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def object_key_order(keys: "list[str]") -> "list[str]":
    """The order JavaScript enumerates an object's own keys: array indices ascending, then the rest as inserted."""
    index = [k for k in keys if _is_array_index(k)]
    rest = [k for k in keys if not _is_array_index(k)]
    return sorted(index, key=int) + rest


def _is_array_index(key: str) -> bool:
    return (key == "0" or (key[:1] in "123456789" and key != "" and key.isdigit() and key.isascii())) and int(key) < 4294967295
