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
        let archive = try Archive(path: input)
        let node = archive.node
        let key = try NodeKey(nodeID: node.configuration.nodeID, encodedPrivateKey: node.key, source: input)
        guard
            let store = try await database.open(
                nodeID: node.configuration.nodeID,
                newNodeKey: key.encodedPrivateKey,
                newConfiguration: node.configuration,
                create: true,
                importing: true,
                options: options.storeOptions,
                logger: logger
            )
        else { return }
        do {
            // All or nothing: after a file cut short, or any failure, the database holds no
            // documents, and its node is served by no process until an import finishes.
            let imported = try await store.restore(through: node.lastSeq, nodeKey: key.encodedPrivateKey) { try archive.nextBatch() }
            FileHandle.standardError.write(Data("\n".utf8))
            await store.close()
            print("imported \(imported) documents as node \(store.nodeID) into \(store.location)")
        } catch {
            await store.close()
            throw error
        }
    }
}

/// A `store export` file, read a thousand versions at a time; its trailer is checked at the end.
private final class Archive: @unchecked Sendable {
    let node: StoreArchive.Node
    private let path: String
    private var lines: LineReader
    private var read = 0
    private var ended = false

    init(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else { throw ValidationError("cannot read \(path)") }
        self.path = path
        lines = LineReader(file)
        guard let first = try lines.next() else { throw StoreError.unknownFile(path: path) }
        node = try StoreArchive.node(fromHeader: first, path: path)
    }

    /// The next versions, nil after the trailer.
    /// - Throws: when the file ends without its trailer, or the trailer's count is not what was read.
    func nextBatch() throws -> [SequencedDocument]? {
        var batch: [SequencedDocument] = []
        while batch.count < 1_000, !ended {
            guard let line = try lines.next() else { throw Damaged(path: path, problem: "it ends before its last line: the export was cut short") }
            if let documents = StoreArchive.documents(fromTrailer: line) {
                guard documents == read + batch.count else {
                    throw Damaged(path: path, problem: "its last line counts \(documents) documents, but it holds \(read + batch.count)")
                }
                guard try lines.next() == nil else { throw Damaged(path: path, problem: "it goes on after its last line") }
                ended = true
                continue
            }
            batch.append(try StoreArchive.entry(fromLine: line))
        }
        read += batch.count
        FileHandle.standardError.write(Data("\r\(read) documents".utf8))
        return batch.isEmpty ? nil : batch
    }
}

/// A `store export` file that is not whole; nothing of it was imported.
private struct Damaged: Error, CustomStringConvertible {
    let path: String
    let problem: String
    var description: String { "\(path) is not a whole store export: \(problem); nothing was imported" }
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
