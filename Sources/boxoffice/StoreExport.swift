import ArgumentParser
import BoxofficeStore
import BoxofficeSync
import Foundation
import Logging

struct StoreExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a whole node to a file, to move it to another store (a file-store hub onto PostgreSQL).",
        discussion: """
            The file holds every current version at its feed position, and the node's id, \
            configuration (the cluster secret among it) and private key: it is written readable by \
            its owner only; keep it like a backup. Stop the node first (every process of a hub): \
            a document rewritten during the export would be in the file twice, and the import \
            refuses such a file.
            """
    )

    @OptionGroup var options: DataOptions

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("The file to write (created, or replaced).", valueName: "file"))
    var output: String

    func run() async throws {
        options.bootstrapLogging()
        let logger = Logger(label: "boxoffice")
        let key: String
        let store: any VersionedStore
        if let database = try await database.open(nodeID: nil, create: false, options: options.storeOptions, logger: logger) {
            (store, key) = (database, database.encodedNodeKey)
        } else {
            let directory = try options.existingDirectory()
            let files = try DocumentStore.open(directory, options: options.storeOptions, logger: logger)
            store = files
            do { key = try NodeKey.loadOrCreate(in: directory, nodeID: files.nodeID).encodedPrivateKey } catch {
                await files.close()
                throw error
            }
        }
        do {
            let written = try await write(store, key: key)
            await store.close()
            print("exported \(written) documents of node \(store.nodeID) to \(output)")
        } catch {
            await store.close()
            throw error
        }
    }

    private func write(_ store: any VersionedStore, key: String) async throws -> Int {
        let statistics = try await store.statistics()
        guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
            let file = FileHandle(forWritingAtPath: output)
        else { throw ValidationError("cannot write \(output)") }
        defer { try? file.close() }
        let node = StoreArchive.Node(configuration: store.configuration, key: key, lastSeq: statistics.lastSeq)
        try file.write(contentsOf: StoreArchive.header(node))
        var since: UInt64 = 0
        var written = 0
        while true {
            let batch = try await store.changes(since: since, limit: 10_000)
            var bytes: [UInt8] = []
            for entry in batch.changes { bytes += StoreArchive.line(entry) }
            try file.write(contentsOf: bytes)
            written += batch.changes.count
            since = batch.next
            FileHandle.standardError.write(Data("\r\(written) of \(statistics.documents) documents".utf8))
            if batch.complete { break }
        }
        try file.write(contentsOf: StoreArchive.trailer(documents: written))
        try file.synchronize()
        FileHandle.standardError.write(Data("\n".utf8))
        return written
    }
}
