import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The original React web app against a node: its recorded requests under `/api` get the answers
/// it reads, and the unprefixed paths keep the clean contract.
@Suite struct WebAppCompatibilityTests {
    struct Step: Decodable {
        var name: String
        var method: String
        var path: String
        var headers: [String: String]
        var body: JSONValue?
        var status: Int
        var reads: [String]
        var capture: [String: String]?
        var msgContains: String?
    }

    /// Any JSON, so a fixture's body goes out as it was recorded.
    enum JSONValue: Decodable {
        case value(Any)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let object = try? container.decode([String: JSONValue].self) {
                self = .value(object.mapValues(\.any))
            } else if let number = try? container.decode(Int.self) {
                self = .value(number)
            } else {
                self = .value(try container.decode(String.self))
            }
        }
        var any: Any { if case let .value(value) = self { value } else { NSNull() } }
    }

    static func steps() throws -> [Step] {
        let url = try #require(Bundle.module.url(forResource: "webapp-requests", withExtension: "json", subdirectory: "Fixtures"))
        struct File: Decodable { var steps: [Step] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).steps
    }

    /// The value at a dotted path like `events[0]._id`.
    static func value(at path: String, in json: Any) -> Any? {
        path.split(separator: ".").reduce(Optional(json)) { current, part in
            var key = Substring(part)
            var index: Int?
            if let open = part.firstIndex(of: "[") {
                key = part[..<open]
                index = Int(part[part.index(after: open)...].dropLast())
            }
            var next = (current as? [String: Any])?[String(key)]
            if let index { next = (next as? [Any]).flatMap { $0.indices.contains(index) ? $0[index] : nil } }
            return next
        }
    }

    @Test func theWebAppsRecordedRequestsGetWhatItReads() async throws {
        try await TestNode.run { _, client in
            let steps = try Self.steps()
            var captured: [String: String] = [:]
            func fill(_ text: String) -> String {
                captured.reduce(text) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) }
            }
            func fillJSON(_ json: Any) -> Any {
                if let text = json as? String { return fill(text) }
                if let object = json as? [String: Any] { return object.mapValues(fillJSON) }
                return json
            }
            for step in steps {
                var headers = HTTPFields()
                for (name, value) in step.headers { headers[HTTPField.Name(name)!] = fill(value) }
                let body = try step.body.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: fillJSON($0.any))) }
                let (status, json) = try await client.execute(
                    uri: fill(step.path), method: HTTPRequest.Method(step.method)!, headers: headers, body: body
                ) { response in (response.status.code, try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) }
                #expect(status == step.status, "\(step.name): \(String(describing: json))")
                for field in step.reads {
                    #expect(Self.value(at: field, in: json ?? [:]) != nil, "\(step.name) reads \(field): \(String(describing: json))")
                }
                if let expected = step.msgContains {
                    #expect((Self.value(at: "msg", in: json ?? [:]) as? String)?.contains(expected) == true, "\(step.name)")
                }
                for (name, field) in step.capture ?? [:] { captured[name] = Self.value(at: field, in: json ?? [:]) as? String }
            }
            // It decodes the token in the browser and reads `userId`.
            let payload = try #require(captured["token"]?.split(separator: ".").dropFirst().first)
            var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            let claims = try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: base64))) as? [String: Any]
            #expect(claims?["userId"] as? String == captured["userId"])
        }
    }

    @Test func theUnprefixedPathsKeepTheCleanContract() async throws {
        try await TestNode.run { _, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let event = try await client.createEvent(token: organizer)
            let clean = try await client.execute(uri: "/events/\(event)", method: .get) { String(buffer: $0.body) }
            let viaAPI = try await client.execute(uri: "/api/events/\(event)", method: .get) { String(buffer: $0.body) }
            #expect(!clean.contains("\"_id\""))
            #expect(viaAPI.contains("\"_id\":\"\(event)\""))
            let listed = try await client.call(.get, "/events")
            #expect((listed.body["events"] as? [[String: Any]])?.first?["_id"] == nil)
            let missing = try await client.call(.get, "/events/e-missing")
            #expect(missing.status == .notFound)
            #expect(missing.body["msg"] == nil)
            #expect(missing.body["detail"] as? String == "no event with id \"e-missing\"")
            // Unprefixed, the old purchase path is just a path that only takes GET (GET /tickets/{eventId}).
            let unprefixed = try await client.call(.post, "/tickets/purchase", token: organizer, json: ["ticketId": "x"])
            #expect(unprefixed.status == .methodNotAllowed && unprefixed.body["field"] == nil)
            let purchase = try await client.call(.post, "/api/tickets/purchase", token: organizer, json: ["ticketId": "x"])
            #expect(purchase.body["type"] as? String == "/problems/invalid-field" && purchase.body["field"] as? String == "ticketId", "a domain error")
            let bare = try await client.call(.get, "/users/profile", headers: [.authorization: organizer])
            #expect(bare.status == .ok, "a bare token is accepted everywhere")
        }
    }
}
