import Foundation

/// The script `report serve` adds to every HTML page as it is served (never to the
/// files in the site folder).
///
/// It connects to ``path`` and receives ``LiveState`` messages. A newer version makes
/// it fetch the page again and swap in the new body, keeping the scroll position
/// (no reload, no flash). Images get `?v=` and the start of their hash in
/// `manifest.json`, so a changed figure is fetched anew and an unchanged one comes
/// from the browser's cache.
/// Errors show as an overlay above the last good page; the status shows as a small
/// line at the bottom. When the server goes away it retries every half second;
/// `<html data-report-live>` says whether the page is connected.
enum LiveScript {
  /// Where pages connect.
  static let path = "/__report/live"

  /// The `id` of the injected script element (removed from pages fetched for a swap).
  static let elementID = "report-live"

  /// `html` with the script inserted before its last `</body>` (or at the end).
  static func inject(into html: Data, version: Int) -> Data {
    let tag = Data(scriptTag(version: version).utf8)
    let closing = Array("</body>".utf8)
    let bytes = [UInt8](html)
    var position = bytes.count
    if bytes.count >= closing.count {
      var index = bytes.count - closing.count
      while index >= 0 {
        if zip(bytes[index..<(index + closing.count)], closing).allSatisfy({ lowercased($0) == $1 }) {
          position = index
          break
        }
        index -= 1
      }
    }
    var out = Data(bytes[..<position])
    out.append(tag)
    out.append(contentsOf: bytes[position...])
    return out
  }

  private static func lowercased(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte
  }

  static func scriptTag(version: Int) -> String {
    "<script id=\"\(elementID)\" data-version=\"\(version)\">\n\(source)</script>\n"
  }

  static let source = """
    (() => {
      "use strict";
      let version = Number(document.currentScript.dataset.version);
      let wanted = version, fetching = false;
      const root = document.documentElement;
      function box(id, css) {
        let el = document.getElementById(id);
        if (!el) { el = document.createElement("div"); el.id = id; el.style.cssText = css; root.appendChild(el); }
        return el;
      }
      const overlayCSS = "position:fixed;left:0;right:0;top:0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "background:#1d1f21;color:#f5f5f5;font:14px/1.45 ui-monospace,monospace;padding:14px 18px;" +
        "box-shadow:0 4px 16px rgba(0,0,0,.4);white-space:pre-wrap;display:none";
      const statusCSS = "position:fixed;right:12px;bottom:12px;z-index:2147483646;background:#1d1f21;color:#fff;" +
        "font:13px/1.3 system-ui,sans-serif;padding:6px 10px;border-radius:6px;opacity:.9;display:none";
      function show(state) {
        const overlay = box("report-live-errors", overlayCSS);
        if (state.errors && state.errors.length) {
          overlay.textContent = "";
          const title = document.createElement("div");
          title.style.cssText = "color:#ff8a80;font-weight:bold;margin-bottom:8px";
          title.textContent = "The build failed; this is the last good page. Fix the chapter and save.";
          const lines = document.createElement("div");
          lines.className = "report-live-diagnostics";
          lines.textContent = state.errors.join("\\n");
          overlay.append(title, lines);
          overlay.style.display = "block";
        } else {
          overlay.style.display = "none";
          overlay.textContent = "";
        }
        const status = box("report-live-status", statusCSS);
        status.textContent = state.status || "";
        status.style.display = state.status ? "block" : "none";
        if (state.version !== version) { wanted = state.version; refresh(); }
      }
      async function refresh() {
        if (fetching) return;
        fetching = true;
        try {
          while (wanted !== version) {
            const target = wanted;
            const response = await fetch(location.pathname + location.search, { cache: "no-store" });
            const doc = new DOMParser().parseFromString(await response.text(), "text/html");
            const script = doc.getElementById("report-live");
            if (script) script.remove();
            let hashes = {};
            try { hashes = (await (await fetch("/manifest.json", { cache: "no-store" })).json()).files || {}; } catch (e) {}
            for (const img of doc.images) {
              const src = img.getAttribute("src");
              if (!src || src.startsWith("data:")) continue;
              const url = new URL(src, location.href);
              const hash = hashes[decodeURIComponent(url.pathname.slice(1))];
              url.searchParams.set("v", hash ? hash.slice(0, 16) : "build-" + target);
              img.setAttribute("src", url.href);
            }
            const x = window.scrollX, y = window.scrollY;
            document.title = doc.title;
            document.body.replaceWith(document.adoptNode(doc.body));
            window.scrollTo(x, y);
            version = target;
            window.dispatchEvent(new CustomEvent("report:updated", { detail: { version } }));
          }
        } catch (error) {
          console.warn("report serve: could not update the page", error);
        } finally {
          fetching = false;
        }
      }
      function connect() {
        const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__report/live");
        socket.onopen = () => { root.dataset.reportLive = "connected"; };
        socket.onmessage = (event) => show(JSON.parse(event.data));
        socket.onclose = () => { root.dataset.reportLive = "disconnected"; setTimeout(connect, 500); };
      }
      connect();
    })();

    """
}
