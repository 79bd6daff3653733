/// The stamp of one version of a document: when (HLC) and where (node id) it was written.
///
/// Versions are totally ordered by `(hlc, node)`, the node ids compared byte by byte. This order
/// is what last-writer-wins means everywhere in Boxoffice.
public struct Version: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let hlc: HLC
    public let node: String

    public init(hlc: HLC, node: String) {
        self.hlc = hlc
        self.node = node
    }

    public static func < (lhs: Version, rhs: Version) -> Bool {
        if lhs.hlc != rhs.hlc { return lhs.hlc < rhs.hlc }
        return lhs.node.utf8.lexicographicallyPrecedes(rhs.node.utf8)
    }

    /// Parses the text form `description` writes, `<16 hex digits>@<node>`; nil for anything else.
    public init?(_ text: String) {
        guard let at = text.utf8.firstIndex(of: UInt8(ascii: "@")), let hlc = HLC(text[..<at]) else { return nil }
        let node = String(text[text.index(after: at)...])
        guard !node.isEmpty else { return nil }
        self.init(hlc: hlc, node: node)
    }

    public var description: String { "\(hlc)@\(node)" }
}
