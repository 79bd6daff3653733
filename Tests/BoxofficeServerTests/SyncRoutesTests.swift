import BoxofficeCore
import BoxofficeSync
import Foundation
import HummingbirdTesting
import Testing

/// The peer endpoints in process: authentication, bounds, all-or-nothing batches.
@Suite struct SyncRoutesTests {
    private let peer = TestNode.peer

    private func version(_ id: String, millisAhead: UInt64 = 0, node: String = "venue-b") -> String {
        let hlc = HLC(wallMillis: HybridLogicalClock.systemMillis() + millisAhead, counter: 0)
        return
            #"{"collection":"events","id":"\#(id)","version":{"hlc":"\#(hlc)","node":"\#(node)"},"history":[],"deleted":false,"body":\#(Self.eventBody(id))}"#
    }

    /// A whole event, as a peer sends it.
    private static func eventBody(_ name: String) -> String {
        #"{"name":"\#(name)","description":"","date":"2031-01-01T20:00:00Z","location":"Hall","capacity":10,"price":10,"currency":"EUR","salesPolicy":"escrow","status":"scheduled","organizerId":"u-peer","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}"#
    }

    @Test func peersSignTheirRequests() async throws {
        try await TestNode.run { _, client in
            #expect(try await client.call(.get, "/sync/info").status == .unauthorized)
            // An older node sends the cluster secret itself: refused, and told why.
            let bearer = try await client.call(.get, "/sync/info", token: TestNode.secret)
            #expect(bearer.status == .unauthorized && bearer.body["detail"]?.string?.contains("signed") == true, "\(bearer.body)")
            let info = try await client.call(.get, "/sync/info", signedBy: peer)
            #expect(info.status == .ok)
            #expect(info.body["nodeId"] == "venue-a")
            #expect(info.body["protocol"] == 2)
        }
    }

    @Test func theFeedIsPagedAndBounded() async throws {
        try await TestNode.run { _, client in
            let page = try await client.call(.get, "/sync/changes?since=0&limit=1", signedBy: peer)
            #expect(page.body["versions"]?.array?.count == 1)
            #expect(page.body["complete"] == false)
            #expect(page.body["next"] == 1)
            let beyond = try await client.call(.get, "/sync/changes?since=999999", signedBy: peer)
            #expect(beyond.status == .conflict && beyond.body["type"] == "/problems/since-beyond-feed", "\(beyond.body)")
            #expect(try await client.call(.get, "/sync/changes?since=-1", signedBy: peer).status == .badRequest)
            #expect(try await client.call(.get, "/sync/changes?limit=1001", signedBy: peer).status == .badRequest)
        }
    }

    @Test func aBodyThatDoesNotReadAsItsCollectionSpoilsTheBatch() async throws {
        try await TestNode.run { _, client in
            let hlc = HLC(wallMillis: HybridLogicalClock.systemMillis(), counter: 0)
            let garbage =
                #"{"collection":"events","id":"e-garbage","version":{"hlc":"\#(hlc)","node":"venue-b"},"history":[],"deleted":false,"body":{"name":5,"capacity":"lots"}}"#
            let batch = #"{"versions":[\#(version("e-fine")),\#(garbage)],"checkpoint":{"peer":"venue-b","seq":2}}"#
            let refused = try await client.call(.post, "/sync/versions", raw: batch, signedBy: peer)
            #expect(refused.status == .badRequest)
            #expect(refused.body["detail"]?.string?.contains("events/e-garbage") == true, "\(refused.body)")
            #expect(try await client.call(.get, "/events").status == .ok, "the listing still reads")
            #expect(try await client.call(.get, "/events/e-fine").status == .notFound, "nothing of the batch is applied")
            #expect(try await client.call(.get, "/sync/checkpoint?peer=venue-b", signedBy: peer).body["seq"] == 0)
        }
    }

