"""npm ``semver``'s ``valid`` and ``validRange`` (version 7, strict mode), the two questions
core/versionSpec.ts asks it: the same regular expressions, built the same way (including
the length-bounded "safe" forms), the same desugaring of carets, tildes, x-ranges and
hyphen ranges. Only validity is needed here, never matching versions against a range."""
import re
from typing import Callable, Dict, List, Optional

from ._js import MAX_SAFE_INTEGER, WS_CHARS, number_to_string, trim

MAX_LENGTH = 256
MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6
LETTERDASHNUMBER = "[a-zA-Z0-9-]"

src: Dict[str, str] = {}
safe: Dict[str, "re.Pattern[str]"] = {}


def _make_safe(value: str) -> str:
    for token, most in (("\\s", 1), ("\\d", MAX_LENGTH), (LETTERDASHNUMBER, MAX_SAFE_BUILD_LENGTH)):
        value = value.replace(token + "*", token + "{0," + str(most) + "}").replace(token + "+", token + "{1," + str(most) + "}")
    return value


def _to_python(pattern: str) -> str:
    # JavaScript's \s and \d, and a $ that never matches before a final newline.
    pattern = pattern.replace("[v=\\s]", "[v=" + WS_CHARS + "]")
    return pattern.replace("\\s", "[" + WS_CHARS + "]").replace("\\d", "[0-9]").replace("$", "\\Z")


def _token(name: str, value: str) -> None:
    src[name] = value
    safe[name] = re.compile(_to_python(_make_safe(value)))


_token("NUMERICIDENTIFIER", "0|[1-9]\\d*")
_token("NUMERICIDENTIFIERLOOSE", "\\d+")
_token("NONNUMERICIDENTIFIER", "\\d*[a-zA-Z-]" + LETTERDASHNUMBER + "*")
_token("MAINVERSION", "(" + src["NUMERICIDENTIFIER"] + ")\\.(" + src["NUMERICIDENTIFIER"] + ")\\.(" + src["NUMERICIDENTIFIER"] + ")")
_token("MAINVERSIONLOOSE", "(" + src["NUMERICIDENTIFIERLOOSE"] + ")\\.(" + src["NUMERICIDENTIFIERLOOSE"] + ")\\.(" + src["NUMERICIDENTIFIERLOOSE"] + ")")
_token("PRERELEASEIDENTIFIER", "(?:" + src["NONNUMERICIDENTIFIER"] + "|" + src["NUMERICIDENTIFIER"] + ")")
_token("PRERELEASEIDENTIFIERLOOSE", "(?:" + src["NONNUMERICIDENTIFIER"] + "|" + src["NUMERICIDENTIFIERLOOSE"] + ")")
_token("PRERELEASE", "(?:-(" + src["PRERELEASEIDENTIFIER"] + "(?:\\." + src["PRERELEASEIDENTIFIER"] + ")*))")
_token("PRERELEASELOOSE", "(?:-?(" + src["PRERELEASEIDENTIFIERLOOSE"] + "(?:\\." + src["PRERELEASEIDENTIFIERLOOSE"] + ")*))")
_token("BUILDIDENTIFIER", LETTERDASHNUMBER + "+")
_token("BUILD", "(?:\\+(" + src["BUILDIDENTIFIER"] + "(?:\\." + src["BUILDIDENTIFIER"] + ")*))")
_token("FULLPLAIN", "v?" + src["MAINVERSION"] + src["PRERELEASE"] + "?" + src["BUILD"] + "?")
_token("FULL", "^" + src["FULLPLAIN"] + "$")
_token("LOOSEPLAIN", "[v=\\s]*" + src["MAINVERSIONLOOSE"] + src["PRERELEASELOOSE"] + "?" + src["BUILD"] + "?")
_token("GTLT", "((?:<|>)?=?)")
_token("XRANGEIDENTIFIER", src["NUMERICIDENTIFIER"] + "|x|X|\\*")
_token("XRANGEPLAIN", "[v=\\s]*(" + src["XRANGEIDENTIFIER"] + ")(?:\\.(" + src["XRANGEIDENTIFIER"] + ")(?:\\.(" + src["XRANGEIDENTIFIER"] + ")(?:" + src["PRERELEASE"] + ")?" + src["BUILD"] + "?)?)?")
_token("XRANGE", "^" + src["GTLT"] + "\\s*" + src["XRANGEPLAIN"] + "$")
_token("LONETILDE", "(?:~>?)")
_token("TILDETRIM", "(\\s*)" + src["LONETILDE"] + "\\s+")
_token("TILDE", "^" + src["LONETILDE"] + src["XRANGEPLAIN"] + "$")
_token("LONECARET", "(?:\\^)")
_token("CARETTRIM", "(\\s*)" + src["LONECARET"] + "\\s+")
_token("CARET", "^" + src["LONECARET"] + src["XRANGEPLAIN"] + "$")
_token("COMPARATOR", "^" + src["GTLT"] + "\\s*(" + src["FULLPLAIN"] + ")$|^$")
_token("COMPARATORTRIM", "(\\s*)" + src["GTLT"] + "\\s*(" + src["LOOSEPLAIN"] + "|" + src["XRANGEPLAIN"] + ")")
_token("HYPHENRANGE", "^\\s*(" + src["XRANGEPLAIN"] + ")\\s+-\\s+(" + src["XRANGEPLAIN"] + ")\\s*$")
_token("STAR", "(<|>)?=?\\s*\\*")
_token("GTE0", "^\\s*>=\\s*0\\.0\\.0\\s*$")

