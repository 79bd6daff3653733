import BoxofficeCore
import BoxofficeStore
import BoxofficeSync
import Foundation
import HummingbirdTesting
import Testing

@Suite struct ConflictRoutesTests {
    @Test func staffSeeAcknowledgeAndResolveConflicts() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            let eventID = try await client.createEvent(token: organizer)
            #expect(try await node.editConcurrently(eventID) == 1)

            let report = try await client.call(.get, "/conflicts.json", token: staff)
            #expect(report.status == .ok)
            let conflict = try #require(report.body["conflicts"]?.array?.first)
            #expect(conflict["kind"] == "concurrent-edit")
            #expect(conflict["eventId"]?.string == eventID)
            #expect(conflict["differingFields"] == ["location"])
            #expect(conflict["state"] == "open")
            #expect(report.body["counts"] == ["concurrent-edit": 1])
            let id = try #require(conflict["id"]?.string)

            let attendee = try await client.register("Ada", "ada@example.com").token
            #expect(try await client.call(.get, "/conflicts.json", token: attendee).status == .forbidden)
            #expect(try await client.call(.get, "/conflicts.json?state=nonsense", token: staff).status == .badRequest)

            let acknowledged = try await client.call(.post, "/conflicts/\(id)/acknowledge", token: staff)
            #expect(acknowledged.body["state"] == "acknowledged")
            #expect(acknowledged.body["handledBy"]?.string == node.staffID)
            let resolved = try await client.call(.post, "/conflicts/\(id)/resolve", token: organizer, json: ["note": "location confirmed by phone"])
            #expect(resolved.body["state"] == "resolved")
            #expect(resolved.body["note"] == "location confirmed by phone")
            #expect(try await client.call(.get, "/conflicts.json?state=open", token: staff).body["conflicts"]?.array?.isEmpty == true)
            #expect(try await client.call(.get, "/conflicts.json?eventId=\(eventID)", token: staff).body["conflicts"]?.array?.count == 1)
            #expect(try await client.call(.post, "/conflicts/c-nope/resolve", token: staff).status == .notFound)
        }
    }

    @Test func whenTheStoredVersionWinsTheRecordNamesItTheWinner() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let eventID = try await client.createEvent(token: organizer)
            let local = try #require(try await node.store.get("events", eventID))
            #expect(try await node.editConcurrently(eventID, peerWins: false) == 1)
            #expect(try await node.store.get("events", eventID)?.version == local.version, "the stored version stands")

            let report = try await client.call(.get, "/conflicts.json", token: organizer)
            let conflict = try #require(report.body["conflicts"]?.array?.first)
            #expect(conflict["winner"]?.string == local.version.description)
            #expect(conflict["loser"]?.string?.hasSuffix("@venue-b") == true)
            #expect(conflict["differingFields"] == ["location"])
        }
    }
}
