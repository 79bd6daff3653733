import Foundation
import Hummingbird
import Mustache

/// The web pages' templates (mustache files in the module's `templates` resource folder), their
/// one stylesheet and their one script, loaded once at start-up.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let stylesheet: ByteBuffer
    let script: ByteBuffer

    static func load() async throws -> PageRenderer {
        guard let directory = Bundle.module.url(forResource: "templates", withExtension: nil),
            let css = try? Data(contentsOf: directory.appendingPathComponent("style.css")),
            let js = try? Data(contentsOf: directory.appendingPathComponent("app.js"))
        else { throw PageError.missingTemplates }
        return PageRenderer(
            library: try await MustacheLibrary(directory: directory.path),
            stylesheet: ByteBuffer(bytes: css),
            script: ByteBuffer(bytes: js)
        )
    }

    /// `template` rendered with `model`; nil when it cannot be (a template error).
    func render(_ template: String, _ model: Any) -> String? {
        library.render(model, withTemplate: template)
    }

    /// An HTML answer; without a page (a template error), a plain 500 page: a template error
    /// never reaches the browser.
    static func response(_ page: String?, status: HTTPResponse.Status) -> Response {
        Response(
            status: page == nil ? .internalServerError : status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: page ?? fallback))
        )
    }

    private static let fallback = "<!doctype html><title>Something went wrong</title><h1>Something went wrong</h1><p><a href=\"/\">Home</a></p>"

    enum PageError: Error { case missingTemplates }
}
