"""The shared test vectors (test/vectors/*.json, written from core/ by
test/vectors/generate.ts): the Python client must give core's answer for every case.
Core counts ranges in UTF-16 units, Python in code points: ranges are converted."""
import json
import math
import os
import unittest
from typing import Any, Dict, List

from promptforge import assignment, template
from promptforge.params import same_value, validate_params
from promptforge.uri import ParsedUri, expand_reference, format_prompt_uri, parse_prompt_uri
from promptforge.version_spec import classify_version, parse_version_spec

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "test", "vectors")


def load(name: str) -> List[Dict[str, Any]]:
    with open(os.path.join(VECTORS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)["cases"]


def utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2


def errors(text: str, problems: Any) -> List[Dict[str, Any]]:
    return [{"code": p.code, "start": utf16(text, p.start), "end": utf16(text, p.end)} for p in problems]


def parsed(text: str, p: ParsedUri) -> Dict[str, Any]:
    uri = p.uri
    return {
        "uri": None if uri is None else {"host": uri.host, "repo": uri.repo, "id": uri.id, "version": uri.version, "params": uri.params},
        "format": None if uri is None else format_prompt_uri(uri),
        "errors": errors(text, p.errors),
        "form": p.form,
        "alias": p.alias,
    }


class VectorCase(unittest.TestCase):
    maxDiff = 4000

    def check(self, suite: str, answer: Any) -> None:
        cases = load(suite)
        self.assertGreater(len(cases), 10)
        failures = []
        for case in cases:
            try:
                got = answer(case["input"])
            except Exception as error:  # a crash is a failed case, reported with the rest
                got = {"raised": repr(error)}
            if not same(got, case["expected"]):
                failures.append({"input": case["input"], "expected": case["expected"], "got": got})
        if failures:
            self.fail("%d of %d %s vectors differ from core; first ones:\n%s" % (len(failures), len(cases), suite, json.dumps(failures[:3], ensure_ascii=True, indent=1)[:6000]))

    def test_uri(self) -> None:
        self.check("uri", lambda c: parsed(c["input"], parse_prompt_uri(c["input"])))

    def test_short_refs_and_aliases(self) -> None:
        def answer(c: Dict[str, Any]) -> Any:
            d = c["defaults"]
            return parsed(c["input"], expand_reference(c["input"], d.get("host"), d.get("repo"), c.get("aliases")))

        self.check("shortref", answer)

    def test_version_specs(self) -> None:
        def answer(c: Dict[str, Any]) -> Any:
            spec = parse_version_spec(c["input"])
            return {"base": spec.base, "ancestor": spec.ancestor, "errors": errors(c["input"], spec.errors), "kinds": classify_version(c["input"])}

        self.check("versionSpec", answer)

    def test_params(self) -> None:
        def answer(c: Dict[str, Any]) -> Any:
            values, problems = validate_params(c["schema"], c["given"], c["fromStrings"])
            return {"values": values, "problems": [{"code": p.code, "param": p.param} for p in problems]}

        self.check("params", answer)

    def test_assignment(self) -> None:
        def answer(c: Dict[str, Any]) -> Any:
            if "fnv1a32" in c:
                return {"hash": assignment.fnv1a32(c["fnv1a32"])}
            if "definition" in c:
                d = c["definition"]
                return {"variant": assignment.assign_variant(d, c["unit"]), "ranges": [list(r) for r in assignment.bucket_ranges(d["variants"], d["coverage"])]}
            return {"n": assignment.hash_v2(c["seed"], c["unit"])}

        self.check("assignment", answer)

    def test_known_fnv1a32_values(self) -> None:
        # Published FNV-1a test vectors (isthe.com/chongo/tech/comp/fnv), independent of core.
        self.assertEqual(assignment.fnv1a32(""), 0x811C9DC5)
        self.assertEqual(assignment.fnv1a32("a"), 0xE40C292C)
        self.assertEqual(assignment.fnv1a32("foobar"), 0xBF9CF968)

    def test_render(self) -> None:
        def answer(c: Dict[str, Any]) -> Any:
            partials = c.get("partials") or {}

            def lookup(pid: str) -> Any:
                p = partials.get(pid)
                return None if p is None else template.Partial(p["template"], p.get("params") or {})

            try:
                out = template.render_prompt(c["type"], c["template"], c["params"], c["given"], lookup, "main")
            except template.RenderFailure as failure:
                return {"text": None, "messages": None, "errors": [p.code for p in failure.problems]}
            return {"text": out.text, "messages": out.messages, "errors": []}

        self.check("render", answer)

    def test_compiled_render_matches_core(self) -> None:
        # A cached get renders through the compiled path; it must give core's answer too.
        from promptforge._compiled import compile_render

        compiled = 0
        for case in load("render"):
            c, expected = case["input"], case["expected"]
            partials = {pid: template.Partial(p["template"], p.get("params") or {}) for pid, p in (c.get("partials") or {}).items()}
            plan = template.plan_prompt(c["template"], c["params"], partials.get, "main")
            render = compile_render(plan, c["type"], c["template"])
            out = render(c["given"]) if render else None
            if out is None:
                continue
            compiled += 1
            self.assertEqual(expected["errors"], [], c["template"])
            self.assertEqual((out.text, out.messages), (expected["text"], expected["messages"]), c["template"])
        self.assertGreater(compiled, 15)


class Properties(unittest.TestCase):
    """Beyond the vectors: properties of the Python parsers over many random inputs."""

    PIECES = ["prompt://", "h", ":7070", "/", "demo", "welcome", "HEAD", "?", "&", "=", "%", "%2F", "%C3%A9", "%E2", " ", "#", "..", "~1", "^1.2",
              "-", ".", "_", "é", "😀", "\ud800", "\t", "+", ">=1 <2", "*", "[::1]", "x", "1.2.3", "v", "||", "@{", "\u00a0"]

    def test_parsing_never_raises_and_formatting_is_stable(self) -> None:
        import random

        rng = random.Random(18)
        for _ in range(3000):
            text = "".join(rng.choice(self.PIECES) for _ in range(rng.randint(1, 12)))
            for candidate in (text, "prompt://" + text):
                parsed = parse_prompt_uri(candidate)
                short = expand_reference(candidate, "h", "demo", {"ALIAS": candidate})
                for p in (parsed, short):
                    for e in p.errors:
                        self.assertTrue(0 <= e.start <= e.end <= len(candidate), (candidate, e))
                if parsed.uri is not None:
                    once = format_prompt_uri(parsed.uri)
                    again = parse_prompt_uri(once)
                    self.assertIsNotNone(again.uri, (candidate, once, again.errors))
                    self.assertEqual(format_prompt_uri(again.uri), once)
                spec = parse_version_spec(text)
                self.assertEqual(spec.errors == [], classify_version(text) != [])


def same(a: Any, b: Any) -> bool:
    """JSON equality where 3 and 3.0 are one number (JavaScript has one number type)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if a is None or b is None:
        return a is b
    return same_value(a, b) if not (a == 0 and b == 0) else a == b


if __name__ == "__main__":
    unittest.main()
