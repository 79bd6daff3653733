import Foundation
import HummingbirdTesting
import Testing

@Suite struct NotificationRoutesTests {
    @Test func staffSendUsersReadTheirOwn() async throws {
        try await TestNode.run { _, client in
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let ada = try await client.register("Ada", "ada@example.com")
            let bob = try await client.register("Bob", "bob@example.com")
            let sent = try await client.call(
                .post,
                "/notifications/send",
                token: staff,
                json: ["userId": .string(ada.id), "message": "Doors open at 19:00"]
            )
            #expect(sent.status == .created)
            let id = try #require(sent.body["id"]?.string)
            #expect(
                try await client.call(.post, "/notifications/send", token: bob.token, json: ["userId": .string(ada.id), "message": "hi"]).status
                    == .forbidden
            )
            #expect(
                try await client.call(.post, "/notifications/send", token: staff, json: ["userId": "u-nobody", "message": "hi"]).status == .notFound
            )
            let unknownEvent = try await client.call(
                .post,
                "/notifications/send",
                token: staff,
                json: ["userId": .string(ada.id), "message": "hi", "eventId": "e-nothing"]
            )
            #expect(unknownEvent.status == .notFound && unknownEvent.body["detail"]?.string?.contains("e-nothing") == true)
            #expect(
                try await client.call(.post, "/notifications/send", token: staff, json: ["userId": .string(ada.id), "message": ""]).body["field"]?
                    .string
                    == "message"
            )

            let inbox = try await client.call(.get, "/notifications/\(ada.id)", token: ada.token)
            #expect(inbox.body["unread"] == 1)
            #expect(inbox.body["notifications[0].message"] == "Doors open at 19:00")
            #expect(try await client.call(.get, "/notifications/\(ada.id)", token: bob.token).status == .forbidden)
            #expect(try await client.call(.get, "/notifications/\(ada.id)", token: staff).status == .ok)
            #expect(try await client.call(.post, "/notifications/\(id)/read", token: bob.token).status == .forbidden)
            #expect(try await client.call(.post, "/notifications/\(id)/read", token: ada.token).body["read"] == true)
            #expect(try await client.call(.get, "/notifications/\(ada.id)", token: ada.token).body["unread"] == 0)
        }
    }
}
