import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Form bodies are bad input like any other: never a 500. The report's sign-in shows its form
/// again; a malformed form to the API is a 400 problem.
@Suite struct FormDecodingTests {
    @Test func aFormWithoutItsFieldsIsABadRequest() async throws {
        try await TestNode.run { _, client in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            for body in ["", "email=a", "email=a&email=b&password=c"] {
                let signIn = try await client.execute(uri: "/conflicts/sign-in", method: .post, headers: form, body: .init(string: body)) { $0 }
                #expect(signIn.status == .badRequest, "\(body)")
                #expect(String(buffer: signIn.body).contains("Enter an email and a password."))
            }
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let repeated = try await client.call(.post, "/conflicts/c-x/acknowledge", raw: "token=\(staff)&token=x", headers: form)
            #expect(repeated.status == .badRequest)
            #expect(repeated.body["field"] as? String == "body")
        }
    }
}
