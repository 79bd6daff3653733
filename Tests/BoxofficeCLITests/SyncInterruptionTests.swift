import BoxofficeTestSupport
import Foundation
import Testing

/// Syncs that stop midway, killed or cut off from their peer: what was applied stays, in whole
/// batches, and the next run finishes the job without applying anything twice.
@Suite struct SyncInterruptionTests {
    @Test func aSyncKilledMidwayResumesWithoutLossOrDuplicates() async throws {
        let temporary = TemporaryDirectory("resume")
        defer { temporary.remove() }
        let a = try await SyncTests.Node(temporary, "a")
        let b = try await SyncTests.Node(temporary, "b")
        defer { for node in [a, b] { node.running.stop() } }
        try await createEvents(on: a)
        var random = SeededRandom()
        let push = try ChildProcess("boxoffice", ["sync", b.url, "--data", a.data, "--secret", SyncTests.secret, "--push-only"])
        try await Task.sleep(for: .milliseconds(Int.random(in: 50...400, using: &random)))  // the random moment of the crash
        push.kill(SIGKILL)
        push.waitForExit()
        let resumed = try ChildProcess("boxoffice", ["sync", b.url, "--data", a.data, "--secret", SyncTests.secret])
        #expect(resumed.waitForExit() == 0, "\(resumed.standardError)")
        let docsA = try await a.documents()
        let docsB = try await b.documents()
        #expect(docsA.filter { $0.key.hasPrefix("events/") } == docsB.filter { $0.key.hasPrefix("events/") })
        #expect(docsB.keys.filter { $0.hasPrefix("events/") }.count == 3_200)
        #expect(docsB.keys.filter { $0.hasPrefix("conflicts/") }.isEmpty)
        // Nothing was applied twice: b's feed holds each version once, and its position count adds up.
        let info = try await b.client.call(.get, "/sync/info", signedBy: b.key)
        let lastSeq = info.body["lastSeq"]?.int ?? 0
        #expect(lastSeq < docsB.count + 20, "b applied \(lastSeq) versions for \(docsB.count) documents")
    }

    @Test func aPullCutOffMidwayKeepsTheWholePagesItGotInFeedOrder() async throws {
        let temporary = TemporaryDirectory("cut")
        defer { temporary.remove() }
        let a = try await SyncTests.Node(temporary, "a")
        defer { a.running.stop() }
        try await createEvents(on: a)
        let pages = try await SyncTests.feedPages(of: a.client, key: a.key)
        let feed = try pages.flatMap { try ($0.parsed["versions"]?.array ?? []).map(SyncTests.documentKey) }  // a's documents in feed order
        let pageBytes = pages.map(\.raw.utf8.count)
        try #require(pageBytes.count >= 4)

        // The link to a breaks halfway through the third page, which arrives while the second
        // is applied.
        let wire = try TCPProxy()
        defer { wire.close() }
        wire.forward(to: a.running.port)
        wire.cut(afterBytes: pageBytes[0] + pageBytes[1] + pageBytes[2] / 2)
        let d = temporary.file("d")
        func pull() throws -> (status: Int32, errors: String) {
            let sync = try ChildProcess("boxoffice", ["sync", wire.url, "--data", d, "--secret", SyncTests.secret, "--pull-only"])
            return (sync.waitForExit(), sync.standardError)
        }
        /// The documents of a that d holds, by their files.
        func held() throws -> Set<String> {
            var keys: Set<String> = []
            for collection in try FileManager.default.contentsOfDirectory(atPath: d + "/docs") {
                for file in try FileManager.default.contentsOfDirectory(atPath: d + "/docs/" + collection) where file.hasSuffix(".json") {
                    keys.insert(collection + "/" + file.dropLast(5))
                }
            }
            return keys.intersection(feed)
        }

        let cutOff = try pull()
        #expect(cutOff.status != 0, "the sync reports the broken link")
        // Whole pages, each after the one before it: the first two pages of a's feed.
        let kept = try held()
        #expect(kept.count == 2_000, "\(kept.count) of \(feed.count)")
        #expect(kept == Set(feed.prefix(kept.count)))

        wire.restore()
        let resumed = try pull()
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(try held() == Set(feed))
    }

    /// 3,200 events on `node`, made eight at a time: three 1,000-version batches and a bit.
    private func createEvents(on node: SyncTests.Node) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask { for n in 0..<400 { _ = try await node.createEvent("Event \(worker)-\(n)") } }
            }
            try await group.waitForAll()
        }
    }
}
