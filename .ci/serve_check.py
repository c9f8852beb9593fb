#!/usr/bin/env python3
"""Check `report serve` end to end in headless Chromium, on a small throwaway project.

  * a page opened from the server shows a sentence appended to its chapter, with no
    reload (a marker set in the page survives, and so does the scroll position);
  * a bad key shows an overlay naming chapters/FILE.md:LINE:COL, over the last good page;
    fixing it removes the overlay;
  * an edit that changes an experiment trains in the background with a status line in
    the page; an edit during the runs restarts the build with the newest chapters;
  * no file in the site folder holds the live-update code;
  * traversal targets get 404; a second server on the same port fails naming --port;
  * Ctrl-C stops the server within a second.
Prints the save-to-visible latency of prose edits (median of 10) as information.

Usage: serve_check.py REPORT_BINARY [WORK_DIR]
Only 127.0.0.1 is contacted. Exits non-zero and lists every problem when anything fails.
"""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_check import Chromium  # noqa: E402

LIVE_MARK = "report-live"
FILLER = "\n\n".join(f"Paragraph {i} of filler, so that the page is long enough to scroll." for i in range(60))


def intro(prose, figure_key="data-seed: 0"):
    return f"""---
title: Intro
report-title: Serve check
---

{prose}

```{{figure}} fig-data
kind: data
{figure_key}
caption: Real points against the noise.
```

{FILLER}

The end of the intro.
"""


def runs_chapter(steps):
    return f"""# Runs

Mean D loss {{value}}`tiny.d_loss`.

```{{experiment}} tiny
norm: batch
steps: {steps}
batch-size: 256
width: 32
seeds: 1-2
```
"""


