#!/usr/bin/env python3
"""Load every page of the built site in headless Chromium and check it as a reader would.

For each HTML file under the site folder:
  * every local link and image reference resolves to a file (checked statically);
  * the page loads in Chromium with no console error, no failed request and no broken image;
  * screenshots are saved at desktop and phone widths.

Usage: browser_check.py SITE_DIR SCREENSHOT_DIR
Talks to Chromium over the DevTools protocol (needs the `websocket-client` package).
Exits non-zero and lists every problem when anything is wrong.
"""

import base64
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import websocket  # websocket-client

VIEWPORTS = {"desktop": (1280, 900, 1, False), "phone": (390, 844, 2, True)}


class RefCollector(html.parser.HTMLParser):
    """Collects href/src references and element ids of one page."""

    def __init__(self):
        super().__init__()
        self.refs = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src"):
                self.refs.append(value)
            if name == "srcset":
                for part in value.split(","):
                    url = part.strip().split(" ")[0]
                    if url:
                        self.refs.append(url)


def page_ids(path, cache={}):
    if path not in cache:
        collector = RefCollector()
        with open(path, encoding="utf-8") as f:
            collector.feed(f.read())
        cache[path] = collector.ids
    return cache[path]


def static_link_problems(site, pages):
    problems = []
    for page in pages:
        collector = RefCollector()
        with open(page, encoding="utf-8") as f:
            collector.feed(f.read())
        for ref in collector.refs:
            parsed = urllib.parse.urlparse(ref)
            if parsed.scheme in ("http", "https", "//") or ref.startswith("//"):
                problems.append(f"{page}: external reference {ref} (the site must work offline)")
                continue
            if parsed.scheme in ("mailto", "data"):
                continue
            target = page if parsed.path == "" else os.path.normpath(
                os.path.join(os.path.dirname(page), urllib.parse.unquote(parsed.path)))
            if not os.path.isfile(target):
                problems.append(f"{page}: broken reference {ref}")
            elif parsed.fragment and target.endswith(".html"):
                if urllib.parse.unquote(parsed.fragment) not in page_ids(target):
                    problems.append(f"{page}: missing anchor {ref}")
    return problems


class Chromium:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="report-chromium-")
        self.proc = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file):
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        time.sleep(0.2)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, message in enumerate(self.events):
                if message.get("method") == event:
                    del self.events[i]
                    return message
            self.events.append(json.loads(self.ws.recv()))
        raise RuntimeError(f"timed out waiting for {event}")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)


def page_problems(browser, page):
    browser.events.clear()
    browser.call("Page.navigate", url="file://" + os.path.abspath(page))
    browser.wait_for("Page.loadEventFired")
    broken = browser.call("Runtime.evaluate", returnByValue=True, expression=(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.getAttribute('src'))"))["result"]["value"]
    problems = [f"{page}: image did not load: {src}" for src in broken]
    for message in browser.events:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            problems.append(f"{page}: console error: {text}")
        elif method == "Runtime.exceptionThrown":
            problems.append(f"{page}: uncaught exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            problems.append(f"{page}: console error: {params['entry']['text']}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(f"{page}: request failed: {params.get('errorText')}")
    return problems


def screenshot(browser, page, out_dir, name, viewport):
    width, height, scale, mobile = viewport
    browser.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                 deviceScaleFactor=scale, mobile=mobile)
    browser.call("Page.navigate", url="file://" + os.path.abspath(page))
    browser.wait_for("Page.loadEventFired")
    data = browser.call("Page.captureScreenshot", format="png")["data"]
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(base64.b64decode(data))


def main():
    site, shots = sys.argv[1], sys.argv[2]
    os.makedirs(shots, exist_ok=True)
    pages = sorted(os.path.join(root, name)
                   for root, _, names in os.walk(site) for name in names if name.endswith(".html"))
    if not pages:
        print(f"browser check: no pages in {site}")
        return 1
    problems = static_link_problems(site, pages)
    browser = Chromium()
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(f"{domain}.enable")
        for page in pages:
            problems += page_problems(browser, page)
            stem = os.path.relpath(page, site).replace(os.sep, "_")[:-len(".html")]
            for label, viewport in VIEWPORTS.items():
                screenshot(browser, page, shots, f"{stem}-{label}.png", viewport)
            browser.call("Emulation.clearDeviceMetricsOverride")
    finally:
        browser.close()
    for problem in problems:
        print("browser check: " + problem)
    print(f"browser check: {len(pages)} pages, {len(problems)} problems, screenshots in {shots}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
