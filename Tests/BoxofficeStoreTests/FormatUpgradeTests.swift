import BoxofficeCore
import BoxofficeStore
import BoxofficeTestSupport
import Foundation
import Testing

/// Every file of a data directory says what it is and which format it is in; a directory written
/// by Boxoffice 0.3 (format 1, `Fixtures/format1-node`) opens and is upgraded, and a newer one is
/// refused with a message.
@Suite struct FormatUpgradeTests {
    /// A copy of the committed format-1 directory: a snapshot up to 6 and a segment of 8 versions.
    static func formatOneCopy(_ temporary: TemporaryDirectory) throws -> DataDirectory {
        let fixture = try #require(Bundle.module.url(forResource: "format1-node", withExtension: nil, subdirectory: "Fixtures"))
        let copy = temporary.file("node")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: copy)
        return DataDirectory(copy)
    }

    func journal(_ directory: DataDirectory) -> String { directory.path + "/journal" }
    func snapshots(_ directory: DataDirectory) -> String { directory.path + "/snapshots" }

    static func head(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)).prefix(8), as: UTF8.self)
    }

    @Test func aFormatOneDirectoryOpensWhole() async throws {
        let temporary = TemporaryDirectory("format1")
        defer { temporary.remove() }
        let directory = try Self.formatOneCopy(temporary)
        let before = try FileManager.default.contentsOfDirectory(atPath: journal(directory))
        #expect(try Self.head(journal(directory) + "/" + before[0]) != "BOXJRNL\n", "the fixture is format 1")

        let store = try DocumentStore.open(directory)
        #expect(store.recovery.olderFormat == 1 && store.recovery.upgraded && store.recovery.damage.isEmpty)
        #expect(store.recovery.documents == 8 && store.recovery.lastSeq == 8)
        #expect(store.nodeID == "venue-old")
        let events = try await store.documents(in: "events")
        #expect(events.count == 1)
        #expect(try events.first?.body.decode(Event.self).name == "Old Format Night")
        #expect(try await store.documents(in: "tickets").count == 3)
        // New writes go to a new segment in the new format, after the upgraded snapshot.
        try await store.put("events", "e-new", body: JSONBody(encoding: ["name": "After the upgrade"]))
        await store.close()

        #expect(try Self.head(snapshots(directory) + "/00000000000000000008.snapshot") == "BOXSNAP\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: snapshots(directory)) == ["00000000000000000008.snapshot"])
        let segments = try FileManager.default.contentsOfDirectory(atPath: journal(directory))
        #expect(segments == ["00000000000000000009.log"])
        #expect(try Self.head(journal(directory) + "/00000000000000000009.log") == "BOXJRNL\n")
        let configuration = try NodeConfiguration.read(in: directory)
        #expect(configuration.format == "boxoffice-node/2" && configuration.secret == "hj0c57kaypcsvnmvpt3vq22bmfvs399bkyc3q0g89chm5qj3tp15")

        let reopened = try DocumentStore.open(directory)
        #expect(reopened.recovery.olderFormat == nil && reopened.recovery.documents == 9 && reopened.recovery.damage.isEmpty)
        await reopened.close()
    }

    @Test func aNewerFormatIsRefusedWithAMessage() async throws {
        let temporary = TemporaryDirectory("newer")
        defer { temporary.remove() }
        let directory = DataDirectory(temporary.file("node"))
        let store = try DocumentStore.open(directory, nodeID: "venue-a")
        try await store.put("events", "e1", body: .emptyObject)
        await store.close()

        // A segment from a future release: the same magic, format 3.
        let segment = journal(directory) + "/00000000000000000001.log"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[8] = 3
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect(throws: StoreError.newerFormat(path: segment, format: 3, supported: 2)) { try DocumentStore.open(directory) }
        #expect(StoreError.newerFormat(path: segment, format: 3, supported: 2).description.contains("written by a newer Boxoffice"))
        bytes[8] = 2
        try Data(bytes).write(to: URL(fileURLWithPath: segment))

        var text = try String(contentsOfFile: directory.configuration, encoding: .utf8)
        text = text.replacingOccurrences(of: "boxoffice-node/2", with: "boxoffice-node/7")
        try text.write(toFile: directory.configuration, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.newerFormat(path: directory.configuration, format: 7, supported: 2)) { try DocumentStore.open(directory) }
        try text.replacingOccurrences(of: "boxoffice-node/7", with: "someone-else/2").write(
            toFile: directory.configuration,
            atomically: true,
            encoding: .utf8
        )
        #expect(throws: StoreError.unknownFile(path: directory.configuration)) { try DocumentStore.open(directory) }
    }

    @Test func theChecksumCoversTheLength() async throws {
        let temporary = TemporaryDirectory("length")
        defer { temporary.remove() }
        let directory = DataDirectory(temporary.file("node"))
        let store = try DocumentStore.open(directory, nodeID: "venue-a")
        for n in 0..<3 { try await store.put("events", "e\(n)", body: .emptyObject) }
        await store.close()
        // Shorten the last frame's length by one: the payload still checksums, the frame must not.
        let segment = journal(directory) + "/00000000000000000001.log"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: segment)))
        let last = try #require(journalFrameOffsets(bytes).last)
        bytes[last] -= 1
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let reopened = try DocumentStore.open(directory)
        #expect(reopened.recovery.documents == 2, "the frame with a changed length is refused")
        #expect(reopened.recovery.damage.count == 1)
        await reopened.close()
    }

    @Test func aSegmentACrashLeftWithoutAWholeHeaderIsStartedAgain() async throws {
        let temporary = TemporaryDirectory("header")
        defer { temporary.remove() }
        let directory = DataDirectory(temporary.file("node"))
        let store = try DocumentStore.open(directory, nodeID: "venue-a")
        try await store.put("events", "e1", body: .emptyObject)
        await store.close()
        // The next segment was created and a crash came after 5 bytes of its header.
        try Data("BOXJR".utf8).write(to: URL(fileURLWithPath: journal(directory) + "/00000000000000000002.log"))
        let reopened = try DocumentStore.open(directory)
        try await reopened.put("events", "e2", body: .emptyObject)
        await reopened.close()
        let again = try DocumentStore.open(directory)
        #expect(again.recovery.documents == 2 && again.recovery.damage.isEmpty)
        await again.close()
    }
}
