/// A small pull parser over JSON bytes. It gives what JSONDecoder cannot: the exact bytes of a
/// value (the sync wire format passes document bodies through untouched, so every node stores
/// byte-identical documents), and a few fields of a body without decoding the rest (the
/// store's lookups, kept on every write, sync and recovery).
package struct JSONScanner {
    package struct Malformed: Error, CustomStringConvertible {
        package let offset: Int
        package let expected: String
        package init(offset: Int, expected: String) {
            self.offset = offset
            self.expected = expected
        }
        package var description: String { "malformed JSON at byte \(offset): expected \(expected)" }
    }

    package let bytes: [UInt8]
    package private(set) var offset = 0

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func fail(_ expected: String) -> Malformed { Malformed(offset: offset, expected: expected) }

    private mutating func skipWhitespace() {
        while offset < bytes.count, bytes[offset] == 0x20 || bytes[offset] == 0x0A || bytes[offset] == 0x0D || bytes[offset] == 0x09 {
            offset += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws(Malformed) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else { throw fail("'\(Character(UnicodeScalar(byte)))'") }
        offset += 1
    }

    package mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    /// Reads an object, calling `field` for each key with the scanner positioned at its value;
    /// `field` must consume the value (read it, or skip it with `rawValue()`).
    package mutating func object(_ field: (String, inout JSONScanner) throws -> Void) throws {
        try members(key: { scanner throws(Malformed) in try scanner.string() }, field)
    }

    /// Reads an object as `object(_:)` does, giving each key as the position of the equal name in
    /// `names` (nil for any other key) without making it a String: a scan for a few fields of a
    /// body passes over all the others (the store reads a synced ticket's index keys this way).
    package mutating func object(matching names: [String], _ field: (Int?, inout JSONScanner) throws -> Void) throws {
        try members(key: { scanner throws(Malformed) in try scanner.key(matching: names) }, field)
    }

    private mutating func members<Key>(key: (inout JSONScanner) throws(Malformed) -> Key, _ field: (Key, inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            let key = try key(&self)
            try expect(UInt8(ascii: ":"))
            try field(key, &self)
            guard let next = peek() else { throw fail("',' or '}'") }
            offset += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw fail("',' or '}'") }
        }
    }

    /// Reads an array, calling `element` with the scanner positioned at each element.
    package mutating func array(_ element: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return
        }
        while true {
            try element(&self)
            guard let next = peek() else { throw fail("',' or ']'") }
            offset += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw fail("',' or ']'") }
        }
    }

    package mutating func string() throws(Malformed) -> String {
        try expect(UInt8(ascii: "\""))
        // Most strings have no escapes: take their bytes as they are.
        if let end = plainEnd() {
            defer { offset = end + 1 }
            return String(decoding: bytes[offset..<end], as: UTF8.self)
        }
        var out: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard offset < bytes.count else { throw fail("an escape") }
                let escaped = bytes[offset]
                offset += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = try hexQuad()
                    // A character outside the basic plane is escaped as a surrogate pair.
                    if (0xD800...0xDBFF).contains(code) {
                        guard bytes[offset...].starts(with: Array(#"\u"#.utf8)) else { throw fail("a low surrogate after a high one") }
                        offset += 2
                        let low = try hexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("a low surrogate after a high one") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("a Unicode scalar in \\uXXXX") }
                    out += Array(String(Character(scalar)).utf8)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                default: throw fail("a JSON escape")
                }
            case 0..<0x20:
                throw fail("no control characters in a string")
            default:
                out.append(byte)
            }
        }
        throw fail("closing '\"'")
    }

    /// Where the string whose contents start here ends (its closing quote), when its bytes can be
    /// taken as they are: no escapes, no control characters and, with `asciiOnly`, no non-ASCII
    /// text; nil otherwise.
    private func plainEnd(asciiOnly: Bool = false) -> Int? {
        // Through a pointer: this loop runs over every string of every body a peer sends.
        bytes.withUnsafeBufferPointer { bytes in
            var end = offset
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20,
                !asciiOnly || bytes[end] < 0x80
            {
                end += 1
            }
            return end < bytes.count && bytes[end] == UInt8(ascii: "\"") ? end : nil
        }
    }

    /// The position in `names` of the key string here. A key with escapes or non-ASCII text is
    /// read as `string()` and compared as text, as Strings compare (`é` in one or two scalars).
    private mutating func key(matching names: [String]) throws(Malformed) -> Int? {
        let start = offset
        try expect(UInt8(ascii: "\""))
        guard let end = plainEnd(asciiOnly: true) else {
            offset = start
            return names.firstIndex(of: try string())
        }
        let key = offset..<end
        offset = end + 1
        return bytes.withUnsafeBufferPointer { bytes in
            names.firstIndex { name in
                var name = name
                return name.utf8.count == key.count && name.withUTF8 { bytes.hasBytes(of: $0, at: key) }
            }
        }
    }

    /// The four hex digits of a `\\u` escape.
    private mutating func hexQuad() throws(Malformed) -> UInt32 {
        guard offset + 4 <= bytes.count, bytes[offset..<offset + 4].allSatisfy(\.isHexDigit),
            let code = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
        else {
            throw fail("\\uXXXX")
        }
        offset += 4
        return code
    }

    package mutating func unsigned() throws(Malformed) -> UInt64 {
        skipWhitespace()
        var value: UInt64 = 0
        let start = offset
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[offset] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw fail("a smaller number") }
            value = sum
            offset += 1
        }
        guard offset > start else { throw fail("a non-negative integer") }
        // JSON Schema's integers include a zero fraction (`12.0`); any other fraction is not one.
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            let zeros = offset
            while offset < bytes.count, bytes[offset] == UInt8(ascii: "0") { offset += 1 }
            guard offset > zeros, offset == bytes.count || !(UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[offset]) else {
                throw fail("a whole number")
            }
        }
        return value
    }

    package mutating func bool() throws(Malformed) -> Bool {
        skipWhitespace()
        if bytes[offset...].starts(with: Array("true".utf8)) {
            offset += 4
            return true
        }
        if bytes[offset...].starts(with: Array("false".utf8)) {
            offset += 5
            return false
        }
        throw fail("true or false")
    }

    /// Skips one value, checking its structure, and returns its exact bytes.
    package mutating func rawValue() throws(Malformed) -> ArraySlice<UInt8> {
        skipWhitespace()
        let start = offset
        var depth = 0
        repeat {
            guard let byte = peek() else { throw fail("a value") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                offset += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { throw fail("a value") }
                depth -= 1
                offset += 1
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { throw fail("a value") }
                offset += 1
            default:
                // A number, true, false or null: a run of their characters.
                let literalStart = offset
                while offset < bytes.count, Self.isLiteral(bytes[offset]) { offset += 1 }
                guard offset > literalStart else { throw fail("a value") }
            }
        } while depth > 0
        return bytes[start..<offset]
    }

    /// Skips a string, checked as `string()` checks it, without making it: most strings a scan
    /// passes over (the fields of a body it was not asked for) have no escapes.
    private mutating func skipString() throws(Malformed) {
        let start = offset
        try expect(UInt8(ascii: "\""))
        if let end = plainEnd() {
            offset = end + 1
            return
        }
        offset = start
        _ = try string()
    }

    private static func isLiteral(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "E")
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