    @Test func aVersionHeldAlreadyIsNotReadAgain() async throws {
        try await TestNode.run { node, client in
            // A version stored before its collection's type grew a required field: sent again (a
            // pull from the start), it is ignored, not read, and the batch applies.
            let hlc = HLC(wallMillis: HybridLogicalClock.systemMillis(), counter: 0)
            let legacy =
                #"{"collection":"tickets","id":"t-legacy","version":{"hlc":"\#(hlc)","node":"venue-b"},"history":[],"deleted":false,"body":{"eventId":"e-old","code":"OLD1"}}"#
            let document = try #require(try SyncWire.decodeVersions(Array(#"{"versions":[\#(legacy)]}"#.utf8)).versions.first)
            _ = try await node.store.transact { try await $0.merge(document) }
            let batch = #"{"versions":[\#(legacy),\#(version("e-fine"))],"checkpoint":{"peer":"venue-b","seq":2}}"#
            let applied = try await client.call(.post, "/sync/versions", raw: batch, signedBy: peer)
            #expect(applied.status == .ok && applied.body["applied"] == 1 && applied.body["ignored"] == 1, "\(applied.body)")
        }
    }

    @Test func aBatchAppliesWithItsCheckpointOrNotAtAll() async throws {
        try await TestNode.run { _, client in
            let good = #"{"versions":[\#(version("e-one")),\#(version("e-two"))],"checkpoint":{"peer":"venue-b","seq":2}}"#
            let applied = try await client.call(.post, "/sync/versions", raw: good, signedBy: peer)
            #expect(applied.status == .ok)
            #expect(applied.body["applied"] == 2)
            #expect(try await client.call(.get, "/sync/checkpoint?peer=venue-b", signedBy: peer).body["seq"] == 2)
            let again = try await client.call(.post, "/sync/versions", raw: good, signedBy: peer)
            #expect(again.body["ignored"] == 2)
            // A checkpoint moves back only when a run from the start (after a restore) says so.
            let back = #"{"versions":[],"checkpoint":{"peer":"venue-b","seq":1}}"#
            #expect(try await client.call(.post, "/sync/versions", raw: back, signedBy: peer).status == .ok)
            #expect(try await client.call(.get, "/sync/checkpoint?peer=venue-b", signedBy: peer).body["seq"] == 2)
            let restart = #"{"versions":[],"checkpoint":{"peer":"venue-b","seq":1,"restart":true}}"#
            #expect(try await client.call(.post, "/sync/versions", raw: restart, signedBy: peer).status == .ok)
            #expect(try await client.call(.get, "/sync/checkpoint?peer=venue-b", signedBy: peer).body["seq"] == 1)
            #expect(try await client.call(.post, "/sync/versions", raw: good, signedBy: peer).status == .ok)
            #expect(try await client.call(.post, "/sync/versions", raw: "{}", signedBy: peer).status == .badRequest, "versions is required")

            // One version from a clock an hour ahead spoils the batch: nothing of it is applied.
            let skewed =
                #"{"versions":[\#(version("e-three")),\#(version("e-four", millisAhead: 3_600_000))],"checkpoint":{"peer":"venue-b","seq":4}}"#
            let refused = try await client.call(.post, "/sync/versions", raw: skewed, signedBy: peer)
            #expect(refused.status == .unprocessableContent, "well formed, refused by this node's clock")
            #expect(refused.body["detail"]?.string?.contains("ahead") == true)
            #expect(try await client.call(.get, "/events/e-three").status == .notFound)
            #expect(try await client.call(.get, "/sync/checkpoint?peer=venue-b", signedBy: peer).body["seq"] == 2)

            let withoutDeleted = version("e-six").replacingOccurrences(of: #""deleted":false,"#, with: "")
            let seqAsFloat = #"{"versions":[],"checkpoint":{"peer":"venue-b","seq":2.0}}"#
            #expect(try await client.call(.post, "/sync/versions", raw: seqAsFloat, signedBy: peer).status == .ok, "2.0 is a whole number")
            for malformed in [
                "{", #"{"versions":[{"id":"x"}]}"#, #"{"versions":[\#(withoutDeleted)]}"#, #"{"versions":[],"checkpoint":{"peer":"venue-b"}}"#,
                #"{"versions":[],"checkpoint":{"peer":"venue-b","seq":2.5}}"#, #"{"versions":[\#(version("../etc"))]}"#,
                #"{"versions":[\#(version("e-five", node: "a/b"))]}"#,
            ] {
                let response = try await client.call(.post, "/sync/versions", raw: malformed, signedBy: peer)
                #expect(response.status == .badRequest, "\(malformed)")
            }
        }
    }
}
