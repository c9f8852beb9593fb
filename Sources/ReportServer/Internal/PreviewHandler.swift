import FlyingFox
import Foundation

/// Answers every request: the WebSocket at ``LiveScript/path``, otherwise a file of
/// the site (GET and HEAD only), with the live script added to HTML as it is served.
struct PreviewHandler: HTTPHandler {
  let root: URL
  let hub: LiveHub

  func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
    let target = request.target.path(percentEncoded: true)
    if target == LiveScript.path {
      return try await WebSocketHTTPHandler(handler: MessageFrameWSHandler(handler: LiveSocket(hub: hub)))
        .handleRequest(request)
    }
    guard request.method == .GET || request.method == .HEAD else {
      let headers: HTTPHeaders = [HTTPHeader("Allow"): "GET, HEAD"]
      return HTTPResponse(statusCode: .methodNotAllowed, headers: headers)
    }
    var resolution = SitePath.resolve(target: target, root: root)
    // While a build swaps the new site in, the folder is missing for a moment.
    var retries = 0
    while resolution == .notFound, retries < 10, !FileManager.default.fileExists(atPath: root.path) {
      try await Task.sleep(nanoseconds: 20_000_000)
      resolution = SitePath.resolve(target: target, root: root)
      retries += 1
    }
    switch resolution {
    case .redirect(let location):
      let headers: HTTPHeaders = [.location: location]
      return HTTPResponse(statusCode: .movedPermanently, headers: headers)
    case .notFound:
      return notFound(request)
    case .file(let url):
      guard var body = try? Data(contentsOf: url) else { return notFound(request) }
      let name = url.lastPathComponent
      if MimeType.isHTML(name) { body = LiveScript.inject(into: body, version: hub.current.version) }
      // `?v=HASH` names one version of a file (the live script adds it to images).
      let versioned = request.query.contains { $0.name == "v" }
      return response(
        .ok, type: MimeType.forFile(name), body: body, request: request,
        cache: versioned && !MimeType.isHTML(name) ? "max-age=3600" : "no-store")
    }
  }

  /// A small HTML page that still carries the live script, so a page opened before
  /// the first good build turns into the site as soon as there is one.
  private func notFound(_ request: HTTPRequest) -> HTTPResponse {
    let page = Data("""
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
      <body><h1>Not found</h1><p>No such page in the site.</p></body></html>

      """.utf8)
    return response(
      .notFound, type: "text/html; charset=utf-8",
      body: LiveScript.inject(into: page, version: hub.current.version), request: request)
  }

  private func response(
    _ status: HTTPStatusCode, type: String, body: Data, request: HTTPRequest, cache: String = "no-store"
  ) -> HTTPResponse {
    var headers: HTTPHeaders = [
      .contentType: type,
      .cacheControl: cache,
      HTTPHeader("X-Content-Type-Options"): "nosniff",
    ]
    if request.method == .HEAD {
      headers[.contentLength] = String(body.count)
      return HTTPResponse(statusCode: status, headers: headers, body: Data())
    }
    return HTTPResponse(statusCode: status, headers: headers, body: body)
  }
}
