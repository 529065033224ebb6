"""Experiment assignment in the client (DESIGN §7): the definition is given as the event
stream delivers it; no network is involved."""
import unittest

from promptforge import PromptClient
from promptforge.assignment import assign_variant, hash_v2


class Assignment(unittest.TestCase):
    def test_sticky_and_raising_coverage_keeps_enrolled_units(self) -> None:
        narrow = {"variants": [{"version": "v2", "weight": 0.5}], "coverage": 0.2, "seed": "welcome/production"}
        wide = dict(narrow, coverage=1.0)
        units = ["user-%d" % i for i in range(2000)]
        enrolled = [u for u in units if assign_variant(narrow, u) == 1]
        self.assertTrue(all(assign_variant(narrow, u) == 1 for u in enrolled), "sticky")
        self.assertTrue(all(assign_variant(wide, u) == 1 for u in enrolled), "raising coverage moves nobody out")
        share = sum(assign_variant(wide, u) == 1 for u in units) / len(units)
        self.assertAlmostEqual(share, 0.5, delta=0.05)
        self.assertAlmostEqual(len(enrolled) / len(units), 0.1, delta=0.03)
        self.assertTrue(0 <= hash_v2("s", "u") < 1)

    def test_a_unit_is_routed_to_its_variant_and_the_answer_says_so(self) -> None:
        client = PromptClient(hosts={"forge": {"url": "http://127.0.0.1:9"}}, defaults={"host": "forge", "repo": "demo"},
                              fallbacks={"welcome": "Hello {{name}}"}, live_updates=False, usage=False)
        self.addCleanup(client.close)
        definition = {"key": "production", "variants": [{"name": "b", "version": "1.2.0", "weight": 0.5}], "coverage": 1, "seed": "welcome-production"}
        client.set_experiment("forge", "demo", "welcome", "production", definition)
        treated = next(u for u in ("u%d" % i for i in range(100)) if assign_variant(definition, u) == 1)
        control = next(u for u in ("u%d" % i for i in range(100)) if assign_variant(definition, u) == 0)
        for unit, variant, uri in ((treated, "b", "prompt://forge/demo/welcome/1.2.0"), (control, "control", "prompt://forge/demo/welcome/production")):
            p = client.get("welcome:production", unit=unit, name="Ada")
            self.assertEqual((p.experiment, p.variant, p.uri), ("production", variant, uri))
        plain = client.get("welcome:production", name="Ada")
        self.assertEqual((plain.experiment, plain.variant), (None, None))
        client.set_experiment("forge", "demo", "welcome", "production", None)
        self.assertIsNone(client.get("welcome:production", unit=treated, name="Ada").experiment)


if __name__ == "__main__":
    unittest.main()
