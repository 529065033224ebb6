"""The client against a real forge process: cached gets, a live promotion, a forge
SIGKILLed (cached answers, snapshot, fallbacks), a restart (recovery), usage in the
forge's metrics and the consent rule. No fixed sleeps: every wait is on an event."""
import os
import shutil
import tempfile
import threading
import time
import unittest
from typing import Any, List

from promptforge import MissingParam, PromptClient, PromptForgeError, PromptUnavailable, UnknownPrompt

from .forge import Forge, LlmStub, make_demo_repo

#: Measured in the live-promotion and restart tests and printed at the end of the run.
FIGURES: dict = {}


def tearDownModule() -> None:
    import json
    import sys

    print("promptforge figures: " + json.dumps(FIGURES), file=sys.stderr)


class ForgeTest(unittest.TestCase):
    forge: Forge
    tmp: str

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.mkdtemp(prefix="pf-py-")
        cls.forge = Forge(make_demo_repo(), os.path.join(cls.tmp, "usage.db")).start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.forge.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def client(self, **options: Any) -> PromptClient:
        errors: List[BaseException] = options.pop("errors", [])
        options.setdefault("on_error", errors.append)
        c = PromptClient(hosts={self.forge.host: {"url": self.forge.url}}, defaults={"host": self.forge.host, "repo": "demo"}, **options)
        self.addCleanup(c.close)
        return c


class CachedAndLive(ForgeTest):
    def test_a_cached_get_answers_from_memory_with_any_params(self) -> None:
        c = self.client(live_updates=False)
        first = c.get("welcome:production", app_name="Acme")
        self.assertEqual(first.source, "forge")
        self.assertEqual(first.sha, self.forge.sha("production"))
        self.assertEqual(first.release, "1.1.0")
        self.assertIn("production", first.labels)
        self.assertEqual(first.canonical, "prompt://%s/demo/welcome/%s" % (self.forge.host, first.sha))
        self.assertTrue(first.text.startswith("Welcome to Acme, there!"), first.text)
        requests: List[str] = []
        http = c._hosts[self.forge.host].http
        real = http.call
        http.call = lambda *a, **k: (requests.append(a[1]), real(*a, **k))[1]  # type: ignore[method-assign]
        again = c.get("welcome:production", app_name="Bob", tier="premium")
        self.assertEqual(again.source, "cache")
        self.assertEqual(again.sha, first.sha)
        self.assertTrue(again.text.startswith("Welcome to Bob, there! You are on the premium plan."), again.text)
        self.assertNotEqual(again.tracking_id, first.tracking_id)
        self.assertEqual(requests, [], "a cached get must not touch the network")
        # Bad params on a cached prompt are typed errors naming the param, from memory too.
        with self.assertRaises(MissingParam) as missing:
            c.get("welcome:production")
        self.assertEqual((missing.exception.code, missing.exception.param), ("missing_param", "app_name"))
        self.assertEqual(requests, [])

    def test_chat_prompts_short_refs_full_uris_and_params_in_the_uri(self) -> None:
        c = self.client(live_updates=False)
        chat = c.get("support-chat:HEAD", customer_name="Ada", product="Forge", question="Where is my invoice?")
        self.assertIsNone(chat.text)
        self.assertEqual(chat.messages[-1], {"role": "user", "content": "Ada asks: Where is my invoice?"})
        self.assertEqual(chat.messages[0]["role"], "system")
        full = c.get("prompt://%s/demo/welcome/1.0.0?app_name=Acme" % self.forge.host)
        self.assertEqual(full.release, "1.0.0")
        self.assertEqual(full.canonical, "prompt://%s/demo/welcome/%s?app_name=Acme" % (self.forge.host, full.sha))
        self.assertEqual(c.render("demo/summarize-ticket:latest", ticket_text="Login fails", max_words=20).splitlines()[0], "Summarize the support ticket below in at most 20 words.")
        with self.assertRaises(UnknownPrompt) as unknown:
            c.get("welcom:production", app_name="Acme")
        self.assertEqual(unknown.exception.code, "prompt_not_found")

    def test_a_promotion_reaches_a_running_app_within_one_second(self) -> None:
        c = self.client()
        self.assertTrue(c.wait_until_live(10), "the event stream never connected")
        before = c.get("welcome:production", app_name="Acme")
        staging = self.forge.sha("staging")
        self.assertNotEqual(before.sha, staging)
        seen = threading.Event()
        arrived: List[Any] = []
        c.on_change(lambda p: (arrived.append((time.monotonic(), p)), seen.set()))
        started = time.monotonic()
        self.forge.promote("production", "staging", expected=before.sha)
        self.assertTrue(seen.wait(5), "the promotion never reached the client")
        elapsed = arrived[0][0] - started
        FIGURES["promotion_to_app_ms"] = round(elapsed * 1000, 1)
        self.assertLess(elapsed, 1.0)
        self.assertEqual(arrived[0][1].sha, staging)
        after = c.get("welcome:production", app_name="Acme")
        self.assertEqual((after.sha, after.source), (staging, "cache"))
        self.forge.promote("production", before.sha)


