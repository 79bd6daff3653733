import BoxofficeCore
import BoxofficeStore
import BoxofficeTestSupport
import Foundation
import Testing

@Suite struct RecoveryTests {
    /// Writes `count` documents, one journal frame each, closes the store and returns the directory.
    private func populated(_ temporary: TemporaryDirectory, count: Int, options: StoreOptions = StoreOptions()) async throws -> DataDirectory {
        let directory = DataDirectory(temporary.file("data"))
        let store = try DocumentStore.open(directory, nodeID: "node-a", options: options)
        for n in 0..<count { try await store.put("tickets", "t\(n)", body: body(n)) }
        await store.close()
        return directory
    }

    /// The offset of every frame in a segment, read from the length prefixes.
    @Test func reopeningRestoresEveryDocumentAndTheClock() async throws {
        let temporary = TemporaryDirectory("reopen")
        defer { temporary.remove() }
        let directory = try await populated(temporary, count: 20)
        let store = try DocumentStore.open(directory)
        #expect(store.recovery.documents == 20)
        #expect(store.recovery.damage.isEmpty)
        let before = try #require(try await store.get("tickets", "t19"))
        #expect(value(of: before) == 19)
        let after = try await store.put("tickets", "t19", body: body(99))
        #expect(after.version > before.version)  // the clock restarted after the stored maximum
        #expect(await store.statistics().lastSeq == 21)
        await store.close()
    }

    @Test func aTornTailIsCutAndTheStoreGoesOn() async throws {
        let temporary = TemporaryDirectory("torn")
        defer { temporary.remove() }
        let directory = try await populated(temporary, count: 10)
        let segment = try #require(try segments(directory).last)
        let original = try bytes(of: segment)
        let lastFrame = try #require(journalFrameOffsets(original).last)
        // A crash mid-write: the last frame lost its final bytes. It was never durable, so no
        // document file was marked written from it.
        try write(Array(original[..<(original.count - 5)]), to: segment)
        try write(Array("9\n".utf8), to: directory.path + "/materialized")

        let store = try DocumentStore.open(directory)
        #expect(store.recovery.documents == 9)
        #expect(store.recovery.damage.map(\.kind) == [.tornTail])
        #expect(store.recovery.damage.first?.offset == lastFrame)
        #expect(!store.recovery.lostVersions)
        #expect(try bytes(of: segment).count == lastFrame)  // cut at the last good frame
        #expect(try await store.get("tickets", "t9") == nil)
        try await store.put("tickets", "t10", body: body(10))
        await store.close()

        let again = try DocumentStore.open(directory)
        #expect(again.recovery.damage.isEmpty)
        #expect(value(of: try await again.get("tickets", "t10")) == 10)
        #expect(again.recovery.documents == 10)
        await again.close()
    }

    @Test func garbageAfterTheLastFrameIsCut() async throws {
        let temporary = TemporaryDirectory("garbage")
        defer { temporary.remove() }
        let directory = try await populated(temporary, count: 3)
        let segment = try #require(try segments(directory).last)
        let original = try bytes(of: segment)
        try write(original + [0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3], to: segment)
        let store = try DocumentStore.open(directory)
        #expect(store.recovery.documents == 3)
        #expect(store.recovery.damage.map(\.kind) == [.tornTail])
        await store.close()
        #expect(try bytes(of: segment) == original)
    }

