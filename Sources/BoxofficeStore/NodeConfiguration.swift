public import BoxofficeCore
public import Foundation

/// The node's configuration file, `boxoffice.json` in the data directory. It fixes the node id
/// on first start: one data directory is one node, for life.
public struct NodeConfiguration: Codable, Sendable, Equatable {
    /// The file's magic and format version, `boxoffice-node/<version>`; absent in files written
    /// before format 2 (they are upgraded at open).
    public var format: String?
    public var nodeID: String
    /// The cluster secret, generated on first start: it signs access tokens and authenticates
    /// peers, so every node of a cluster needs the same one (copy it, or pass `--secret`).
    public var secret: String?
    /// Peer URLs the node syncs with continuously (added to `serve --peer`).
    public var peers: [String]?
    /// The venue's time zone (an IANA name such as `Europe/Berlin`): a day given without a time
    /// is a day here. Written at first start from the machine's zone; absent means UTC.
    public var timeZone: String?
    /// What a new event gets for the fields its creator leaves out under `/api` (the original web
    /// app's form); absent means `EventDefaults()`.
    public var eventDefaults: EventDefaults?

    public init(nodeID: String, secret: String?, peers: [String]? = nil, timeZone: String? = nil, eventDefaults: EventDefaults? = nil) {
        self.format = Self.currentFormat
        self.nodeID = nodeID
        self.secret = secret
        self.peers = peers
        self.timeZone = timeZone
        self.eventDefaults = eventDefaults
    }

    enum CodingKeys: String, CodingKey {
        case format
        case nodeID = "nodeId"
        case secret
        case peers
        case timeZone
        case eventDefaults
    }

    /// The venue's time zone: `timeZone`, UTC when absent.
    /// - Throws: `StoreError.invalidConfiguration` for a name that is no time zone.
    public func venueTimeZone() throws(StoreError) -> TimeZone {
        guard let timeZone else { return .gmt }
        guard let zone = TimeZone(identifier: timeZone) else {
            throw .invalidConfiguration("timeZone \"\(timeZone)\" is not a time zone name such as Europe/Berlin")
        }
        return zone
    }

    /// The defaults for events created under `/api`, checked.
    /// - Throws: `StoreError.invalidConfiguration` naming the field an operator must fix.
    public func checkedEventDefaults() throws(StoreError) -> EventDefaults {
        let defaults = eventDefaults ?? EventDefaults()
        if let problem = defaults.problem { throw .invalidConfiguration(problem) }
        return defaults
    }

    static let magic = "boxoffice-node/"
    static var currentFormat: String { magic + "\(FileHeader.currentFormat)" }

    /// Reads the configuration of a directory without opening it (it may belong to a running node).
    public static func read(in directory: DataDirectory) throws -> NodeConfiguration {
        let configuration = try JSONCoding.decode(NodeConfiguration.self, from: FileIO.readFile(directory.configuration))
        try configuration.checkFormat(path: directory.configuration)
        return configuration
    }

    /// Refuses a file of another kind, or of a format newer than this build reads.
    private func checkFormat(path: String) throws(StoreError) {
        guard let format else { return }
        guard format.hasPrefix(Self.magic), let version = UInt32(format.dropFirst(Self.magic.count)), version >= 2 else {
            throw .unknownFile(path: path)
        }
        if version > FileHeader.currentFormat { throw .newerFormat(path: path, format: version, supported: FileHeader.currentFormat) }
    }

    /// Reads the configuration, creating it on first start.
    /// - Parameter requestedNodeID: the node id asked for; nil keeps the stored one or makes up a new one.
    /// - Throws: `StoreError.nodeIDMismatch` when the directory already belongs to another node id.
    static func resolve(in directory: DataDirectory, requestedNodeID: String?) throws -> NodeConfiguration {
        var configuration: NodeConfiguration
        if FileIO.exists(directory.configuration) {
            configuration = try read(in: directory)
            try Identifier.validate(configuration.nodeID, field: "nodeId in \(directory.configuration)")
            if let requestedNodeID, requestedNodeID != configuration.nodeID {
                throw StoreError.nodeIDMismatch(directory: directory.path, stored: configuration.nodeID, requested: requestedNodeID)
            }
            if configuration.secret != nil, configuration.format == currentFormat { return configuration }
        } else {
            // A new node writes its defaults out, so an operator finds them in the file to change.
            configuration = try fresh(nodeID: requestedNodeID)
        }
        configuration.format = currentFormat
        if configuration.secret == nil { configuration.secret = newSecret() }
        try configuration.write(in: directory)
        return configuration
    }

    /// The configuration of a new node: the id asked for (else a made-up one), a new cluster
    /// secret, the machine's time zone and the event defaults spelled out.
    public static func fresh(nodeID: String?) throws(DocumentError) -> NodeConfiguration {
        let configuration = NodeConfiguration(
            nodeID: nodeID ?? "node-" + randomSuffix(),
            secret: newSecret(),
            timeZone: TimeZone.current.identifier,
            eventDefaults: EventDefaults()
        )
        try Identifier.validate(configuration.nodeID, field: "node id")
        return configuration
    }

    /// A new random cluster secret: 52 base-32 characters, 260 bits.
    public static func newSecret() -> String {
        Identifier.randomCode(length: 52).lowercased()
    }

    /// Stores `secret` as the directory's cluster secret, so the node's own commands (`sync`,
    /// `conflicts` on its `--data`) use the one it serves with. Call it on an open directory.
    /// - Returns: whether the file changed.
    public static func storeSecret(_ secret: String, in directory: DataDirectory) throws -> Bool {
        var configuration = try read(in: directory)
        guard configuration.secret != secret else { return false }
        configuration.secret = secret
        try configuration.write(in: directory)
        return true
    }

    private func write(in directory: DataDirectory) throws {
        let bytes = JSONPrettyPrinter.format(try JSONCoding.encode(self)) + [UInt8(ascii: "\n")]
        try FileIO.replace(directory.configuration, with: bytes, durable: true)
    }

    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 16)
    }
}
