#!/usr/bin/env python3
"""Check that a built site is complete: a page per chapter, every figure with its PNG, SVG
and data, and a manifest whose hashes match the files.

Usage: site_check.py CHAPTERS_DIR SITE_DIR   (exits non-zero listing every problem)
"""

import hashlib
import json
import os
import re
import sys

FIGURE = re.compile(r"^```\{figure\}\s+([a-z][a-z0-9-]*)\s*$", re.M)


def main():
    chapters, site = sys.argv[1], sys.argv[2]
    problems = []
    names = sorted(n for n in os.listdir(chapters) if n.endswith(".md"))
    if not names:
        problems.append(f"no chapters in {chapters}")
    if not os.path.isfile(os.path.join(site, "index.html")):
        problems.append("index.html is missing")
    figures = 0
    pages = {}
    for name in names:
        page = os.path.join(site, name[:-3] + ".html")
        if not os.path.isfile(page):
            problems.append(f"page for {name} is missing ({page})")
            continue
        pages[name] = open(page, encoding="utf-8").read()
        for label in FIGURE.findall(open(os.path.join(chapters, name), encoding="utf-8").read()):
            figures += 1
            for ext in ("png", "svg"):
                path = os.path.join(site, "figures", f"{label}.{ext}")
                if not os.path.isfile(path) or os.path.getsize(path) == 0:
                    problems.append(f"{name}: figure {label}: {ext} is missing or empty")
            block = re.search(r'<figure[^>]*id="' + re.escape(label) + r'".*?</figure>',
                              pages[name], re.S)
            if block is None:
                problems.append(f"{name}: figure {label} is not on its page")
            elif not re.search(r'href="[^"]*data/[^"]+"', block.group(0)):
                problems.append(f"{name}: figure {label} links no data file")
    manifest_path = os.path.join(site, "manifest.json")
    if not os.path.isfile(manifest_path):
        problems.append("manifest.json is missing")
    else:
        manifest = json.load(open(manifest_path))
        files = manifest.get("files", {})
        for rel, digest in sorted(files.items()):
            path = os.path.join(site, rel)
            if not os.path.isfile(path):
                problems.append(f"manifest lists a missing file: {rel}")
            elif hashlib.sha256(open(path, "rb").read()).hexdigest() != digest:
                problems.append(f"manifest hash differs for {rel}")
        on_disk = {os.path.relpath(os.path.join(r, n), site)
                   for r, _, ns in os.walk(site) for n in ns} - {"manifest.json"}
        for rel in sorted(on_disk - set(files)):
            problems.append(f"file not in the manifest: {rel}")
    for problem in problems:
        print("site check: " + problem)
    print(f"site check: {len(names)} chapters, {figures} figures, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
