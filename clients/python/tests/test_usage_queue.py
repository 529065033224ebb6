"""The usage queue alone: bounded, oldest dropped and counted, a failed batch kept for the
next flush, nothing sent while the forge is known down, never an exception for the app."""
import unittest
from typing import Any, Dict, List

from promptforge.usage import UsageOptions, UsageQueue


class Queue(unittest.TestCase):
    def test_bounded_kept_on_failure_and_sent_in_batches(self) -> None:
        batches: List[List[Dict[str, Any]]] = []
        forge = {"up": False, "answers": True}

        def send(batch: List[Dict[str, Any]]) -> None:
            if not forge["answers"]:
                raise ConnectionRefusedError("down")
            batches.append(batch)

        q = UsageQueue(send, UsageOptions(max_queue=3, max_batch=2, flush_interval=3600), can_send=lambda: forge["up"])
        self.addCleanup(q.close)
        for i in range(5):
            q.push({"n": i})
        self.assertEqual(tuple(q.stats()), (3, 0, 2, 0), "the two oldest are dropped and counted")
        q.flush()
        self.assertEqual(batches, [], "nothing is sent while the forge is known down")
        forge.update(up=True, answers=False)
        q.flush()
        self.assertEqual(tuple(q.stats()), (3, 0, 2, 1), "a failed batch goes back in front")
        forge["answers"] = True
        q.flush()
        self.assertEqual(batches, [[{"n": 2}, {"n": 3}], [{"n": 4}]])
        self.assertEqual(tuple(q.stats()), (0, 3, 2, 1))


if __name__ == "__main__":
    unittest.main()
