import ArgumentParser
import BoxofficePostgres
import BoxofficeStore
import BoxofficeSync
import Foundation
import Logging

struct StoreImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a new PostgreSQL store the node a `store export` file holds.",
        discussion: """
            The database must be new: it becomes the same node (id, configuration, key), its \
            documents at the feed positions they had, so the node's peers go on syncing from \
            their checkpoints. Stop the old node first, and start the new one in its place.
            """
    )

    @OptionGroup var options: DataOptions

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("The file `boxoffice store export` wrote.", valueName: "file"))
    var input: String

    func run() async throws {
        options.bootstrapLogging()
        let logger = Logger(label: "boxoffice")
        guard database.given != nil else { throw ValidationError("--store is required: the PostgreSQL database to import into") }
        guard let file = FileHandle(forReadingAtPath: input) else { throw ValidationError("cannot read \(input)") }
        defer { try? file.close() }
        var lines = LineReader(file)
        guard let first = try lines.next() else { throw StoreError.unknownFile(path: input) }
        let node = try StoreArchive.node(fromHeader: first, path: input)
        let key = try NodeKey(nodeID: node.configuration.nodeID, encodedPrivateKey: node.key, source: input)
        guard
            let store = try await database.open(
                nodeID: node.configuration.nodeID,
                newNodeKey: key.encodedPrivateKey,
                newConfiguration: node.configuration,
                options: options.storeOptions,
                logger: logger
            )
        else { return }
        do {
            var imported = 0
            var batch: [SequencedDocument] = []
            while let line = try lines.next() {
                batch.append(try StoreArchive.entry(fromLine: line))
                guard batch.count == 1_000 else { continue }
                try await store.restore(batch, through: batch.last!.seq)
                imported += batch.count
                batch.removeAll(keepingCapacity: true)
                FileHandle.standardError.write(Data("\r\(imported) documents".utf8))
            }
            try await store.restore(batch, through: max(node.lastSeq, batch.last?.seq ?? 0))
            imported += batch.count
            FileHandle.standardError.write(Data("\r\(imported) documents\n".utf8))
            await store.close()
            print("imported \(imported) documents as node \(store.nodeID) into \(store.location)")
        } catch {
            await store.close()
            throw error
        }
    }
}

/// The lines of a file, read a block at a time.
private struct LineReader {
    private let file: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    init(_ file: FileHandle) { self.file = file }

    mutating func next() throws -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                defer { start = newline + 1 }
                return Array(buffer[start..<newline])
            }
            if ended {
                return start < buffer.count
                    ? {
                        defer { start = buffer.count }
                        return Array(buffer[start...])
                    }() : nil
            }
            buffer.removeFirst(start)
            start = 0
            let block = try file.read(upToCount: 1 << 20) ?? Data()
            if block.isEmpty { ended = true } else { buffer += block }
        }
    }
}
