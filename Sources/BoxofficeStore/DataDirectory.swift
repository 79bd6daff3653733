/// The layout of a node's data directory:
///
///     boxoffice.json               node configuration (node id, …)
///     LOCK                         the pid of the process that has the directory open
///     journal/<seq>.log            journal segments, named by their first sequence number
///     snapshots/<seq>.snapshot     compacted state up to and including <seq>
///     materialized                 sequence number up to which docs/ is complete on disk
///     listening                    the URL of the running node (removed when it stops), and
///                                  the pin of the certificate it serves HTTPS with
///     tls/certificate.pem          the node's TLS certificate (boxoffice tls init)
///     tls/key.pem                  its private key, readable by the node's user only
///     identity/node.key            the node's Ed25519 signing key, readable by its user only
///     docs/<collection>/<id>.json  the current version of every document, for people to read
///
/// The journal and the latest snapshot are the truth; docs/ is a view rebuilt from them.
public struct DataDirectory: Sendable {
    public let path: String

    public init(_ path: String) {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.path = trimmed
    }

    public var configuration: String { path + "/boxoffice.json" }
    var lockFile: String { path + "/LOCK" }
    var journal: String { path + "/journal" }
    var snapshots: String { path + "/snapshots" }
    var materializedMark: String { path + "/materialized" }
    public var documents: String { path + "/docs" }
    /// Written by a running node: the URL it serves at, so local tools can reach it.
    public var listening: String { path + "/listening" }
    public var tlsCertificate: String { path + "/tls/certificate.pem" }
    public var tlsKey: String { path + "/tls/key.pem" }

    /// The node's Ed25519 private key; never synced, never sent.
    public var nodeKey: String { path + "/identity/node.key" }

    /// Writes the node's TLS certificate and key (the key private, as `writePrivate` writes it).
    public func writeTLS(certificatePEM: String, privateKeyPEM: String) throws {
        try writePrivate(Array(privateKeyPEM.utf8), to: tlsKey)
        try FileIO.replace(tlsCertificate, with: Array(certificatePEM.utf8), durable: true)
    }

    /// Writes a file only the node's user can read (`0600`, in a `0700` folder), durably.
    public func writePrivate(_ bytes: [UInt8], to file: String) throws {
        try FileIO.makeDirectory(FileIO.parent(of: file), mode: 0o700)
        try FileIO.replace(file, with: bytes, durable: true, mode: 0o600)
    }

    /// The file of one document; both names are identifiers, so the path stays inside `docs/`.
    public func documentFile(collection: String, id: String) -> String {
        documents + "/" + collection + "/" + id + ".json"
    }

    static func sequenceName(_ seq: UInt64, suffix: String) -> String {
        let digits = String(seq)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The sequence numbers of the files in `folder` named `<seq><suffix>`, ascending.
    static func sequenceFiles(in folder: String, suffix: String) throws(StoreError) -> [UInt64] {
        try FileIO.list(folder).compactMap { name in
            name.hasSuffix(suffix) ? UInt64(name.dropLast(suffix.count)) : nil
        }.sorted()
    }
}
