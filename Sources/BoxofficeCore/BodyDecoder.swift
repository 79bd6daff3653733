import Foundation

/// Decodes JSON straight from its bytes for `JSONCoding.decode`, several times faster than
/// JSONDecoder: every version a peer sends is decoded once to check that it reads, so this is on
/// the path of every synced document (bench/sync.sh).
///
/// It accepts only what JSONDecoder, configured as `JSONCoding.makeDecoder()`, reads to the same
/// value. On anything else (an escaped string, a duplicate key, an integer written as `1e3`, a
/// URL or Data, a missing key, a wrong type) it gives up, and `JSONCoding.decode` asks
/// JSONDecoder, whose value or error stands. Giving up is sticky: a type that catches an error
/// (`try?`) and goes on still ends in JSONDecoder, so no value depends on how this reader failed.
/// Coding paths are always empty: errors are never reported from here.
struct BodyDecoder {
    struct GaveUp: Error {}

    /// The value, or nil when this reader gave up.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> T? {
        let source = Source(bytes)
        let start = source.skipWhitespace(0)
        guard let value = try? source.decode(type, at: start) else { return nil }
        // Invariant: what is accepted is one whole JSON text, read without giving up anywhere.
        guard !source.gaveUp, let end = try? source.end(ofValueAt: start), source.skipWhitespace(end) == bytes.count else { return nil }
        return value
    }

    /// The bytes being read, and whether the reader gave up anywhere in them.
    final class Source {
        struct Member {
            /// The key's bytes, between its quotes.
            let key: Range<Int>
            /// Where the value starts.
            let value: Int
        }

        let bytes: [UInt8]
        private(set) var gaveUp = false
        /// Containers open in the scan now. Deeper JSON is left to JSONDecoder, which reads it
        /// without recursion and has limits of its own (a peer's body must not exhaust the stack).
        private var depth = 0
        static let maxDepth = 64
        /// Keys are compared one by one: an object with more is left to JSONDecoder, which hashes.
        static let maxMembers = 64
        /// The end of the value at each offset where a container was read: the top-level one
        /// is then not read twice to find where it ends.
        private var ends: (start: Int, end: Int) = (-1, -1)

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        func giveUp() -> GaveUp {
            gaveUp = true
            return GaveUp()
        }

        func skipWhitespace(_ offset: Int) -> Int {
            var i = offset
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
            return i
        }

        // MARK: Structure

        /// The members of the object at `start`, every value checked to be well-formed JSON.
        func members(at start: Int) throws(GaveUp) -> [Member] {
            var members: [Member] = []
            members.reserveCapacity(16)
            try walk(start, open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) { i throws(GaveUp) in
                let key = try plainString(at: i)
                // JSONDecoder compares keys as Unicode text, this reader as bytes: they agree on ASCII.
                guard bytes[key].allSatisfy({ $0 < 0x80 }) else { throw giveUp() }
                // JSONDecoder and this reader might pick different ones of duplicate keys.
                for member in members where bytes[member.key].elementsEqual(bytes[key]) { throw giveUp() }
                let colon = skipWhitespace(key.upperBound + 1)
                guard colon < bytes.count, bytes[colon] == UInt8(ascii: ":"), members.count < Self.maxMembers else { throw giveUp() }
                let value = skipWhitespace(colon + 1)
                members.append(Member(key: key, value: value))
                return value
            }
            return members
        }

        /// Where each element of the array at `start` begins, every element checked.
        func elements(at start: Int) throws(GaveUp) -> [Int] {
            var elements: [Int] = []
            try walk(start, open: UInt8(ascii: "["), close: UInt8(ascii: "]")) { i throws(GaveUp) in
                elements.append(i)
                return i
            }
            return elements
        }

        /// Reads the container at `start` from `open` to `close`, checking every value: `item`
        /// reads what stands before one (an object's key) and returns where the value starts.
        private func walk(_ start: Int, open: UInt8, close: UInt8, item: (Int) throws(GaveUp) -> Int) throws(GaveUp) {
            guard start < bytes.count, bytes[start] == open, depth < Self.maxDepth else { throw giveUp() }
            depth += 1
            defer { depth -= 1 }
            var i = skipWhitespace(start + 1)
            if i < bytes.count, bytes[i] == close {
                ends = (start, i + 1)
                return
            }
            while true {
                i = skipWhitespace(try end(ofValueAt: try item(i)))
                guard i < bytes.count else { throw giveUp() }
                if bytes[i] == close {
                    ends = (start, i + 1)
                    return
                }
                guard bytes[i] == UInt8(ascii: ",") else { throw giveUp() }
                i = skipWhitespace(i + 1)
            }
        }

        /// Where the well-formed JSON value at `start` ends.
        func end(ofValueAt start: Int) throws(GaveUp) -> Int {
            if ends.start == start { return ends.end }
            guard start < bytes.count else { throw giveUp() }
            switch bytes[start] {
            case UInt8(ascii: "{"):
                _ = try members(at: start)
                return ends.end
            case UInt8(ascii: "["):
                _ = try elements(at: start)
                return ends.end
            case UInt8(ascii: "\""): return try plainString(at: start).upperBound + 1
            case UInt8(ascii: "t"): return try literal("true", at: start)
            case UInt8(ascii: "f"): return try literal("false", at: start)
            case UInt8(ascii: "n"): return try literal("null", at: start)
            default: return try number(at: start).upperBound
            }
        }

        private func literal(_ word: StaticString, at start: Int) throws(GaveUp) -> Int {
            guard matches(word, at: start) else { throw giveUp() }
            return start + word.utf8CodeUnitCount
        }

        /// Whether `word` is at `start`: a look that gives nothing up.
        private func matches(_ word: StaticString, at start: Int) -> Bool {
            let end = start + word.utf8CodeUnitCount
            return end <= bytes.count && bytes[start..<end].elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
        }

        /// The contents of the string at `start`, between its quotes: valid UTF-8 without escapes
        /// or control characters (a string with escapes is left to JSONDecoder).
        private func plainString(at start: Int) throws(GaveUp) -> Range<Int> {
            guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { throw giveUp() }
            // Through a pointer: this loop runs over every string of every body a peer sends.
            let (end, highBits) = bytes.withUnsafeBufferPointer { bytes in
                var i = start + 1
                var highBits: UInt8 = 0
                while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 {
                    highBits |= bytes[i]
                    i += 1
                }
                return (i, highBits)
            }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { throw giveUp() }
            if highBits >= 0x80, String(validating: bytes[start + 1..<end], as: UTF8.self) == nil { throw giveUp() }
            return start + 1..<end
        }

        /// The number at `start` by JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        private func number(at start: Int) throws(GaveUp) -> Range<Int> {
            var i = start
            func digits() throws(GaveUp) {
                let first = i
                while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
                guard i > first else { throw giveUp() }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            if i < bytes.count, bytes[i] == UInt8(ascii: "0") { i += 1 } else { try digits() }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                try digits()
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                try digits()
            }
            return start..<i
        }

        // MARK: Values

        func key(_ member: Member) -> String { String(decoding: bytes[member.key], as: UTF8.self) }

        func isNull(at start: Int) -> Bool { matches("null", at: start) }

        func string(at start: Int) throws(GaveUp) -> String {
            String(decoding: bytes[try plainString(at: start)], as: UTF8.self)
        }

        func bool(at start: Int) throws(GaveUp) -> Bool {
            if matches("true", at: start) { return true }
            if matches("false", at: start) { return false }
            throw giveUp()
        }

        /// An integer written as plain digits; `1.0` and `1e3` are left to JSONDecoder.
        func integer<T: FixedWidthInteger>(_ type: T.Type, at start: Int) throws(GaveUp) -> T {
            let range = try number(at: start)
            guard !bytes[range].contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }),
                let value = T(String(decoding: bytes[range], as: UTF8.self))
            else { throw giveUp() }
            return value
        }

        func double(at start: Int) throws(GaveUp) -> Double {
            let range = try number(at: start)
            guard let value = Double(String(decoding: bytes[range], as: UTF8.self)), value.isFinite else { throw giveUp() }
            // Text such as 1e-400 reads as 0 here; JSONDecoder refuses a zero that was not written as one.
            let mantissa = bytes[range].prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            if value == 0, mantissa.contains(where: { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) }) { throw giveUp() }
            return value
        }

        /// A decimal written without an exponent, in at most 18 digits: exact in `Decimal`, read
        /// from the same text JSONDecoder reads it from.
        func decimal(at start: Int) throws(GaveUp) -> Decimal {
            let range = try number(at: start)
            let digits = bytes[range].count { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            // A whole number (most prices) is made from its digits: parsing its text took a tenth of a ticket's reading.
            if digits == range.count, digits <= 18 {
                return Decimal(bytes[range].reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) })
            }
            guard digits <= 18, !bytes[range].contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }),
                let value = Decimal(string: String(decoding: bytes[range], as: UTF8.self), locale: nil)
            else { throw giveUp() }
            return value
        }

        /// Any value: the types JSONDecoder reads in its own way first, then the type's own decoding.
        func decode<T: Decodable>(_ type: T.Type, at start: Int) throws -> T {
            if T.self == String.self { return try string(at: start) as! T }
            if T.self == Int.self { return try integer(Int.self, at: start) as! T }
            if T.self == Bool.self { return try bool(at: start) as! T }
            if T.self == Date.self {
                // As `JSONCoding.makeDecoder()`'s date strategy reads it.
                guard let date = RFC3339.date(from: try string(at: start)) else { throw giveUp() }
                return date as! T
            }
            if T.self == Decimal.self { return try decimal(at: start) as! T }
            if T.self == Double.self { return try double(at: start) as! T }
            // JSONDecoder reads these in ways of its own; so does it for floats' edge cases.
            if T.self == URL.self || T.self == Data.self || T.self == Float.self { throw giveUp() }
            return try T(from: ValueDecoder(source: self, start: start))
        }
    }

    struct ValueDecoder: Decoder {
        let source: Source
        let start: Int
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(source: source, members: try source.members(at: start)))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            Unkeyed(source: source, elements: try source.elements(at: start))
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            Single(source: source, start: start)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let source: Source
        let members: [Source.Member]
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { members.compactMap { Key(stringValue: source.key($0)) } }

        func contains(_ key: Key) -> Bool { find(key) != nil }

        private func find(_ key: Key) -> Int? {
            var name = key.stringValue
            return name.withUTF8 { name in
                source.bytes.withUnsafeBufferPointer { bytes in members.first { bytes.hasBytes(of: name, at: $0.key) }?.value }
            }
        }

        private func value(_ key: Key) throws(GaveUp) -> Int {
            guard let start = find(key) else { throw source.giveUp() }
            return start
        }

        /// An optional member: absent or null is nil, as JSONDecoder has it, found with one lookup
        /// (the protocol's default looks three times, for every optional field of every body).
        private func optional<T>(_ key: Key, _ read: (Int) throws -> T) throws -> T? {
            guard let start = find(key), !source.isNull(at: start) else { return nil }
            return try read(start)
        }

        func decodeNil(forKey key: Key) throws -> Bool { source.isNull(at: try value(key)) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(key) { try source.string(at: $0) } }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(key) { try source.bool(at: $0) } }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(key) { try source.integer(type, at: $0) } }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(key) { try source.double(at: $0) } }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(key) { try source.decode(type, at: $0) } }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try source.bool(at: value(key)) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try source.string(at: value(key)) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try source.double(at: value(key)) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw source.giveUp() }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try source.integer(type, at: value(key)) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try source.integer(type, at: value(key)) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try source.integer(type, at: value(key)) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try source.integer(type, at: value(key)) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try source.integer(type, at: value(key)) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try source.integer(type, at: value(key)) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try source.integer(type, at: value(key)) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try source.integer(type, at: value(key)) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try source.integer(type, at: value(key)) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try source.integer(type, at: value(key)) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try source.decode(type, at: value(key)) }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try ValueDecoder(source: source, start: value(key)).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try ValueDecoder(source: source, start: value(key)).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { throw source.giveUp() }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw source.giveUp() }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let source: Source
        let elements: [Int]
        var codingPath: [any CodingKey] { [] }
        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }
        private(set) var currentIndex = 0

        init(source: Source, elements: [Int]) {
            self.source = source
            self.elements = elements
        }

        /// Reads the current element with `read` and moves past it only when that succeeded, as
        /// JSONDecoder does (a type may catch the error and read the element again otherwise).
        private mutating func next<T>(_ read: (Source, Int) throws -> T) throws -> T {
            guard !isAtEnd else { throw source.giveUp() }
            let value = try read(source, elements[currentIndex])
            currentIndex += 1
            return value
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else { throw source.giveUp() }
            guard source.isNull(at: elements[currentIndex]) else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode(_ type: Bool.Type) throws -> Bool { try next { try $0.bool(at: $1) } }
        mutating func decode(_ type: String.Type) throws -> String { try next { try $0.string(at: $1) } }
        mutating func decode(_ type: Double.Type) throws -> Double { try next { try $0.double(at: $1) } }
        mutating func decode(_ type: Float.Type) throws -> Float { throw source.giveUp() }
        mutating func decode(_ type: Int.Type) throws -> Int { try next { try $0.integer(type, at: $1) } }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try next { try $0.integer(type, at: $1) } }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try next { try $0.integer(type, at: $1) } }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try next { try $0.integer(type, at: $1) } }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try next { try $0.integer(type, at: $1) } }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try next { try $0.integer(type, at: $1) } }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next { try $0.integer(type, at: $1) } }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next { try $0.integer(type, at: $1) } }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next { try $0.integer(type, at: $1) } }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next { try $0.integer(type, at: $1) } }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next { try $0.decode(type, at: $1) } }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try next { try ValueDecoder(source: $0, start: $1).container(keyedBy: type) }
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try next { try ValueDecoder(source: $0, start: $1).unkeyedContainer() }
        }

        mutating func superDecoder() throws -> any Decoder { throw source.giveUp() }
    }

    struct Single: SingleValueDecodingContainer {
        let source: Source
        let start: Int
        var codingPath: [any CodingKey] { [] }

        func decodeNil() -> Bool { source.isNull(at: start) }
        func decode(_ type: Bool.Type) throws -> Bool { try source.bool(at: start) }
        func decode(_ type: String.Type) throws -> String { try source.string(at: start) }
        func decode(_ type: Double.Type) throws -> Double { try source.double(at: start) }
        func decode(_ type: Float.Type) throws -> Float { throw source.giveUp() }
        func decode(_ type: Int.Type) throws -> Int { try source.integer(type, at: start) }
        func decode(_ type: Int8.Type) throws -> Int8 { try source.integer(type, at: start) }
        func decode(_ type: Int16.Type) throws -> Int16 { try source.integer(type, at: start) }
        func decode(_ type: Int32.Type) throws -> Int32 { try source.integer(type, at: start) }
        func decode(_ type: Int64.Type) throws -> Int64 { try source.integer(type, at: start) }
        func decode(_ type: UInt.Type) throws -> UInt { try source.integer(type, at: start) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try source.integer(type, at: start) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try source.integer(type, at: start) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try source.integer(type, at: start) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try source.integer(type, at: start) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try source.decode(type, at: start) }
    }
}
