import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Form bodies are bad input like any other: never a 500. A form posted to the API is a 400 problem.
@Suite struct FormDecodingTests {
    @Test func aFormToTheAPIIsABadRequest() async throws {
        try await TestNode.run { _, client in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let repeated = try await client.call(.post, "/conflicts/c-x/acknowledge", token: staff, raw: "note=a&note=b", headers: form)
            #expect(repeated.status == .badRequest)
            #expect(repeated.body["field"] == "body")
        }
    }
}
