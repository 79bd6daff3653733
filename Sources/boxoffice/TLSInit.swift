import ArgumentParser
import BoxofficeServer
import BoxofficeStore
import Foundation

struct TLSInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a self-signed certificate for the node and print its pin.",
        discussion: """
            Writes tls/certificate.pem and tls/key.pem (readable by you only) in the data \
            directory; serve then answers HTTPS on its port. Peers trust the node by its pin \
            (serve/sync --pin) or by the certificate file (--ca). The certificate is valid for \
            localhost, 127.0.0.1, ::1, this machine's host name and every --name.
            """
    )

    @OptionGroup var options: DataOptions

    @Option(
        name: .customLong("node-id"),
        help: ArgumentHelp("The node's id, when this makes its data directory (as serve --node-id).", valueName: "id")
    )
    var nodeID: String?

    @Option(
        name: .customLong("name"),
        help: ArgumentHelp("A DNS name or IP address peers and tablets reach the node by (repeatable).", valueName: "name")
    )
    var names: [String] = []

    @Flag(help: "Replace an existing certificate (peers that pinned the old one need the new pin).")
    var force = false

    func run() async throws {
        let directory = DataDirectory(options.data)
        guard force || !FileManager.default.fileExists(atPath: directory.tlsCertificate) else {
            throw ValidationError("\(directory.tlsCertificate) exists; --force replaces it (peers that pinned it then need the new pin)")
        }
        let node = try await self.node(in: directory)
        var all = ["localhost", "127.0.0.1", "::1", ProcessInfo.processInfo.hostName]
        for name in names where !all.contains(name) { all.append(name) }
        let certificate = try NodeCertificate.selfSigned(nodeID: node, names: all)
        try directory.writeTLS(certificatePEM: certificate.certificatePEM, privateKeyPEM: certificate.privateKeyPEM)
        print(
            """
            certificate  \(directory.tlsCertificate)
            key          \(directory.tlsKey)
            valid for    \(all.joined(separator: ", "))
            pin          \(certificate.pin)

            boxoffice serve --data \(options.data) now serves HTTPS. Peers trust this node with
              --pin \(certificate.pin)
            """
        )
    }

    /// The directory's node id; a new directory is made as `serve` would make it.
    private func node(in directory: DataDirectory) async throws -> String {
        if FileManager.default.fileExists(atPath: directory.configuration) {
            let stored = try NodeConfiguration.read(in: directory).nodeID
            if let nodeID, nodeID != stored { throw ValidationError("\(options.data) belongs to node \(stored), not \(nodeID)") }
            return stored
        }
        let store = try DocumentStore.open(directory, nodeID: nodeID, options: options.storeOptions)
        await store.close()
        return store.nodeID
    }
}
