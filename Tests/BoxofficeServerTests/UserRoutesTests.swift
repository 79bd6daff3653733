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
            let user = try #require(registered.body["user"] as? [String: Any])
            #expect(user["email"] as? String == "ada@example.com")
            #expect(user["role"] as? String == "attendee")
            #expect(user["passwordHash"] == nil)
            #expect((registered.body["token"] as? String)?.split(separator: ".").count == 3)

            let token = try await client.login("ADA@example.com", "analytical")
            #expect(!token.isEmpty)
            let profile = try await client.call(.get, "/users/profile", token: token)
            #expect(profile.status == .ok)
            #expect((profile.body["user"] as? [String: Any])?["name"] as? String == "Ada Lovelace")
            #expect((profile.body["tickets"] as? [Any])?.isEmpty == true)
            #expect(profile.body["unreadNotifications"] as? Int == 0)
        }
    }

    @Test func duplicateEmailIsAConflictWhateverItsCase() async throws {
        try await TestNode.run { _, client in
            _ = try await client.register("Ada", "ada@example.com")
            let again = try await client.call(.post, "/users/register", json: ["name": "Other", "email": "ADA@example.com", "password": "whatever1"])
            #expect(again.status == .conflict)
            #expect(again.body["field"] as? String == "email")
        }
    }

    @Test func wrongEmailAndWrongPasswordGetTheSameAnswer() async throws {
        try await TestNode.run { _, client in
            _ = try await client.register("Ada", "ada@example.com", password: "right-password")
            let wrongPassword = try await client.call(.post, "/users/login", json: ["email": "ada@example.com", "password": "wrong-password"])
            let unknownEmail = try await client.call(.post, "/users/login", json: ["email": "nobody@example.com", "password": "wrong-password"])
            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownEmail.status == .unauthorized)
            #expect(wrongPassword.body["detail"] as? String == unknownEmail.body["detail"] as? String)
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
        ] as [([String: any Sendable], String)]
    )
    func registrationValidationNamesTheField(_ body: [String: any Sendable], _ field: String) async throws {
        try await TestNode.run { _, client in
            let response = try await client.call(.post, "/users/register", json: body)
            #expect(response.status == .badRequest)
            #expect(response.body["field"] as? String == field)
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
