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

    @Test func theReportTellsEachOutcomeInWordsInPages() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let staff = try await client.login("sam@venue.test", "staff-pw-1")
            var events: [String] = []
            for name in ["Jazz Night", "Opera Gala", "Folk Evening"] {
                let eventID = try await client.createEvent(token: organizer, name: name)
                #expect(try await node.editConcurrently(eventID) == 1)
                events.append(eventID)
            }

            let first = try await client.call(.get, "/conflicts.json?limit=2", token: staff)
            #expect(first.status == .ok)
            #expect(first.body["total"] == 3 && first.body["conflicts"]?.array?.count == 2)
            let cursor = try #require(first.body["nextCursor"]?.string)
            let second = try await client.call(.get, "/conflicts.json?limit=2&cursor=\(cursor)", token: staff)
            #expect(second.body["conflicts"]?.array?.count == 1 && second.body["nextCursor"] == nil)
            let pages = (first.body["conflicts"]?.array ?? []) + (second.body["conflicts"]?.array ?? [])
            #expect(Set(pages.compactMap { $0["eventId"]?.string }) == Set(events), "each conflict once, across the pages")

            let opera = try await client.call(.get, "/conflicts.json?event=opera", token: staff)
            let conflict = try #require(opera.body["conflicts"]?.array?.first)
            #expect(opera.body["total"] == 1 && conflict["eventName"] == "Opera Gala")
            let sentence = try #require(conflict["sentence"]?.string)
            #expect(sentence.hasPrefix("Event Opera Gala was changed at venue-b and at \(node.store.nodeID) while apart"), "\(sentence)")
            #expect(sentence.hasSuffix("venue-b's change (location) stands."), "\(sentence)")
            #expect(conflict["action"] == "resolve")
            #expect(conflict["loserDocument.body.location"] == "Main Hall", "the losing version is an object")
            #expect(conflict["loserDocument.collection"] == "events")

            #expect(try await client.call(.get, "/conflicts.json?cursor=c-nope", token: staff).status == .badRequest)
            #expect(try await client.call(.get, "/conflicts.json?limit=0", token: staff).status == .badRequest)
            let id = try #require(conflict["id"]?.string)
            let acknowledged = try await client.call(.post, "/conflicts/\(id)/acknowledge", token: staff)
            #expect(acknowledged.body["sentence"]?.string == sentence && acknowledged.body["loserDocument.body.location"] == "Main Hall")
        }
    }

    @Test func aBuyerToldOfAnEditThatLostSeesItCorrected() async throws {
        try await TestNode.run { node, client in
            let organizer = try await client.login("olga@venue.test", "organizer-pw")
            let ada = try await client.register("Ada", "ada@example.com")
            let event = try await client.createEvent(token: organizer, name: "Jazz Night")
            #expect(try await client.call(.post, "/tickets", token: ada.token, json: ["eventId": .string(event), "quantity": 1]).status == .created)
            #expect(try await client.call(.patch, "/events/\(event)", token: organizer, json: ["location": "Hall A"]).status == .ok)
            let told = try await client.call(.get, "/notifications/\(ada.id)", token: ada.token).body["notifications"]?.array ?? []
            let moved = try #require(told.first { $0["kind"] == "eventChanged" })
            #expect(moved["message"]?.string?.contains("Hall A") == true && moved["corrected"] == nil)

            // Another venue moved it elsewhere meanwhile, later: its edit wins the merge.
            let local = try #require(try await node.store.get("events", event))
            var edited = try local.body.decode(Event.self)
            edited.location = "Somewhere else"
            edited.updatedAt = edited.updatedAt.addingTimeInterval(2)
            let remote = Document(
                collection: "events",
                id: event,
                version: Version(hlc: HLC(wallMillis: HybridLogicalClock.systemMillis() + 1_000, counter: 0), node: "venue-b"),
                history: [],
                deleted: false,
                body: try JSONBody(encoding: edited)
            )
            #expect(try await LocalNode(store: node.store).apply([remote], checkpoint: nil).conflicts == 1)
            let inbox = try await client.call(.get, "/notifications/\(ada.id)", token: ada.token).body["notifications"]?.array ?? []
            let corrected = try #require(inbox.first { $0["id"] == moved["id"] })
            #expect(corrected["corrected"] == true)
            let message = try #require(corrected["message"]?.string)
            #expect(message.hasPrefix("Jazz Night is at Somewhere else"), "\(message)")
            #expect(message.contains("did not stand"), "\(message)")
            #expect(inbox.count == told.count, "corrected in place, nothing added")
        }
    }
}
