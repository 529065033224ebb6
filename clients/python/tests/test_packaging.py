"""``pip`` builds a wheel offline from pyproject.toml with the system's setuptools, and
the installed package imports and carries its type information (py.typed)."""
import os
import subprocess
import sys
import tempfile
import unittest
import zipfile

HERE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


class Packaging(unittest.TestCase):
    def test_builds_a_typed_wheel_offline_and_installs_it(self) -> None:
        out = tempfile.mkdtemp(prefix="pf-py-wheel-")
        build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-index", "--no-build-isolation", "--no-deps", "-q", "-w", out, HERE],
                               capture_output=True, text=True)
        self.assertEqual(build.returncode, 0, "pip wheel failed (are python3-pip, python3-setuptools and python3-wheel installed?):\n" + build.stderr)
        wheels = [f for f in os.listdir(out) if f.endswith(".whl")]
        self.assertEqual(len(wheels), 1, wheels)
        names = zipfile.ZipFile(os.path.join(out, wheels[0])).namelist()
        for module in ("promptforge/__init__.py", "promptforge/client.py", "promptforge/aio.py", "promptforge/py.typed"):
            self.assertIn(module, names)
        target = os.path.join(out, "site")
        install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "-q", "--target", target, os.path.join(out, wheels[0])], capture_output=True, text=True)
        self.assertEqual(install.returncode, 0, install.stderr)
        probe = subprocess.run([sys.executable, "-c", "import promptforge, os; print(promptforge.__file__); from promptforge import PromptClient, AsyncPromptClient"],
                               capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=target), cwd=out)
        self.assertEqual(probe.returncode, 0, probe.stderr)
        self.assertTrue(probe.stdout.strip().startswith(target), probe.stdout)


if __name__ == "__main__":
    unittest.main()