_BUILD_STRIP = re.compile(_to_python(src["BUILD"]))
_SPACES = re.compile("[" + WS_CHARS + "]+")


class _Invalid(Exception):
    pass


def _g(m: "re.Match[str]", i: int) -> Optional[str]:
    return m.group(i)


def _is_x(part: Optional[str]) -> bool:
    return not part or part.lower() == "x" or part == "*"


def _plus1(digits: "str | int") -> str:
    return number_to_string(float(digits) + 1)


def _check_semver(version: str) -> None:
    """``new SemVer(version)`` (strict): throws on anything but a valid version."""
    if len(version) > MAX_LENGTH:
        raise _Invalid("too long")
    m = safe["FULL"].match(trim(version))
    if not m:
        raise _Invalid("invalid version")
    for part in (m.group(1), m.group(2), m.group(3)):
        if float(part) > MAX_SAFE_INTEGER:
            raise _Invalid("component too large")


def valid(version: str) -> Optional[str]:
    """``semver.valid``: the normalized version, or None."""
    if len(version) > MAX_LENGTH:
        return None
    m = safe["FULL"].match(trim(version))
    if not m or any(float(m.group(i)) > MAX_SAFE_INTEGER for i in (1, 2, 3)):
        return None
    text = m.group(1) + "." + m.group(2) + "." + m.group(3)
    if m.group(4):
        ids = []
        for part in m.group(4).split("."):
            if part.isdigit() and part.isascii() and float(part) < MAX_SAFE_INTEGER:
                ids.append(number_to_string(int(part)))
            else:
                ids.append(part)
        text += "-" + ".".join(ids)
    return text


def _sub1(name: str, fn: Callable[["re.Match[str]"], str], text: str) -> str:
    return safe[name].sub(fn, text, count=1)


def _hyphen(m: "re.Match[str]") -> str:
    frm, f_major, f_minor, f_patch, f_pre = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
    to, t_major, t_minor, t_patch, t_pre = m.group(7), m.group(8), m.group(9), m.group(10), m.group(11)
    if _is_x(f_major):
        frm = ""
    elif _is_x(f_minor):
        frm = ">=" + f_major + ".0.0"
    elif _is_x(f_patch):
        frm = ">=" + f_major + "." + f_minor + ".0"
    else:
        frm = ">=" + frm
    if _is_x(t_major):
        to = ""
    elif _is_x(t_minor):
        to = "<" + _plus1(t_major) + ".0.0-0"
    elif _is_x(t_patch):
        to = "<" + t_major + "." + _plus1(t_minor) + ".0-0"
    elif t_pre:
        to = "<=" + t_major + "." + t_minor + "." + t_patch + "-" + t_pre
    else:
        to = "<=" + to
    return trim(frm + " " + to)


def _caret(m: "re.Match[str]") -> str:
    major, minor, patch, pre = m.group(1), m.group(2), m.group(3), m.group(4)
    if _is_x(major):
        return ""
    if _is_x(minor):
        return ">=" + major + ".0.0 <" + _plus1(major) + ".0.0-0"
    if _is_x(patch):
        if major == "0":
            return ">=" + major + "." + minor + ".0 <" + major + "." + _plus1(minor) + ".0-0"
        return ">=" + major + "." + minor + ".0 <" + _plus1(major) + ".0.0-0"
    low = ">=" + major + "." + minor + "." + patch + ("-" + pre if pre else "")
    if major == "0":
        if minor == "0":
            return low + " <" + major + "." + minor + "." + _plus1(patch) + "-0"
        return low + " <" + major + "." + _plus1(minor) + ".0-0"
    return low + " <" + _plus1(major) + ".0.0-0"


