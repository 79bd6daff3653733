import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A browser over the in-process test client: keeps cookies, reads the CSRF token off the last
/// page, and submits forms as a browser does (url-encoded, following no redirects).
struct WebBrowser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// The last page's CSRF token, as its forms carry it.
    var csrf = ""

    struct Page {
        let status: HTTPResponse.Status
        let html: String
        let headers: HTTPFields
        var location: String? { headers[.location] }
    }

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    mutating func get(_ path: String) async throws -> Page {
        try await send(.get, path, body: nil)
    }

    /// Posts `fields`, with this browser's CSRF token unless `csrf` says otherwise.
    mutating func post(_ path: String, _ fields: [String: String] = [:], csrf token: String? = nil) async throws -> Page {
        var all = fields
        all["csrf"] = token ?? csrf
        let body = all.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(.post, path, body: body)
    }

    /// Registers and signs in an attendee through the pages.
    mutating func register(_ name: String, _ email: String, password: String = "attendee-pw") async throws -> Page {
        _ = try await get("/web/register")
        return try await post("/web/register", ["name": name, "email": email, "password": password])
    }

    mutating func login(_ email: String, _ password: String) async throws -> Page {
        _ = try await get("/web/login")
        return try await post("/web/login", ["email": email, "password": password, "next": "/"])
    }

    private mutating func send(_ method: HTTPRequest.Method, _ path: String, body: String?) async throws -> Page {
        var headers: HTTPFields = [.accept: "text/html"]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let page = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Page(status: response.status, html: String(buffer: response.body), headers: response.headers)
        }
        for field in page.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = pair.count > 1 ? String(pair[1]) : ""
            cookies[String(pair[0])] = value.isEmpty ? nil : value
        }
        if let range = page.html.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) {
            csrf = String(page.html[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }
        return page
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// The first match of `pattern`'s first group in `html`.
    static func first(_ pattern: String, in html: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)), match.numberOfRanges > 1,
            let range = Range(match.range(at: 1), in: html)
        else { return nil }
        return String(html[range])
    }
}
