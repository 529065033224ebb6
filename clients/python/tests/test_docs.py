"""The examples in docs/sdk-python.md, executed against a real forge: the docs cannot drift
from what the client does. ``openai`` is a stand-in that records what it was sent."""
import asyncio
import os
import re
import shutil
import sys
import tempfile
import textwrap
import types
import unittest
from typing import Any, Dict, List

from .forge import ROOT, Forge, make_demo_repo

DOC = os.path.join(ROOT, "docs", "sdk-python.md")


def python_blocks() -> List[str]:
    with open(DOC, encoding="utf-8") as f:
        return re.findall(r"```python\n(.*?)```", f.read(), re.S)


class DocsExamples(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.mkdtemp(prefix="pf-py-docs-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.forge = Forge(make_demo_repo(), os.path.join(self.tmp, "usage.db")).start()
        self.addCleanup(self.forge.stop)
        cwd = os.getcwd()
        os.chdir(self.tmp)
        self.addCleanup(os.chdir, cwd)
        self.sent: List[Dict[str, Any]] = []
        openai = types.ModuleType("openai")
        completions = types.SimpleNamespace(create=lambda **request: (self.sent.append(request), types.SimpleNamespace(choices=[]))[1])
        openai.chat = types.SimpleNamespace(completions=completions)  # type: ignore[attr-defined]
        sys.modules["openai"] = openai
        self.addCleanup(sys.modules.pop, "openai", None)

    def source(self, block: str) -> str:
        # The docs name the forge at localhost:7070; this one listens elsewhere.
        return block.replace('"url": "http://localhost:7070"', '"url": "%s"' % self.forge.url)

    def test_the_first_example_gets_a_prompt_calls_the_model_and_reports_usage(self) -> None:
        example = python_blocks()[0]
        self.assertIn('forge.get("welcome:production", app_name="Acme", unit=user.id)', example)
        scope: Dict[str, Any] = {"openai": sys.modules["openai"], "user": types.SimpleNamespace(id="user-42")}
        exec(compile(self.source(example), DOC, "exec"), scope)
        forge, p = scope["forge"], scope["p"]
        self.assertEqual(self.sent[0]["model"], "gpt-4o-mini")
        self.assertTrue(self.sent[0]["messages"][0]["content"].startswith("Welcome to Acme"), self.sent)
        self.assertEqual(p.sha, self.forge.sha("production"))
        forge.close()  # flushes usage, as interpreter exit would
        metrics = self.forge.api("GET", "/api/v1/repos/demo/prompts/welcome/usage")
        version = next(v for v in metrics["versions"] if v["sha"] == p.sha)
        self.assertEqual((version["calls"], version["inputTokens"], version["outputTokens"]), (1, 412, 96))

    def test_the_asyncio_example_runs(self) -> None:
        block = next(b for b in python_blocks() if "AsyncPromptClient" in b)
        scope: Dict[str, Any] = {}
        exec("from promptforge import AsyncPromptClient\nasync def main():\n" + textwrap.indent(self.source(block), "    ") + "    return p\n", scope)
        p = asyncio.run(scope["main"]())
        self.assertTrue(p.text.startswith("Welcome to Acme"))


if __name__ == "__main__":
    unittest.main()


class Snippets(unittest.TestCase):
    """The editor's Python snippets (snippets/sdk-python.code-snippets) call this client."""

    def test_each_snippet_is_python_that_calls_real_methods(self) -> None:
        import json

        from promptforge import PromptClient

        with open(os.path.join(ROOT, "snippets", "sdk-python.code-snippets"), encoding="utf-8") as f:
            snippets = json.load(f)
        called = set()
        for name, snippet in snippets.items():
            body = snippet["body"] if isinstance(snippet["body"], str) else "\n".join(snippet["body"])
            code = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", body).replace("$0", "")
            compile(code, name, "exec")  # a SyntaxError fails the test with the snippet's name
            for method in re.findall(r"\bforge\.(\w+)\(", code):
                self.assertTrue(callable(getattr(PromptClient, method, None)), "%s calls forge.%s, which PromptClient lacks" % (name, method))
                called.add(method)
            if "PromptClient(" in code:
                scope: Dict[str, Any] = {}
                exec(code.replace("fallback_dir", "live_updates=False, usage=False, fallback_dir"), scope)
                scope["forge"].close()
        self.assertEqual(called, {"get", "render", "record_usage"})
