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

    @Option(help: ArgumentHelp("Only conflicts about this event: its id, or part of its name.", valueName: "event"))
    var event: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "A table as wide as it takes, with each conflict's kind and id, instead of 100 columns.")
    var wide = false

    @Flag(help: "Exit with status 1 when open conflicts exist.")
    var check = false

    func validate() throws {
        if let state, ConflictRecord.State(rawValue: state) == nil { throw ValidationError("--state must be open, acknowledged or resolved") }
    }

    func run() async throws {
        options.bootstrapLogging()
        let (records, names) = try await records()
        let filter = ConflictService.Filter(eventName: event, state: state.flatMap(ConflictRecord.State.init(rawValue:)))
        let shown = try ConflictService.listing(records, names: names, filter: filter, limit: .max, after: nil).entries
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(shown), as: UTF8.self))
        } else {
            print(Self.table(shown, wide: wide))
        }
        if check, shown.contains(where: { $0.record.state == .open }) { throw ExitCode(1) }
    }

    /// The conflict records, and the names of the events and accounts they are about.
    private func records() async throws -> ([Identified<ConflictRecord>], ConflictStory.Names) {
        let directory = try options.existingDirectory()
        let configuration = try NodeConfiguration.read(in: directory)
        let peer: PeerClient
        if let node {
            // Signed as the node of --data: the asked node must know it (they have synced).
            peer = PeerClient(baseURL: node, key: try NodeKey.loadOrCreate(in: directory, nodeID: configuration.nodeID), trust: trustOptions.trust)
        } else {
            do {
                let store = try DocumentStore.open(directory, options: options.storeOptions)
                var documents: [Document] = []
                for collection in [ConflictRecord.collection, Event.collection, User.collection] {
                    documents += try await store.documents(in: collection)
                }
                await store.close()
                return try Self.told(documents)
            } catch StoreError.locked {
                peer = try options.runningNodeClient(configuration)
            }
        }
        // The sync feed carries conflict records like every document, and the events and accounts they name.
        let wanted: Set = [ConflictRecord.collection, Event.collection, User.collection]
        var found: [Document] = []
        var since: UInt64 = 0
        while true {
            let page = try await peer.changes(since: since, limit: LocalNode.maxPageVersions)
            found += page.versions.filter { wanted.contains($0.collection) }
            since = page.next
            if page.complete { return try Self.told(found) }
        }
    }

    /// The live conflict records among `documents`, and the names of the events and accounts there.
    private static func told(_ documents: [Document]) throws -> ([Identified<ConflictRecord>], ConflictStory.Names) {
        let live = documents.filter { !$0.deleted }
        var names = ConflictStory.Names()
        for document in live where document.collection == Event.collection { names.events[document.id] = document.body.string("name") }
        for document in live where document.collection == User.collection { names.users[document.id] = document.body.string("name") }
        let records = try live.filter { $0.collection == ConflictRecord.collection }.map(Identified<ConflictRecord>.init(decoding:))
        return (records, names)
    }

    /// The report as aligned columns: age, state, action, event and what happened. Within
    /// 100 columns the event's name is cut short and the sentence wraps in its column; `wide`
    /// keeps every line whole and adds each conflict's kind and id.
    static func table(_ entries: [ConflictService.Entry], wide: Bool = false, now: Date = Date()) -> String {
        let header =
            wide ? ["AGE", "STATE", "ACTION", "KIND", "EVENT", "WHAT HAPPENED", "ID"] : ["AGE", "STATE", "ACTION", "EVENT", "WHAT HAPPENED"]
        var rows = [header]
        for entry in entries {
            let event = entry.story.eventName ?? entry.record.eventId ?? "-"
            let common = [age(now.timeIntervalSince(entry.record.detectedAt)), entry.record.state.rawValue, entry.story.action.rawValue]
            rows.append(
                wide
                    ? common + [entry.record.kind, event, entry.story.sentence, entry.id]
                    : common + [event.count > 16 ? String(event.prefix(15)) + "…" : event, entry.story.sentence]
            )
        }
        let summary =
            entries.isEmpty
            ? "no conflicts" : "\(entries.count) conflict\(entries.count == 1 ? "" : "s"), \(entries.count { $0.record.state == .open }) open"
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        guard !wide else { return (rows.map { line($0, widths: widths) } + [summary]).joined(separator: "\n") }
        // The sentence takes what the other columns leave of 100, and wraps there.
        let room = max(30, 100 - widths.dropLast().reduce(0) { $0 + $1 + 2 })
        var lines: [String] = []
        for row in rows {
            let wrapped = wrap(row[row.count - 1], width: room)
            lines.append(line(Array(row.dropLast()) + [wrapped[0]], widths: widths))
            for more in wrapped.dropFirst() { lines.append(line(row.dropLast().map { _ in "" } + [more], widths: widths)) }
        }
        return (lines + [summary]).joined(separator: "\n")
    }

    private static func line(_ cells: [String], widths: [Int]) -> String {
        let text = cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        return String(text.reversed().drop { $0 == " " }.reversed())
    }

    /// `text` in lines of at most `width` characters, broken between words (a longer word is cut).
    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while word.count > width {
                if !current.isEmpty { lines.append(current) }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
                current = ""
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        return lines + [current]
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
