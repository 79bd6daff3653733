import HummingbirdTesting
import Testing

/// Form bodies the server decodes itself (the conflict report's sign-in) are bad input like any
/// other: a 400 that names the field, never a 500.
@Suite struct FormDecodingTests {
    @Test func aFormWithoutItsFieldsIsABadRequest() async throws {
        try await TestNode.run { _, client in
            let empty = try await client.call(.post, "/conflicts/sign-in", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(empty.status == .badRequest)
            let partial = try await client.call(.post, "/conflicts/sign-in", raw: "email=a", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(partial.status == .badRequest)
            #expect(partial.body["field"] as? String == "password")
            let repeated = try await client.call(
                .post, "/conflicts/sign-in", raw: "email=a&email=b&password=c", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(repeated.status == .badRequest)
        }
    }
}
