import ArgumentParser
import BoxofficeSync

/// How commands that connect to peers verify them over HTTPS: the system's CAs, plus `--ca`
/// and `--pin`.
struct PeerTrustOptions: ParsableArguments {
    @Option(
        name: .customLong("ca"),
        help: ArgumentHelp("Trust HTTPS peers signed by this PEM bundle, or with this very certificate.", valueName: "file")
    )
    var caFile: String?

    @Option(
        name: .customLong("pin"),
        help: ArgumentHelp("Trust an HTTPS peer whose public key has this pin, as boxoffice tls init prints it (repeatable).", valueName: "sha256//…")
    )
    var pins: [String] = []

    var trust: PeerTrust { PeerTrust(caFile: caFile, pins: pins) }

    func validate() throws {
        if let problem = trust.problem { throw ValidationError(problem) }
    }
}
