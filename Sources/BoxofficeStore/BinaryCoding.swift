/// Little-endian writer for the journal and snapshot formats.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }

    /// A u16 length and UTF-8 bytes; only for identifiers, which are at most 64 bytes.
    mutating func shortString(_ value: String) {
        u16(UInt16(value.utf8.count))
        bytes += value.utf8
    }

    /// A u32 length and the bytes.
    mutating func blob(_ value: [UInt8]) {
        u32(UInt32(value.count))
        bytes += value
    }
}

/// Reads what `BinaryWriter` wrote; every read is bounds-checked and throws `Truncated`.
struct BinaryReader {
    struct Truncated: Error {}

    let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var remaining: Int { buffer.count - offset }

    mutating func u8() throws(Truncated) -> UInt8 { try load(UInt8.self) }
    mutating func u16() throws(Truncated) -> UInt16 { UInt16(littleEndian: try load(UInt16.self)) }
    mutating func u32() throws(Truncated) -> UInt32 { UInt32(littleEndian: try load(UInt32.self)) }
    mutating func u64() throws(Truncated) -> UInt64 { UInt64(littleEndian: try load(UInt64.self)) }

    mutating func shortString() throws(Truncated) -> String {
        let count = Int(try u16())
        return String(decoding: try take(count), as: UTF8.self)
    }

    mutating func blob() throws(Truncated) -> [UInt8] {
        let count = Int(try u32())
        return Array(try take(count))
    }

    mutating func take(_ count: Int) throws(Truncated) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else { throw Truncated() }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    private mutating func load<T: FixedWidthInteger>(_ type: T.Type) throws(Truncated) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw Truncated() }
        defer { offset += size }
        return buffer.loadUnaligned(fromByteOffset: offset, as: T.self)
    }
}
