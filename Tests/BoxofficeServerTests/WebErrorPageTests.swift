import BoxofficeCore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Mustache
import NIOEmbedded
import Testing

@testable import BoxofficeServer

/// Browsers get error pages everywhere outside the API; API clients get the problem+json they
/// always got.
@Suite struct WebErrorPageTests {
    static let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"

    @Test func aBrowserGetsAnErrorPageOutsideTheAPIAndAPIClientsTheirJSON() async throws {
        try await TestNode.run { _, client in
            func get(_ path: String, accept: String?) async throws -> (status: HTTPResponse.Status, type: String?, body: String) {
                let headers: HTTPFields = accept.map { [.accept: $0] } ?? [:]
                return try await client.execute(uri: path, method: .get, headers: headers) {
                    ($0.status, $0.headers[.contentType], String(buffer: $0.body))
                }
            }
            for path in ["/nowhere", "/events/e-missing", "/users/profile"] {
                let page = try await get(path, accept: Self.browser)
                #expect(page.type == "text/html; charset=utf-8", "\(path)")
                #expect(page.body.hasPrefix("<!doctype html>") || page.body.hasPrefix("<!DOCTYPE html>"), "\(path)")
            }
            let missing = try await get("/nowhere", accept: Self.browser)
            #expect(missing.status == .notFound && missing.body.contains("<h1>Not found</h1>"))
            for accept in [nil, "application/json", "*/*", "application/json, text/html;q=0.5"] {
                let json = try await get("/nowhere", accept: accept)
                #expect(json.status == .notFound && json.type == "application/problem+json", "\(accept ?? "no Accept")")
                #expect(json.body.contains(#""detail":"no such route: \/nowhere""#) || json.body.contains(#""detail":"no such route: /nowhere""#))
            }
            #expect(try await get("/api/nowhere", accept: Self.browser).type == "application/problem+json")
            #expect(try await get("/sync/changes", accept: Self.browser).type == "application/problem+json")
            #expect(try await get("/events/e-missing", accept: "application/json").type == "application/problem+json")
        }
    }

    @Test func anErrorInTheSessionMiddlewareIsAPageForABrowser() async throws {
        try await TestNode.run { node, client in
            // A user document that cannot be read: looking up the session's person fails.
            _ = try await node.store.put(User.collection, "u-broken", body: JSONBody(unchecked: Array(#"{"name":5}"#.utf8)))
            let tokens = await AccessTokens(key: TestNode.key, roster: NodeRoster(store: node.store, now: { Date() }), lifetime: 3_600)
            let token = try await tokens.issue(userId: "u-broken", role: .attendee, now: Date())
            let cookie = "boxoffice_session=\(token)"
            let page = try await client.execute(uri: "/web/profile", method: .get, headers: [.accept: Self.browser, .cookie: cookie]) { $0 }
            #expect(page.headers[.contentType] == "text/html; charset=utf-8" && page.status.code >= 400)
            let api = try await client.execute(uri: "/web/profile", method: .get, headers: [.cookie: cookie]) { $0 }
            #expect(api.headers[.contentType] == "application/problem+json", "an API client's answer is as before")
        }
    }

    @Test func anErrorPageThatCannotRenderIsAStaticPage() async throws {
        try await TestNode.run { node, _ in
            let shell = WebShell(
                renderer: PageRenderer(library: MustacheLibrary(), stylesheet: ByteBuffer(), script: ByteBuffer()),
                session: WebSession(secret: TestNode.secret, secureCookies: false),
                notifications: NotificationService(store: node.store, now: { Date() }),
                conflicts: ConflictService(store: node.store, now: { Date() }),
                peerStatus: SyncStatusBoard(),
                nodeID: node.store.nodeID
            )
            let context = BoxofficeRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
            let request = Request(
                head: .init(method: .get, scheme: "http", authority: "node", path: "/nowhere", headerFields: [.accept: Self.browser]),
                body: .init(buffer: ByteBuffer())
            )
            let response = try await ErrorMiddleware(shell: shell, scope: .router(RouteTable())).handle(request, context: context) { _, _ in
                throw DomainError.notFound(kind: "page", id: "/nowhere")
            }
            #expect(response.headers[.contentType] == "text/html; charset=utf-8" && response.status == .internalServerError)
        }
    }
}
