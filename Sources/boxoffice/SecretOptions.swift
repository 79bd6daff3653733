import ArgumentParser
import BoxofficeStore
import Foundation

/// The cluster secret for commands that talk to nodes: `--secret`, else `BOXOFFICE_SECRET`, else
/// the one in the data directory's boxoffice.json. Every node of a cluster needs the same one.
struct SecretOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The cluster secret (default: BOXOFFICE_SECRET, else boxoffice.json).", valueName: "secret"))
    var secret: String?

    /// The secret, and whether it came from the configuration file (read only when needed).
    func resolve(_ configuration: @autoclosure () throws -> NodeConfiguration) throws -> (secret: String, fromFile: Bool) {
        if let secret { return (secret, false) }
        if let secret = ProcessInfo.processInfo.environment["BOXOFFICE_SECRET"], !secret.isEmpty { return (secret, false) }
        guard let secret = try configuration().secret else { throw ValidationError("no cluster secret: pass --secret") }
        return (secret, true)
    }
}

extension DataOptions {
    /// The URL a running node on this data directory serves at, from the file it writes there.
    func runningNodeURL() throws -> String {
        guard let url = try? String(contentsOfFile: DataDirectory(data).listening, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        else { throw ValidationError("\(data) is in use but its node does not say where it listens") }
        return url
    }
}
