import BoxofficeSync
import BoxofficeTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOSSL

/// JSON over real HTTP to a node on 127.0.0.1: one connection per request, so concurrent
/// callers are concurrent connections.
struct HTTPTestClient: Sendable {
    let port: Int
    /// For a node that serves HTTPS: how this client verifies it.
    var tls: TLSConfiguration? = nil

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        /// The answer decoded with its types; `.null` for a body that is not JSON.
        let body: JSONValue
    }

    /// The body of an answer as text (for endpoints whose exact bytes matter, and pages, which take
    /// the access token as their `session` cookie).
    func raw(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String? = nil,
        session: String? = nil,
        signedBy key: NodeKey? = nil
    ) async throws -> String {
        var fields: HTTPFields = [:]
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let session { fields[.cookie] = "boxoffice_session=\(session)" }
        if let key { Self.sign(&fields, method, path, body: [], key: key) }
        let headers = fields
        return try await withConnection { client in
            let response = try await client.execute(TestClient.Request(path, method: method, headers: headers))
            return String(buffer: response.body ?? ByteBuffer())
        }
    }

    /// Over TLS the client checks the name `localhost` (a node's certificate has it): SNI takes no IP address.
    private var configuration: TestClient.Configuration {
        // A minute to answer: debug nodes share two cores with dozens of processes in a full run.
        TestClient.Configuration(tlsConfiguration: tls, timeout: .seconds(60), serverName: tls == nil ? nil : "localhost")
    }

    /// Runs `operation` on a new connection. A connection the kernel refuses while it is being
    /// made (NIO's `NIOConnectionError`: nothing of the request was sent yet) is tried again, up to
    /// three times: the whole suite opens tens of thousands of loopback connections within a
    /// minute, and one of them was now and then reset at connect, in tests of any route.
    private func withConnection<Value: Sendable>(_ operation: @escaping @Sendable (TestClient) async throws -> Value) async throws -> Value {
        var attempt = 1
        while true {
            do {
                return try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: configuration, operation: operation)
            } catch  where attempt < 3 && String(describing: type(of: error)) == "NIOConnectionError" {
                attempt += 1
            }
        }
    }

    func call(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String? = nil,
        json: JSONValue? = nil,
        signedBy key: NodeKey? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var fields: HTTPFields = [.contentType: "application/json"]
        fields.append(contentsOf: extra)
        if let token { fields[.authorization] = "Bearer \(token)" }
        let body = try json.map { ByteBuffer(bytes: try JSONEncoder().encode($0)) }
        if let key { Self.sign(&fields, method, path, body: body.map { Array(buffer: $0) } ?? [], key: key) }
        let headers = fields
        return try await withConnection { client in
            let response = try await client.execute(TestClient.Request(path, method: method, headers: headers, body: body))
            let parsed = (try? JSONValue(parsing: Data(buffer: response.body ?? ByteBuffer()))) ?? .null
            return Reply(status: response.status, headers: response.headers, body: parsed)
        }
    }

    /// A peer's request: signed as sync-spec 7.3 says.
    private static func sign(_ fields: inout HTTPFields, _ method: HTTPRequest.Method, _ path: String, body: [UInt8], key: NodeKey) {
        for (name, value) in RequestSignature.headers(method: method.rawValue, target: path, body: body, key: key) {
            fields[HTTPField.Name(name)!] = value
        }
    }
}
