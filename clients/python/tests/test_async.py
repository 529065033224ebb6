"""AsyncPromptClient: the same answers in an asyncio app; a cached get stays in the loop."""
import asyncio
import os
import shutil
import tempfile
import threading
import unittest

from promptforge import AsyncPromptClient, MissingParam

from .forge import Forge, make_demo_repo


class AsyncClient(unittest.TestCase):
    def test_same_methods_in_an_event_loop(self) -> None:
        tmp = tempfile.mkdtemp(prefix="pf-py-async-")
        forge = Forge(make_demo_repo(), os.path.join(tmp, "usage.db")).start()
        self.addCleanup(shutil.rmtree, tmp, True)
        self.addCleanup(forge.stop)

        async def app() -> None:
            async with AsyncPromptClient(hosts={forge.host: {"url": forge.url}}, defaults={"host": forge.host, "repo": "demo"}, live_updates=False) as forge_client:
                first = await forge_client.get("welcome:production", app_name="Acme")
                self.assertEqual(first.source, "forge")
                threads = set()
                real = forge_client.sync._answer

                def spy(*args: object, **kwargs: object) -> object:
                    threads.add(threading.get_ident())
                    return real(*args, **kwargs)  # type: ignore[arg-type]

                forge_client.sync._answer = spy  # type: ignore[method-assign]
                again = await forge_client.get("welcome:production", app_name="Bob")
                self.assertEqual((again.source, again.sha), ("cache", first.sha))
                self.assertEqual(threads, {threading.get_ident()}, "a cached get is answered in the event loop's thread")
                text = await forge_client.render("welcome:production", app_name="Cy")
                self.assertTrue(str(text).startswith("Welcome to Cy"))
                with self.assertRaises(MissingParam):
                    await forge_client.get("welcome:production")
                forge_client.record_usage(first.tracking_id, success=True, latency_ms=5)
                await forge_client.flush_usage()
                self.assertEqual(forge_client.usage_stats().sent, 1)
                outcomes = await forge_client.prefetch([("welcome:staging", {"app_name": "Acme"}), ("support-chat:HEAD", {"customer_name": "A", "product": "P", "question": "Q"})])
                self.assertEqual([source for _, source in outcomes], ["forge", "forge"])

        asyncio.run(app())


if __name__ == "__main__":
    unittest.main()
