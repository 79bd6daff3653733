/// A hybrid-logical-clock timestamp: 48 bits of wall-clock milliseconds since the Unix epoch
/// followed by a 16-bit logical counter, packed so that integer order is causal order.
///
/// Its text form is exactly 16 lowercase hex digits, so that text order is the same order.
public struct HLC: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public static let zero = HLC(rawValue: 0)
    /// The largest wall-clock value the 48-bit field holds (the year 10889).
    public static let maxWallMillis: UInt64 = (1 << 48) - 1

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public init(wallMillis: UInt64, counter: UInt16) {
        precondition(wallMillis <= Self.maxWallMillis, "HLC wall clock out of range")
        self.rawValue = wallMillis << 16 | UInt64(counter)
    }

    /// Parses the 16-hex-digit text form; nil for anything else. It reads every version a peer
    /// sends, so it is written out for `String` rather than left generic.
    public init?(_ text: String) {
        guard text.utf8.count == 16 else { return nil }
        var value: UInt64 = 0
        for byte in text.utf8 {
            guard let digit = Self.lowerHexValue(byte) else { return nil }
            value = value << 4 | digit
        }
        self.rawValue = value
    }

    public init?(_ text: Substring) {
        self.init(String(text))
    }

    public var wallMillis: UInt64 { rawValue >> 16 }
    public var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    /// The next timestamp after this one; a full counter borrows the next millisecond.
    public var successor: HLC {
        counter == .max ? HLC(wallMillis: wallMillis + 1, counter: 0) : HLC(rawValue: rawValue + 1)
    }

    public var description: String {
        let hex = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - hex.utf8.count) + hex
    }

    public static func < (lhs: HLC, rhs: HLC) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func lowerHexValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
        default: nil
        }
    }
}

/// In JSON bodies an HLC is its 16-hex-digit text, so bodies stay readable and sort as text.
extension HLC: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let hlc = HLC(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an HLC is 16 lowercase hex digits, not \(text)")
        }
        self = hlc
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
