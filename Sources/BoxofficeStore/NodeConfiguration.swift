import BoxofficeCore

/// The node's configuration file, `boxoffice.json` in the data directory. It fixes the node id
/// on first start: one data directory is one node, for life.
public struct NodeConfiguration: Codable, Sendable, Equatable {
    public var nodeID: String

    public init(nodeID: String) {
        self.nodeID = nodeID
    }

    enum CodingKeys: String, CodingKey {
        case nodeID = "nodeId"
    }

    /// Reads the configuration, creating it on first start.
    /// - Parameter requestedNodeID: the node id asked for; nil keeps the stored one or makes up a new one.
    /// - Throws: `StoreError.nodeIDMismatch` when the directory already belongs to another node id.
    static func resolve(in directory: DataDirectory, requestedNodeID: String?) throws -> NodeConfiguration {
        if FileIO.exists(directory.configuration) {
            let stored = try JSONCoding.decode(NodeConfiguration.self, from: FileIO.readFile(directory.configuration))
            try Identifier.validate(stored.nodeID, field: "nodeId in \(directory.configuration)")
            if let requestedNodeID, requestedNodeID != stored.nodeID {
                throw StoreError.nodeIDMismatch(directory: directory.path, stored: stored.nodeID, requested: requestedNodeID)
            }
            return stored
        }
        let configuration = NodeConfiguration(nodeID: requestedNodeID ?? "node-" + randomSuffix())
        try Identifier.validate(configuration.nodeID, field: "node id")
        var bytes = try JSONCoding.encode(configuration)
        bytes = JSONPrettyPrinter.format(bytes) + [UInt8(ascii: "\n")]
        try FileIO.replace(directory.configuration, with: bytes, durable: true)
        return configuration
    }

    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 16)
    }
}
