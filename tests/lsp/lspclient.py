# tests/lsp/lspclient.py: a small LSP client over a child's pipes (JSON-RPC
# with Content-Length framing), for tests/lsp/features.py and bench/lsp.py.
# A reader thread keeps every message with the time it arrived, so a test
# can wait for "the diagnostics of version 3" and say how long they took.
import json
import os
import subprocess
import threading
import time


class Client:
    def __init__(self, argv, cwd=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd)
        self.msgs = []            # (time, message) as they arrive
        self.cv = threading.Condition()
        self.next_id = 1
        self.closed = False
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr = b""
        threading.Thread(target=self._err, daemon=True).start()

    def _err(self):
        for line in self.proc.stderr:
            self.stderr += line

    def _read(self):
        out = self.proc.stdout
        while True:
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                c = out.read(1)
                if not c:
                    with self.cv:
                        self.closed = True
                        self.cv.notify_all()
                    return
                head += c
            n = 0
            for line in head.decode("ascii").split("\r\n"):
                if line.lower().startswith("content-length:"):
                    n = int(line.split(":", 1)[1])
            body = out.read(n)
            msg = json.loads(body)
            with self.cv:
                self.msgs.append((time.monotonic(), msg))
                self.cv.notify_all()

    def send_raw(self, body):
        if isinstance(body, str):
            body = body.encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params=None):
        m = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            m["params"] = params
        self.send_raw(json.dumps(m))
        return time.monotonic()

    def request_async(self, method, params=None):
        i = self.next_id
        self.next_id += 1
        m = {"jsonrpc": "2.0", "id": i, "method": method}
        if params is not None:
            m["params"] = params
        self.send_raw(json.dumps(m))
        return i

    def wait(self, pred, timeout=10.0, after=0.0):
        """The first message arrived after `after` for which pred holds, with
        its arrival time; (None, None) on timeout or when the server closed."""
        end = time.monotonic() + timeout
        with self.cv:
            while True:
                for t, m in self.msgs:
                    if t >= after and pred(m):
                        return t, m
                left = end - time.monotonic()
                if left <= 0 or self.closed:
                    return None, None
                self.cv.wait(left)

    def request(self, method, params=None, timeout=10.0):
        i = self.request_async(method, params)
        _, m = self.wait(lambda m: m.get("id") == i and "method" not in m, timeout)
        return m

    def diagnostics(self, uri, version, timeout=10.0, after=0.0, pred=None):
        """The first publishDiagnostics of uri at that version (and pred)."""
        def ok(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri and p.get("version") == version and (pred is None or pred(p["diagnostics"]))
        t, m = self.wait(ok, timeout, after)
        return (t, m["params"]["diagnostics"]) if m else (None, None)

    def initialize(self, root):
        r = self.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + root,
                                        "capabilities": {}})
        self.notify("initialized", {})
        return r

    def open(self, uri, text, version=1):
        return self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "deal", "version": version, "text": text}})

    def change(self, uri, version, text, rng=None):
        ch = {"text": text}
        if rng is not None:
            ch["range"] = rng
        return self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [ch]})

    def close(self):
        try:
            self.request("shutdown", None, 5)
            self.notify("exit")
            return self.proc.wait(5)
        except Exception:
            self.proc.kill()
            return self.proc.wait()
