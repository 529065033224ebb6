"""A real forge for the tests: the built CLI (``dist/forge/cli.js``) run by Node, serving
the demo repo (real history, releases, labels) on an ephemeral port. Build it first with
``npm run build``; ``PROMPTFORGE_NODE`` names the node binary (default: ``node`` on PATH)."""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Optional

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CLI = os.path.join(ROOT, "dist", "forge", "cli.js")


def node() -> str:
    found = os.environ.get("PROMPTFORGE_NODE") or shutil.which("node")
    if not found:
        raise RuntimeError("node is needed to run the forge for these tests (set PROMPTFORGE_NODE)")
    if not os.path.exists(CLI):
        raise RuntimeError("%s is missing: run `npm run build` first" % CLI)
    return found


_demo: List[str] = []


def make_demo_repo() -> str:
    """A fresh copy of the demo repo (made once per run: it takes seconds; copying, not)."""
    if not _demo:
        folder = os.path.join(tempfile.mkdtemp(prefix="pf-py-demo-"), "demo")
        subprocess.run([node(), CLI, "demo", folder], check=True, capture_output=True)
        _demo.append(folder)
    copy = os.path.join(tempfile.mkdtemp(prefix="pf-py-demo-"), "demo")
    shutil.copytree(_demo[0], copy, symlinks=True)
    return copy


class Forge:
    """One forge process; ``kill()`` is a SIGKILL, ``start()`` again reuses the port."""

    def __init__(self, repo: str, usage_db: str, port: int = 0, extra: Optional[List[str]] = None) -> None:
        self.extra = extra or []
        self.repo = repo
        self.usage_db = usage_db
        self.port = port
        self.url = ""
        self.proc: Optional[subprocess.Popen] = None
        self.output: List[str] = []

    def start(self) -> "Forge":
        args = [node(), CLI, "serve", "--port", str(self.port), "--host", "127.0.0.1", "--repo", "demo=" + self.repo, "--usage-db", self.usage_db, *self.extra]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:  # blocks until the forge says where it listens
            self.output.append(line)
            match = re.search(r"https?://[^\s/]+", line)
            if match:
                self.url = match.group(0).replace("localhost", "127.0.0.1")
                self.port = int(self.url.rsplit(":", 1)[1])
                threading.Thread(target=self._drain, daemon=True).start()
                return self
        raise RuntimeError("forge exited before listening:\n" + "".join(self.output))

    def _drain(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)

    @property
    def host(self) -> str:
        return self.url.split("://", 1)[1]

    def kill(self) -> None:
        """The hard way, as a crash or an OOM kill would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self._close_pipe()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
        self._close_pipe()

    def _close_pipe(self) -> None:
        if self.proc is not None and self.proc.stdout is not None:
            try:
                self.proc.stdout.close()
            except (OSError, ValueError):
                pass

    def api(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
        try:
            return json.loads(text)
        except ValueError:
            return [json.loads(line) for line in text.splitlines() if line.strip()]

    def sha(self, version: str, prompt: str = "welcome") -> str:
        query = urllib.parse.urlencode({"uri": "prompt://%s/demo/%s/%s?app_name=x" % (self.host, prompt, version)})
        return str(self.api("GET", "/api/v1/resolve?" + query)["sha"])

    def promote(self, label: str, version: str, prompt: str = "welcome", expected: Optional[str] = None) -> Dict[str, Any]:
        expected = expected or self.sha(label, prompt)
        return self.api("PUT", "/api/v1/repos/demo/prompts/%s/labels/%s" % (prompt, label), {"version": version, "expected": expected})  # type: ignore[no-any-return]



class LlmStub:
    """An OpenAI-compatible endpoint that records each chat request and answers ``reply``:
    how the tests see what the forge sent to a model (e.g. consented samples in a review)."""

    def __init__(self, reply: str) -> None:
        import http.server

        stub = self
        self.requests: List[Dict[str, Any]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
                stub.requests.append(body)
                answer = json.dumps({"id": "stub", "object": "chat.completion", "model": body.get("model"), "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d/v1" % self.server.server_address[1]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