class Usage(ForgeTest):
    llm: LlmStub

    @classmethod
    def setUpClass(cls) -> None:
        # A review sends a version's consented samples to the forge's model: how the test sees them.
        cls.llm = LlmStub('{"summary": "Fine.", "suggestions": [], "revised": null}')
        cls.tmp = tempfile.mkdtemp(prefix="pf-py-")
        config = os.path.join(cls.tmp, "forge.yaml")
        with open(config, "w") as f:
            f.write("llm:\n  url: %s\n  model: reviewer\n" % cls.llm.url)
        cls.forge = Forge(make_demo_repo(), os.path.join(cls.tmp, "usage.db"), extra=["--config", config]).start()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.llm.close()

    def test_usage_is_batched_and_visible_in_the_forges_metrics(self) -> None:
        c = self.client(live_updates=False)
        p = c.get("welcome:1.0.0", app_name="Acme")
        started = time.monotonic()
        c.record_usage(p.tracking_id, success=True, latency_ms=812, input_tokens=412, output_tokens=96, model="gpt-4o-mini")
        c.record_usage(c.get("welcome:1.0.0", app_name="Bob").tracking_id, success=False, latency_ms=300, input_tokens=10, output_tokens=0)
        self.assertLess(time.monotonic() - started, 0.05, "record_usage must not wait for the network")
        c.record_usage("not-a-tracking-id", success=True)  # ignored, never raised
        c.flush_usage()
        self.assertEqual(tuple(c.usage_stats()), (0, 2, 0, 0))
        metrics = self.forge.api("GET", "/api/v1/repos/demo/prompts/welcome/usage")
        version = next(v for v in metrics["versions"] if v["sha"] == p.sha)
        self.assertEqual((version["calls"], version["successRate"], version["inputTokens"], version["outputTokens"]), (2, 0.5, 422, 96))

    def test_an_app_that_exits_without_closing_still_sends_its_usage(self) -> None:
        import subprocess
        import sys

        script = (
            "from promptforge import PromptClient\n"
            "forge = PromptClient(hosts={%r: {'url': %r}}, defaults={'host': %r, 'repo': 'demo'})\n"
            "p = forge.get('summarize-ticket:HEAD', ticket_text='Login fails')\n"
            "forge.record_usage(p.tracking_id, success=True, latency_ms=42)\n"
            "print(p.sha)\n"
        ) % (self.forge.host, self.forge.url, self.forge.host)
        src = os.path.join(os.path.dirname(__file__), "..", "src")
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=dict(os.environ, PYTHONPATH=src))
        self.assertEqual(run.returncode, 0, run.stderr)
        metrics = self.forge.api("GET", "/api/v1/repos/demo/prompts/summarize-ticket/usage")
        self.assertEqual([(v["sha"], v["calls"]) for v in metrics["versions"]], [(run.stdout.strip(), 1)])

    def test_samples_leave_the_app_only_with_consent(self) -> None:
        errors: List[BaseException] = []
        c = self.client(live_updates=False, errors=errors)
        p = c.get("welcome:1.1.0", app_name="Acme")
        c.record_usage(p.tracking_id, success=True, consent=True, input={"app_name": "Acme"}, output="Welcome to Acme!")
        c.record_usage(p.tracking_id, success=True, input="private words", output="never kept")
        c.flush_usage()
        self.assertEqual([getattr(e, "code", None) for e in errors], ["consent_required"])
        self.assertEqual(c.usage_stats().sent, 2, "the unconsented call still counts")
        metrics = self.forge.api("GET", "/api/v1/repos/demo/prompts/welcome/usage?version=1.1.0")
        self.assertEqual(metrics["versions"][0]["calls"], 2)
        review = self.forge.api("POST", "/api/v1/repos/demo/prompts/welcome/review", {"version": p.sha})
        self.assertEqual(review["samples"], 1)
        sent = repr(self.llm.requests[-1]["messages"])
        self.assertIn("Welcome to Acme!", sent)
        self.assertNotIn("private words", sent)
        self.assertNotIn("never kept", sent)


