package import Foundation

/// A document body: one JSON object held as compact, canonical bytes (keys sorted, no
/// insignificant white space), exactly as it is journaled, synced and compared.
public struct JSONBody: Hashable, Sendable {
    public let bytes: [UInt8]

    public static let emptyObject = JSONBody(unchecked: Array("{}".utf8))

    /// Wraps bytes that are already canonical JSON, such as a body read back from the journal.
    public init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Encodes `value` with the one Boxoffice JSON configuration.
    /// - Throws: `DocumentError.bodyNotAnObject` when `value` does not encode to a JSON object.
    public init(encoding value: some Encodable) throws {
        let bytes = try JSONCoding.encode(value)
        guard bytes.first == UInt8(ascii: "{") else { throw DocumentError.bodyNotAnObject }
        self.bytes = bytes
    }

    /// Decodes the body as `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONCoding.decode(type, from: bytes)
    }
}

/// The single JSON configuration of Boxoffice: sorted keys and ISO 8601 dates (fractional
/// seconds accepted on input), so that equal values always encode to equal bytes on every node.
package enum JSONCoding {
    package static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    package static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 date such as 2026-12-31T20:00:00Z")
            }
            return date
        }
        return decoder
    }

    /// ISO 8601 with a time zone, with or without fractional seconds.
    package static func parseDate(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    package static func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try makeEncoder().encode(value))
    }

    package static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try makeDecoder().decode(type, from: Data(bytes))
    }
}
