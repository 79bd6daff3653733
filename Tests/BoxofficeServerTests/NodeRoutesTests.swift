import BoxofficeSync
import BoxofficeVenue
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BoxofficeServer

@Suite struct NodeRoutesTests {
    @Test func healthNodeAndMetrics() async throws {
        try await TestNode.run { _, client in
            #expect(try await client.call(.get, "/health").body["status"] == "ok")
            // HEAD answers like GET without the body, as uptime checks and curl -I expect.
            for path in ["/health", "/events"] {
                let length = try await client.execute(uri: path, method: .get) { $0.body.readableBytes }
                let probe = try await client.execute(uri: path, method: .head) { ($0.status, $0.body.readableBytes, $0.headers[.contentLength]) }
                #expect(probe.0 == .ok && probe.1 == 0 && probe.2 == String(length), "\(path): the GET answer's length, no body")
            }
            #expect(try await client.execute(uri: "/", method: .head) { $0.status } == .ok)
            #expect(try await client.execute(uri: "/no/such/page", method: .head) { $0.status } == .notFound)
            let info = try await client.call(.get, "/node")
            #expect(info.body["nodeId"] == "venue-a")
            #expect(info.body["documents"] == 4)  // the two staff accounts, this node's roster record and its peer's
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            _ = try await client.call(.post, "/tickets", token: organizer, json: ["eventId": .string(event), "quantity": 2])
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains("boxoffice_tickets_sold_total"))
            #expect(metrics.contains("boxoffice_journal_syncs_total"))
            #expect(metrics.contains(#"hb_requests{http_route="/tickets",http_request_method="POST",http_response_status_code="201"}"#))
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryRoute() async throws {
        try await TestNode.run { node, client in
            let yaml = try await client.execute(uri: "/openapi.yaml", method: .get) { String(buffer: $0.body) }
            #expect(yaml.hasPrefix("openapi: 3.1"))
            let router = try await buildRouter(
                store: node.store,
                configuration: ServerConfiguration(secret: "x", nodeKey: NodeKey(nodeID: "venue-a", privateKey: .init()))
            )
            // The web pages (`/` and `/web/…`) are HTML for people, not the API: the README describes them.
            let api = router.routes.filter { $0.path.description != "/" && !$0.path.description.hasPrefix("/web/") }
            let served = Set(
                api.map { route -> String in
                    // OpenAPI writes {id} for :id. "/api/events/{id}" and "/events/{id}" are one
                    // operation, unless the web app's shape has an "/api/…" entry of its own.
                    let components = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                    let path = "/" + components.joined(separator: "/")
                    let method = route.method.rawValue.lowercased()
                    let own = path.hasPrefix("/api/") && yaml.contains("\n  \(path):\n")
                    return (own ? path : path.replacingOccurrences(of: "/api/", with: "/")) + " " + method
                }
            )
            var missing: [String] = []
            for route in served.sorted() {
                let parts = route.split(separator: " ")
                guard let pathRange = yaml.range(of: "\n  \(parts[0]):\n") else {
                    missing.append(route)
                    continue
                }
                let rest = yaml[pathRange.upperBound...]
                let block = rest.prefix(while: { _ in true }).split(separator: "\n  /", maxSplits: 1).first ?? rest
                if !block.contains("    \(parts[1]):") { missing.append(route) }
            }
            #expect(missing.isEmpty, "routes missing from openapi.yaml: \(missing)")
            #expect(served.count >= 18)
        }
    }
}
