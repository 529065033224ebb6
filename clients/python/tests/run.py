"""Runs the whole suite (unittest discovery, verbose) and writes a JSON summary — every
test id and which failed or were skipped — for the mocha test that runs it in npm test.
Usage: python3 -m tests.run SUMMARY.json (from clients/python, with src on PYTHONPATH)."""
import json
import sys
import unittest
from typing import Iterator, List


def test_ids(suite: unittest.TestSuite) -> Iterator[str]:
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from test_ids(item)
        else:
            yield item.id()


def main(argv: List[str]) -> int:
    suite = unittest.defaultTestLoader.discover("tests", top_level_dir=".")
    ids = list(test_ids(suite))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    summary = {
        "tests": ids,
        # Failures in setUpClass and the like have no test id of their own: their description names the class.
        "failed": [t.id() if t.id() in ids else str(t) for t, _ in result.failures + result.errors],
        "skipped": [t.id() for t, _ in result.skipped],
        "ran": result.testsRun,
    }
    with open(argv[1], "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
