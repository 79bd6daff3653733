import ArgumentParser
import BoxofficeStore
import BoxofficeSync
import Foundation
import Logging

/// A curl config (`curl -K`, one group per page) that fetches every page of a peer's changes feed, each request signed
/// with a node's key as sync-spec section 7.3 says: curl's own rate on the feed, the baseline of
/// bench/sync.sh. The node must be enrolled with the peer (one `boxoffice sync` does that).
struct SignedPages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signed-pages",
        abstract: "Print a curl config fetching a peer's feed, signed with a node's key (for bench/sync.sh)."
    )

    @Option(help: "The data directory of the node that signs (stopped).")
    var data: String

    @Option(help: "The peer's base URL, such as http://127.0.0.1:18301.")
    var url: String

    @Option(help: "How many pages.")
    var pages: Int

    @Option(help: "Versions per page.")
    var limit = 1_000

    func run() async throws {
        LoggingSystem.bootstrap { SwiftLogNoOpLogHandler($0) }
        let directory = DataDirectory(data)
        let store = try DocumentStore.open(directory)
        let key = try NodeKey.loadOrCreate(in: directory, nodeID: store.nodeID)
        await store.close()
        // Each page its own group (`next`): options such as headers would otherwise add up over
        // every URL. curl keeps the connection alive across groups.
        for page in 0..<pages {
            let target = "/sync/changes?since=\(page * limit)&limit=\(limit)"
            if page > 0 { print("next") }
            print("url = \"\(url)\(target)\"")
            print("output = /dev/null")
            print("silent")
            print("fail")
            print("write-out = \"%{size_download}\\n\"")
            for (name, value) in RequestSignature.headers(method: "GET", target: target, body: [], key: key) {
                print("header = \"\(name): \(value.replacingOccurrences(of: "\"", with: "\\\""))\"")
            }
        }
    }
}
