import BoxofficeTestSupport
import Foundation
import HummingbirdTesting
import Testing

@Suite struct UserRoutesTests {
    @Test func registerLoginAndProfile() async throws {
        try await TestNode.run { _, client in
            let registered = try await client.call(
                .post,
                "/users/register",
                json: ["name": "Ada Lovelace", "email": " Ada@Example.com ", "password": "analytical"]
            )
            #expect(registered.status == .created)
            let user = try #require(registered.body["user"]?.object)
            #expect(user["email"] == "ada@example.com")
            #expect(user["role"] == "attendee")
            #expect(user["passwordHash"] == nil)
            #expect(registered.body["token"]?.string?.split(separator: ".").count == 3)

            let token = try await client.login("ADA@example.com", "analytical")
            #expect(!token.isEmpty)
            let profile = try await client.call(.get, "/users/profile", token: token)
            #expect(profile.status == .ok)
            #expect(profile.body["user.name"] == "Ada Lovelace")
            #expect(profile.body["tickets"]?.array?.isEmpty == true)
            #expect(profile.body["unreadNotifications"] == 0)
        }
    }

    @Test func duplicateEmailIsAConflictWhateverItsCase() async throws {
        try await TestNode.run { _, client in
            _ = try await client.register("Ada", "ada@example.com")
            let again = try await client.call(.post, "/users/register", json: ["name": "Other", "email": "ADA@example.com", "password": "whatever1"])
            #expect(again.status == .conflict)
            #expect(again.body["field"] == "email")
        }
    }

    @Test func wrongEmailAndWrongPasswordGetTheSameAnswer() async throws {
        try await TestNode.run { _, client in
            _ = try await client.register("Ada", "ada@example.com", password: "right-password")
            let wrongPassword = try await client.call(.post, "/users/login", json: ["email": "ada@example.com", "password": "wrong-password"])
            let unknownEmail = try await client.call(.post, "/users/login", json: ["email": "nobody@example.com", "password": "wrong-password"])
            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownEmail.status == .unauthorized)
            #expect(wrongPassword.body["detail"]?.string == unknownEmail.body["detail"]?.string)
        }
    }

    @Test(
        arguments: [
            (["email": "a@b.io", "password": "longenough"], "name"),
            (["name": "A", "password": "longenough"], "email"),
            (["name": "A", "email": "not-an-email", "password": "longenough"], "email"),
            (["name": "A", "email": "a@b.io", "password": "short"], "password"),
            (["name": "  ", "email": "a@b.io", "password": "longenough"], "name"),
            (["name": 42, "email": "a@b.io", "password": "longenough"], "name"),
        ] as [(JSONValue, String)]
    )
    func registrationValidationNamesTheField(_ body: JSONValue, _ field: String) async throws {
        try await TestNode.run { _, client in
            let response = try await client.call(.post, "/users/register", json: body)
            #expect(response.status == .badRequest)
            #expect(response.body["field"]?.string == field)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func profileNeedsAValidToken() async throws {
        try await TestNode.run { _, client in
            let anonymous = try await client.call(.get, "/users/profile")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            let forged = try await client.call(.get, "/users/profile", token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad")
            #expect(forged.status == .unauthorized)
            let token = try await client.register("Ada", "ada@example.com").token
            for scheme in ["Bearer", "bearer", "BEARER"] {
                let profile = try await client.call(.get, "/users/profile", headers: [.authorization: "\(scheme) \(token)"])
                #expect(profile.status == .ok, "the scheme is case-insensitive: \(scheme)")
            }
        }
    }
}
