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

    /// Each top-level field as text: strings as they are, other values as sorted compact JSON, so
    /// equal values give equal text (for showing and comparing two versions of a document).
    public func fieldTexts() -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return [:] }
        return object.mapValues { value in
            if let text = value as? String { return text }
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// The top-level string fields named in `keys`, read without decoding the rest of the body:
    /// what the store's lookups file a document under. A field that is absent or not a string is
    /// left out; a body that does not parse gives none (never some of them).
    public func strings(_ keys: [String]) -> Fields {
        scan(for: keys, stoppingEarly: false)
    }

    /// The top-level string field `key` of a body known to parse (a stored body of a collection
    /// whose versions are checked on arrival): reading stops at the field.
    public func string(_ key: String) -> String? {
        scan(for: [key], stoppingEarly: true)[key]
    }

    private struct FoundAll: Error {}

    private func scan(for keys: [String], stoppingEarly: Bool) -> Fields {
        var found = Fields()
        found.pairs.reserveCapacity(keys.count)
        var scanner = JSONScanner(bytes)
        do {
            try scanner.object(matching: keys) { position, value in
                if let position, value.peek() == UInt8(ascii: "\"") {
                    found.pairs.append((keys[position], try value.string()))
                    if stoppingEarly && found.pairs.count == keys.count { throw FoundAll() }
                } else {
                    _ = try value.rawValue()
                }
            }
        } catch is FoundAll {
            return found
        } catch {
            return Fields()
        }
        return found
    }

    /// A few named string fields of a body. A list rather than a dictionary: it is made for
    /// every version the store files, and holds a handful of names.
    public struct Fields: Equatable, Sendable, ExpressibleByDictionaryLiteral {
        fileprivate var pairs: [(name: String, value: String)] = []

        public init(dictionaryLiteral elements: (String, String)...) {
            pairs = elements
        }

        public init(_ fields: [String: String]) {
            pairs = fields.map { ($0.key, $0.value) }
        }

        public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

        public static func == (lhs: Fields, rhs: Fields) -> Bool {
            Dictionary(lhs.pairs, uniquingKeysWith: { first, _ in first }) == Dictionary(rhs.pairs, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Decodes the body as `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONCoding.decode(type, from: bytes)
    }
}

/// The single JSON configuration of Boxoffice: sorted keys and ISO 8601 dates (fractional
/// seconds accepted on input), so that equal values always encode to equal bytes on every node.
///
/// Each call makes its own encoder or decoder: one shared by all requests measured 13 % slower on
/// `POST /tickets` (bench/api.sh's node, three alternating runs).
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
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "expected an RFC 3339 date-time such as 2026-12-31T20:00:00Z"
                )
            }
            return date
        }
        return decoder
    }

    package static func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try makeEncoder().encode(value))
    }

    package static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        // The fast reader answers most bodies; what it gives up on, JSONDecoder decides and words.
        if let value = BodyDecoder.decode(type, from: bytes) { return value }
        return try makeDecoder().decode(type, from: Data(bytes))
    }
}
