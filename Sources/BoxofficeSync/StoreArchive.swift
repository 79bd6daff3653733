public import BoxofficeCore
public import BoxofficeStore
import Foundation

/// The file `boxoffice store export` writes and `store import` reads: a whole node, to move it
/// to another store (a file-store hub onto PostgreSQL) as the same node.
///
///     line 1:   {"format":"boxoffice-export/1","node":{"configuration":{…},"key":"<base64>","lastSeq":<n>}}
///     then:     {"seq":<n>,"document":<document as in sync-spec.md section 1>}   one per current version, in feed order
///     last:     {"end":{"documents":<count>}}   (a file without it was cut short, and is refused)
///
/// The first line holds the cluster secret and the node's private key: the file is written
/// readable by its owner only.
public enum StoreArchive {
    public static let format = "boxoffice-export/1"

    /// Who the node is: everything a store needs to go on as the same node.
    public struct Node: Codable, Sendable {
        public var configuration: NodeConfiguration
        /// The node's private key in its stored form (`NodeKey.encodedPrivateKey`).
        public var key: String
        /// The last feed position the node had used: the new store goes on after it.
        public var lastSeq: UInt64

        public init(configuration: NodeConfiguration, key: String, lastSeq: UInt64) {
            self.configuration = configuration
            self.key = key
            self.lastSeq = lastSeq
        }
    }

    private struct Header: Codable {
        var format: String
        var node: Node
    }

    public static func header(_ node: Node) throws -> [UInt8] {
        try JSONCoding.encode(Header(format: format, node: node)) + [UInt8(ascii: "\n")]
    }

    /// One version at its feed position, as a line.
    public static func line(_ entry: SequencedDocument) -> [UInt8] {
        Array(#"{"seq":"#.utf8) + Array(String(entry.seq).utf8) + Array(#","document":"#.utf8) + DocumentJSON.compact(entry.document)
            + Array("}\n".utf8)
    }

    /// The last line, after `documents` versions.
    public static func trailer(documents: Int) -> [UInt8] {
        Array(#"{"end":{"documents":\#(documents)}}"#.utf8) + [UInt8(ascii: "\n")]
    }

    /// The count of versions a trailer line gives; nil for any other line.
    public static func documents(fromTrailer bytes: [UInt8]) -> Int? {
        struct Trailer: Decodable {
            struct End: Decodable { var documents: Int }
            var end: End
        }
        guard bytes.starts(with: Array(#"{"end""#.utf8)) else { return nil }
        return (try? JSONCoding.decode(Trailer.self, from: bytes))?.end.documents
    }

    /// The node of a header line.
    /// - Throws: `StoreError.unknownFile` for anything but a header of this format.
    public static func node(fromHeader bytes: [UInt8], path: String) throws -> Node {
        guard let header = try? JSONCoding.decode(Header.self, from: bytes), header.format == format else {
            throw StoreError.unknownFile(path: path)
        }
        return header.node
    }

    /// The version of a line.
    public static func entry(fromLine bytes: [UInt8]) throws -> SequencedDocument {
        var seq: UInt64?
        var document: Document?
        var scanner = JSONScanner(bytes)
        try scanner.object { key, value in
            switch key {
            case "seq": seq = try value.unsigned()
            case "document": document = try SyncWire.decodeDocument(Array(value.rawValue()))
            default: _ = try value.rawValue()
            }
        }
        guard let seq, let document else { throw JSONScanner.Malformed(offset: scanner.offset, expected: "seq and document on every line") }
        return SequencedDocument(seq: seq, document: document)
    }
}
