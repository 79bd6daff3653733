import ArgumentParser
import BoxofficeCore
import BoxofficeStore
import BoxofficeSync
import BoxofficeVenue
import Foundation

struct Conflicts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the conflicts the merges decided: a table, or JSON.",
        discussion: """
            Reads a stopped node's data directory, or a running node (this one, or --node URL) through \
            its sync feed, signed with the key of the node in --data. With --check it exits 1 when open conflicts exist, \
            for cron or monitoring.
            """
    )

    @OptionGroup var options: DataOptions

    @Option(help: ArgumentHelp("A running node to ask instead of the data directory.", valueName: "url"))
    var node: String?

    @OptionGroup var trustOptions: PeerTrustOptions

    @Option(help: ArgumentHelp("Only conflicts in this state: open, acknowledged or resolved.", valueName: "state"))
    var state: String?

    @Option(help: ArgumentHelp("Only conflicts about this event.", valueName: "id"))
    var event: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Exit with status 1 when open conflicts exist.")
    var check = false

    func validate() throws {
        if let state, ConflictRecord.State(rawValue: state) == nil { throw ValidationError("--state must be open, acknowledged or resolved") }
    }

    func run() async throws {
        options.bootstrapLogging()
        let all = try await records()
        let shown = all.filter { entry in
            (state.map { $0 == entry.record.state.rawValue } ?? true) && (event.map { $0 == entry.record.eventId } ?? true)
        }.sorted { $0.record.detectedAt > $1.record.detectedAt }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(shown.map(Row.init)), as: UTF8.self))
        } else {
            print(Self.table(shown))
        }
        if check, shown.contains(where: { $0.record.state == .open }) { throw ExitCode(1) }
    }

    private struct Row: Encodable {
        let id: String
        let conflict: ConflictRecord
        init(_ entry: (id: String, record: ConflictRecord)) {
            id = entry.id
            conflict = entry.record
        }
    }

    private func records() async throws -> [(id: String, record: ConflictRecord)] {
        let directory = try options.existingDirectory()
        let configuration = try NodeConfiguration.read(in: directory)
        let peer: PeerClient
        if let node {
            // Signed as the node of --data: the asked node must know it (they have synced).
            peer = PeerClient(baseURL: node, key: try NodeKey.loadOrCreate(in: directory, nodeID: configuration.nodeID), trust: trustOptions.trust)
        } else {
            do {
                let store = try DocumentStore.open(directory, options: options.storeOptions)
                let documents = try await store.documents(in: ConflictRecord.collection)
                await store.close()
                return try documents.filter { !$0.deleted }.map { ($0.id, try $0.body.decode(ConflictRecord.self)) }
            } catch StoreError.locked {
                peer = try options.runningNodeClient(configuration)
            }
        }
        // The sync feed carries conflict records like every document.
        var found: [(String, ConflictRecord)] = []
        var since: UInt64 = 0
        while true {
            let page = try await peer.changes(since: since, limit: LocalNode.maxPageVersions)
            for document in page.versions where document.collection == ConflictRecord.collection && !document.deleted {
                found.append((document.id, try document.body.decode(ConflictRecord.self)))
            }
            since = page.next
            if page.complete { return found }
        }
    }

    /// Aligned columns: kind, event, what happened, outcome, age, state.
    static func table(_ entries: [(id: String, record: ConflictRecord)], now: Date = Date()) -> String {
        var rows = [["KIND", "EVENT", "WHAT HAPPENED", "OUTCOME", "AGE", "STATE"]]
        for (_, record) in entries {
            let what =
                record.kind == "double-check-in"
                ? "ticket \(record.documentId) scanned twice"
                : "\(record.collection)/\(record.documentId) edited apart"
                    + (record.differingFields.isEmpty ? "" : " (\(record.differingFields.joined(separator: ", ")))")
            let outcome = "\(record.rule): \(record.winner) stands over \(record.loser)"
            rows.append([record.kind, record.eventId ?? "-", what, outcome, age(now.timeIntervalSince(record.detectedAt)), record.state.rawValue])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        let summary =
            entries.isEmpty
            ? "no conflicts" : "\(entries.count) conflict\(entries.count == 1 ? "" : "s"), \(entries.count { $0.record.state == .open }) open"
        return (lines + [summary]).joined(separator: "\n")
    }

    private static func age(_ seconds: TimeInterval) -> String {
        switch seconds {
        case ..<60: return "\(Int(max(0, seconds)))s"
        case ..<3_600: return "\(Int(seconds / 60))m"
        case ..<86_400: return "\(Int(seconds / 3_600))h"
        default: return "\(Int(seconds / 86_400))d"
        }
    }
}
