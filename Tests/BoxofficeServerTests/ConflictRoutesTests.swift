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
            let conflict = try #require((report.body["conflicts"] as? [[String: Any]])?.first)
            #expect(conflict["kind"] as? String == "concurrent-edit")
            #expect(conflict["eventId"] as? String == eventID)
            #expect(conflict["differingFields"] as? [String] == ["location"])
            #expect(conflict["state"] as? String == "open")
            #expect((report.body["counts"] as? [String: Int]) == ["concurrent-edit": 1])
            let id = try #require(conflict["id"] as? String)

            let attendee = try await client.register("Ada", "ada@example.com").token
            #expect(try await client.call(.get, "/conflicts.json", token: attendee).status == .forbidden)
            #expect(try await client.call(.get, "/conflicts.json?state=nonsense", token: staff).status == .badRequest)

            let acknowledged = try await client.call(.post, "/conflicts/\(id)/acknowledge", token: staff)
            #expect(acknowledged.body["state"] as? String == "acknowledged")
            #expect(acknowledged.body["handledBy"] as? String == node.staffID)
            let resolved = try await client.call(.post, "/conflicts/\(id)/resolve", token: organizer, json: ["note": "location confirmed by phone"])
            #expect(resolved.body["state"] as? String == "resolved")
            #expect(resolved.body["note"] as? String == "location confirmed by phone")
            #expect((try await client.call(.get, "/conflicts.json?state=open", token: staff).body["conflicts"] as? [Any])?.isEmpty == true)
            #expect((try await client.call(.get, "/conflicts.json?eventId=\(eventID)", token: staff).body["conflicts"] as? [Any])?.count == 1)
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
            let conflict = try #require((report.body["conflicts"] as? [[String: Any]])?.first)
            #expect(conflict["winner"] as? String == local.version.description)
            #expect((conflict["loser"] as? String)?.hasSuffix("@venue-b") == true)
            #expect(conflict["differingFields"] as? [String] == ["location"])
        }
    }
}