def _tilde(m: "re.Match[str]") -> str:
    major, minor, patch, pre = m.group(1), m.group(2), m.group(3), m.group(4)
    if _is_x(major):
        return ""
    if _is_x(minor):
        return ">=" + major + ".0.0 <" + _plus1(major) + ".0.0-0"
    if _is_x(patch):
        return ">=" + major + "." + minor + ".0 <" + major + "." + _plus1(minor) + ".0-0"
    low = ">=" + major + "." + minor + "." + patch + ("-" + pre if pre else "")
    return low + " <" + major + "." + _plus1(minor) + ".0-0"


def _xrange(comp: str) -> str:
    comp = trim(comp)

    def replace(m: "re.Match[str]") -> str:
        gtlt, major, minor, patch = m.group(1), m.group(2), m.group(3), m.group(4)
        if (_is_x(major) and not _is_x(minor)) or (_is_x(minor) and patch and not _is_x(patch)):
            return comp
        x_major = _is_x(major)
        x_minor = x_major or _is_x(minor)
        any_x = x_minor or _is_x(patch)
        if gtlt == "=" and any_x:
            gtlt = ""
        pre = ""
        if x_major:
            return "<0.0.0-0" if gtlt in (">", "<") else "*"
        if gtlt and any_x:
            mi: str = "0" if x_minor else str(minor)
            ma: str = str(major)
            pa = "0"
            if gtlt == ">":
                gtlt = ">="
                if x_minor:
                    ma, mi, pa = _plus1(ma), "0", "0"
                else:
                    mi, pa = _plus1(mi), "0"
            elif gtlt == "<=":
                gtlt = "<"
                if x_minor:
                    ma = _plus1(ma)
                else:
                    mi = _plus1(mi)
            if gtlt == "<":
                pre = "-0"
            return gtlt + ma + "." + mi + "." + pa + pre
        if x_minor:
            return ">=" + str(major) + ".0.0 <" + _plus1(str(major)) + ".0.0-0"
        if any_x:
            return ">=" + str(major) + "." + str(minor) + ".0 <" + str(major) + "." + _plus1(str(minor)) + ".0-0"
        return m.group(0)

    return safe["XRANGE"].sub(replace, comp, count=1)


def _parse_comparator(comp: str) -> str:
    comp = safe["BUILD"].sub("", comp, count=1)
    comp = " ".join(_sub1("CARET", _caret, c) for c in _SPACES.split(trim(comp)))
    comp = " ".join(_sub1("TILDE", _tilde, c) for c in _SPACES.split(trim(comp)))
    comp = " ".join(_xrange(c) for c in _SPACES.split(comp))
    return safe["STAR"].sub("", trim(comp), count=1)


def _comparator(comp: str) -> None:
    comp = " ".join(_SPACES.split(trim(comp)))
    m = safe["COMPARATOR"].match(comp)
    if not m:
        raise _Invalid("invalid comparator")
    if m.group(2):
        _check_semver(m.group(2))


def _parse_range(text: str) -> List[str]:
    text = _BUILD_STRIP.sub("", text)
    text = _sub1("HYPHENRANGE", _hyphen, text)
    text = safe["COMPARATORTRIM"].sub(lambda m: m.group(1) + m.group(2) + m.group(3), text)
    text = safe["TILDETRIM"].sub(lambda m: m.group(1) + "~", text)
    text = safe["CARETTRIM"].sub(lambda m: m.group(1) + "^", text)
    parts = _SPACES.split(" ".join(_parse_comparator(c) for c in text.split(" ")))
    comps = [safe["GTE0"].sub("", trim(c), count=1) for c in parts]
    for comp in comps:
        _comparator(comp)
    return comps


def valid_range(text: str) -> bool:
    """Whether ``semver.validRange(text)`` is not null."""
    raw = _SPACES.sub(" ", trim(text))
    try:
        sets = [_parse_range(trim(part)) for part in raw.split("||")]
    except _Invalid:
        return False
    return any(len(s) > 0 for s in sets)
