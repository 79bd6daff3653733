import ArgumentParser
import BoxofficeStore
import BoxofficeSync
import Foundation

/// The cluster secret for commands that talk to nodes: `--secret`, else `BOXOFFICE_SECRET`, else
/// the one in the data directory's boxoffice.json. Every node of a cluster needs the same one.
struct SecretOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The cluster secret, with which this node enrolls at peers (default: BOXOFFICE_SECRET, else boxoffice.json).",
            valueName: "secret"
        )
    )
    var secret: String?

    /// The secret given on the command line or in the environment, if any.
    var given: String? {
        if let secret { return secret }
        if let secret = ProcessInfo.processInfo.environment["BOXOFFICE_SECRET"], !secret.isEmpty { return secret }
        return nil
    }

    /// The given secret, else the configuration file's (read only when needed).
    func resolve(_ configuration: @autoclosure () throws -> NodeConfiguration) throws -> String {
        if let given { return given }
        guard let secret = try configuration().secret else { throw ValidationError("no cluster secret: pass --secret") }
        return secret
    }
}

extension DataOptions {
    /// The URL a running node on this data directory serves at, from the file it writes there,
    /// and the pin of the certificate it serves HTTPS with (its second line), trusted as its own.
    func runningNode() throws -> (url: String, trust: PeerTrust) {
        let text = try? String(contentsOfFile: DataDirectory(data).listening, encoding: .utf8)
        let lines = (text ?? "").split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard let url = lines.first, !url.isEmpty else { throw ValidationError("\(data) is in use but its node does not say where it listens") }
        return (url, PeerTrust(pins: Array(lines.dropFirst())))
    }

    /// A client of the node running on this directory, signing as that node (its own key).
    func runningNodeClient(_ configuration: NodeConfiguration) throws -> PeerClient {
        let (url, trust) = try runningNode()
        return PeerClient(baseURL: url, key: try NodeKey.loadOrCreate(in: DataDirectory(data), nodeID: configuration.nodeID), trust: trust)
    }
}