class Server:
    def __init__(self, binary, project, port=0):
        self.lines = []
        self.proc = subprocess.Popen(
            [binary, "serve", "--port", str(port), "--jobs", "1"], cwd=project,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.port = None

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, pattern, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for line in self.lines:
                match = re.search(pattern, line)
                if match:
                    return match
            if self.proc.poll() is not None and not any(re.search(pattern, l) for l in self.lines):
                time.sleep(0.2)
                break
            time.sleep(0.02)
        raise RuntimeError(f"server never printed /{pattern}/; output:\n" + "\n".join(self.lines))

    def start(self):
        self.port = int(self.wait_for_line(r"at http://127\.0\.0\.1:(\d+)/").group(1))
        self.wait_for_line(r"^built in ")
        return self


def raw_get(port, target):
    """Status of GET target, sent exactly as written."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        head = s.recv(4096).decode("latin-1")
    return int(head.split(" ")[1])


def evaluate(browser, expression):
    return browser.call("Runtime.evaluate", expression=expression, returnByValue=True,
                        awaitPromise=True)["result"].get("value")


def wait_in_page(browser, condition, timeout=60):
    """Time (s) until the JS expression `condition` holds in the page, checked on each DOM
    change; the wait starts now and is answered by the page itself (no polling delay)."""
    browser.next_id += 1
    my_id = browser.next_id
    expression = f"""new Promise((resolve) => {{
      const start = performance.now();
      const check = () => {{ try {{ if ({condition}) {{ resolve(performance.now() - start); return true; }} }} catch (e) {{}} return false; }};
      if (check()) return;
      const observer = new MutationObserver(() => {{ if (check()) observer.disconnect(); }});
      observer.observe(document.documentElement, {{ childList: true, subtree: true, characterData: true, attributes: true }});
      setTimeout(() => resolve(-1), {int(timeout * 1000)});
    }})"""
    browser.ws.send(json.dumps({"id": my_id, "method": "Runtime.evaluate",
                                "params": {"expression": expression, "awaitPromise": True, "returnByValue": True}}))
    return my_id


def result_of(browser, my_id):
    while True:
        message = json.loads(browser.ws.recv())
        if message.get("id") == my_id:
            value = message["result"]["result"].get("value")
            return None if value is None or value < 0 else value / 1000
        browser.events.append(message)


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)  # as editors save: write aside, rename over


def main():
    binary = os.path.abspath(sys.argv[1])
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="report-serve-check-")
    project = os.path.join(work, "project")
    shutil.rmtree(project, ignore_errors=True)
    os.makedirs(os.path.join(project, "chapters"))
    chapter = os.path.join(project, "chapters", "01-intro.md")
    runs = os.path.join(project, "chapters", "02-runs.md")
    write(chapter, intro("The first sentence."))
    write(runs, runs_chapter(100))

    problems = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            problems.append(what)

    server = Server(binary, project).start()
    browser = Chromium()
    try:
        for domain in ("Page", "Runtime"):
            browser.call(f"{domain}.enable")
        browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        browser.call("Page.navigate", url=f"http://127.0.0.1:{server.port}/01-intro.html")
        browser.wait_for("Page.loadEventFired")
        waiting = wait_in_page(browser, "document.documentElement.dataset.reportLive === 'connected'")
        check(result_of(browser, waiting) is not None, "the page connects to the server")
        evaluate(browser, "window.__marker = 'same page'; window.scrollTo(0, 600); window.scrollY")

        # 1. A prose edit appears without a reload, at the same scroll position.
        latencies = []
        prose = "The first sentence."
        for i in range(10):
            prose += f" Appended sentence number {i}."
            waiting = wait_in_page(browser, f"document.body.innerText.includes('Appended sentence number {i}.')")
            start = time.time()
            write(chapter, intro(prose))
            seen = result_of(browser, waiting)
            if seen is None:
                check(False, f"appended sentence {i} shows in the page")
                break
            latencies.append(time.time() - start)
        check(len(latencies) == 10, "10 appended sentences showed in the page")
        check(evaluate(browser, "window.__marker") == "same page", "the page was updated in place, not reloaded")
        check(abs(evaluate(browser, "window.scrollY") - 600) <= 1, "the scroll position was kept")
        images = evaluate(browser, """Promise.all(Array.from(document.images).map((img) => img.decode().then(
            () => img.naturalWidth > 0 && /[?&]v=[0-9a-f]{16}/.test(img.src), () => false)))""") or []
        check(images and all(images), f"after the updates every figure loads, versioned by its hash ({images})")
        if latencies:
            print(f"save-to-visible latency, prose edit: median {statistics.median(latencies) * 1000:.0f} ms "
                  f"(min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f}, n={len(latencies)})")

        # 2. A bad key shows an overlay with file:line; the last good page stays under it.
        write(chapter, intro(prose + " Broken sentence.", figure_key="colour: red"))
        overlay = "document.getElementById('report-live-errors')"
        waiting = wait_in_page(browser, f"{overlay} && {overlay}.style.display === 'block'")
        check(result_of(browser, waiting) is not None, "a failed build shows the overlay")
        text = evaluate(browser, f"{overlay} ? {overlay}.innerText : ''") or ""
        check(re.search(r"chapters/01-intro\.md:\d+:\d+: error: ", text) is not None,
              f"the overlay names chapters/01-intro.md:LINE:COL (got {text[:200]!r})")
        check(evaluate(browser, "document.body.innerText.includes('Appended sentence number 9.')"),
              "the last good page stays under the overlay")

        # 3. Fixing it removes the overlay.
        write(chapter, intro(prose + " Fixed sentence."))
        waiting = wait_in_page(browser, f"document.body.innerText.includes('Fixed sentence.') && {overlay}.style.display === 'none'")
        check(result_of(browser, waiting) is not None, "the fix removes the overlay and shows the new text")

        # 4. Changing an experiment trains with a status line; a newer edit during the
        #    runs restarts the build with the newest chapters.
        status = "document.getElementById('report-live-status')"
        waiting = wait_in_page(browser, f"{status} && /training: \\d+ of 2 runs/.test({status}.textContent)")
        start = time.time()
        write(runs, runs_chapter(3000))
        check(result_of(browser, waiting) is not None, "the page shows 'training: N of 2 runs'")
        write(chapter, intro(prose + " Written during the runs."))
        waiting = wait_in_page(browser, f"document.body.innerText.includes('Written during the runs.') && {status}.style.display === 'none'", timeout=300)
        check(result_of(browser, waiting) is not None, "an edit during the runs is built when they finish")
        print(f"save-to-visible, experiment edit (2 runs of 3000 steps, 1 job): {time.time() - start:.1f} s")
        check(any("newer changes" in l for l in server.lines), "the newer edit restarted the build")

        # 5. The site on disk holds no live-update code.
        site = os.path.join(project, "build")
        dirty = [os.path.join(root, name) for root, _, names in os.walk(site) for name in names
                 if LIVE_MARK.encode() in open(os.path.join(root, name), "rb").read()]
        check(not dirty, f"no file in build/ holds the live-update code ({dirty[:3]})")

        # 6. Traversal is refused; a second server on the port fails naming --port.
        for target in ("/../chapters/01-intro.md", "/%2e%2e/chapters/01-intro.md", "/%2e%2e%2fchapters%2f01-intro.md",
                       "/figures/", "//etc/passwd"):
            check(raw_get(server.port, target) == 404, f"GET {target} is 404")
        second = subprocess.run([binary, "serve", "--port", str(server.port)], cwd=project, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=60)
        check(second.returncode != 0 and f"port {server.port}" in second.stderr and "--port" in second.stderr,
              f"a port in use is a clear error ({second.stderr.strip()[:160]!r})")
    finally:
        browser.close()
        # 7. Ctrl-C stops it within a second.
        start = time.time()
        server.proc.send_signal(signal.SIGINT)
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
        stopped = time.time() - start
        check(stopped < 1.0, f"Ctrl-C stopped the server in {stopped:.2f} s")

    print(f"serve check: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