    @Test func aFlippedByteMidJournalLosesOnlyThatFrame() async throws {
        let temporary = TemporaryDirectory("flip")
        defer { temporary.remove() }
        let directory = try await populated(temporary, count: 5)
        let segment = try #require(try segments(directory).last)
        var damaged = try bytes(of: segment)
        let offsets = journalFrameOffsets(damaged)
        damaged[offsets[2] + 20] ^= 0x40  // inside the payload of the third frame (seq 3)
        try write(damaged, to: segment)

        let store = try DocumentStore.open(directory)
        // Frames after the damaged one are kept, not skipped; only seq 3 is gone, and that is reported.
        #expect(store.recovery.documents == 4)
        #expect(try await store.get("tickets", "t2") == nil)
        for n in [0, 1, 3, 4] { #expect(value(of: try await store.get("tickets", "t\(n)")) == n) }
        let damage = try #require(store.recovery.damage.first)
        #expect(store.recovery.damage.count == 1)
        #expect(damage.kind == .damaged)
        #expect(damage.offset == offsets[2])
        #expect(damage.length == offsets[3] - offsets[2])
        #expect(damage.missingSeqs == 3...3)
        #expect(store.recovery.lostVersions)
        // The node keeps going: new writes get new sequence numbers after the last one.
        let next = try await store.put("tickets", "t5", body: body(5))
        #expect(next.id == "t5")
        #expect(await store.statistics().lastSeq == 6)
        await store.close()
    }

    @Test func aDamagedLengthIsSkippedByScanningForTheNextFrame() async throws {
        let temporary = TemporaryDirectory("length")
        defer { temporary.remove() }
        let directory = try await populated(temporary, count: 4)
        let segment = try #require(try segments(directory).last)
        var damaged = try bytes(of: segment)
        let offsets = journalFrameOffsets(damaged)
        damaged[offsets[1] + 3] = 0x55  // the length of frame 2 now claims over a gigabyte
        try write(damaged, to: segment)

        let store = try DocumentStore.open(directory)
        #expect(store.recovery.damage.map(\.kind) == [.damaged])
        #expect(store.recovery.damage.first?.missingSeqs == 2...2)
        #expect(try await store.get("tickets", "t1") == nil)
        #expect(value(of: try await store.get("tickets", "t3")) == 3)
        await store.close()
    }

    @Test func aHandEditedOrCorruptDocumentFileIsRebuiltFromTheJournal() async throws {
        let temporary = TemporaryDirectory("files")
        defer { temporary.remove() }
        let directory = try await populated(temporary, count: 3)
        let edited = directory.documentFile(collection: "tickets", id: "t0")
        let corrupt = directory.documentFile(collection: "tickets", id: "t1")
        let deleted = directory.documentFile(collection: "tickets", id: "t2")
        let stray = directory.documentFile(collection: "tickets", id: "nobody")
        let original = try bytes(of: edited)
        try write(Array(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"value\": 0", with: "\"value\": 7").utf8), to: edited)
        try write(Array("{\"collection\": \"tick".utf8), to: corrupt)
        try FileManager.default.removeItem(atPath: deleted)
        try write(Array("{}".utf8), to: stray)

        let store = try DocumentStore.open(directory)
        let report = await store.auditFiles()
        #expect(report.verified == 0)
        #expect(report.rebuilt.sorted() == ["\(edited): differs from the journal", "\(corrupt): not valid JSON"])
        #expect(report.missing == 1)
        #expect(report.strays == [stray])
        #expect(value(of: try await store.get("tickets", "t0")) == 0)  // the journal, not the file, is the truth
        await store.waitForDocumentFiles()
        #expect(try bytes(of: edited) == original)
        let clean = await store.auditFiles()
        #expect(clean.verified == 3 && clean.rebuilt.isEmpty && clean.missing == 0)
        await store.close()
    }

    @Test func compactionRemovesCoveredSegmentsAndKeepsEverything() async throws {
        var options = StoreOptions()
        options.segmentBytes = 512
        options.compactionBytes = .max
        let temporary = TemporaryDirectory("compact")
        defer { temporary.remove() }
        let directory = try await populated(temporary, count: 40, options: options)
        #expect(try segments(directory).count > 5)

        let store = try DocumentStore.open(directory, options: options)
        for n in 0..<10 { try await store.put("tickets", "t\(n)", body: body(100 + n)) }  // supersede some
        let feedBefore = await store.changes(since: 0, limit: 1000).changes
        let size = try #require(try await store.compact())
        #expect(size > 0)
        #expect(try segments(directory).count == 1)  // only the segment being written remains
        try await store.put("tickets", "after", body: body(1))
        await store.close()

        let reopened = try DocumentStore.open(directory, options: options)
        #expect(reopened.recovery.snapshotSeq == 50)
        #expect(reopened.recovery.documents == 41)
        #expect(reopened.recovery.damage.isEmpty)
        let feedAfter = await reopened.changes(since: 0, limit: 1000).changes
        #expect(Array(feedAfter.prefix(feedBefore.count)) == feedBefore)  // same versions, same sequence numbers
        #expect(feedAfter.last?.document.id == "after")
        #expect(value(of: try await reopened.get("tickets", "t3")) == 103)
        await reopened.close()
    }

    @Test func aDamagedSnapshotIsRefusedNotHalfLoaded() async throws {
        let temporary = TemporaryDirectory("bad-snapshot")
        defer { temporary.remove() }
        let directory = try await populated(temporary, count: 5)
        let store = try DocumentStore.open(directory)
        try await store.compact()
        await store.close()
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/snapshots")
        let snapshot = directory.path + "/snapshots/" + (try #require(snapshots.first))
        var damaged = try bytes(of: snapshot)
        damaged[30] ^= 1
        try write(damaged, to: snapshot)
        #expect(throws: StoreError.corruptSnapshot(path: snapshot)) { try DocumentStore.open(directory) }
        // The refusal released the directory: fixing the snapshot and opening again works.
        damaged[30] ^= 1
        try write(damaged, to: snapshot)
        let fixed = try DocumentStore.open(directory)
        #expect(fixed.recovery.documents == 5)
        await fixed.close()
    }
}