class Outage(ForgeTest):
    def test_a_killed_forge_is_survived_and_a_restarted_one_recovered(self) -> None:
        snapshot = os.path.join(self.tmp, "snapshot.json")
        fallback_dir = os.path.join(self.tmp, "prompts")
        os.makedirs(fallback_dir)
        with open(os.path.join(fallback_dir, "legacy-greeting.prompt"), "w") as f:
            f.write("---\nparams:\n  name: { type: string, required: true }\n---\nHello {{name}} (shipped with the app).\n")
        c = self.client(snapshot=snapshot, fallback_dir=fallback_dir, cache_ttl=0.0)
        self.assertTrue(c.wait_until_live(10))
        seen = c.get("welcome:production", app_name="Acme")

        self.forge.kill()
        # Movable entries are stale at once here (ttl 0): still answered, refreshed in the background.
        stale = c.get("welcome:production", app_name="Acme")
        self.assertEqual((stale.source, stale.sha, stale.text), ("stale", seen.sha, seen.text))
        fallback = c.get("legacy-greeting:HEAD", name="Ada")
        self.assertEqual((fallback.source, fallback.text, fallback.sha), ("fallback", "Hello Ada (shipped with the app).\n", None))
        with self.assertRaises(PromptUnavailable) as unavailable:
            c.get("classify-intent:HEAD", message="hi")
        self.assertEqual(unavailable.exception.code, "unavailable")
        self.assertIn("fallback", str(unavailable.exception))
        # Once the outage is known the breaker is open: no per-call timeout.
        for _ in range(3):
            try:
                c.get("summarize-ticket:HEAD", ticket_text="x")
            except PromptForgeError:
                pass
        self.assertEqual(c.host_states(), {self.forge.host: "down"})
        started = time.monotonic()
        self.assertEqual(c.get("legacy-greeting:HEAD", name="Bo").source, "fallback")
        self.assertLess(time.monotonic() - started, 0.05)

        # An app started during the outage serves what the last one saw, from the snapshot.
        c._snapshot.flush()  # type: ignore[union-attr]  (written within 100 ms anyway; now, to be sure)
        restarted_app = self.client(snapshot=snapshot, live_updates=False)
        from_snapshot = restarted_app.get("welcome:production", app_name="Acme")
        self.assertEqual((from_snapshot.source, from_snapshot.sha, from_snapshot.text), ("snapshot", seen.sha, seen.text))

        # The forge comes back on the same port: the running app recovers by itself.
        started = time.monotonic()
        self.forge.start()
        self.assertTrue(c.wait_until_live(15), "the event stream never reconnected")
        FIGURES["reconnect_after_restart_ms"] = round((time.monotonic() - started) * 1000)
        moved = threading.Event()
        c.on_change(lambda p: moved.set())
        self.forge.promote("production", "staging")
        self.assertTrue(moved.wait(5), "no live update after the restart")
        self.assertEqual(c.get("welcome:production", app_name="Acme").sha, self.forge.sha("staging"))
        self.assertEqual(c.host_states(), {self.forge.host: "up"})

if __name__ == "__main__":
    unittest.main()
