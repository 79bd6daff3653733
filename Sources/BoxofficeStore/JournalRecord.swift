public import BoxofficeCore

/// A document version together with the local sequence number the store gave it.
public struct SequencedDocument: Sendable, Hashable {
    public let seq: UInt64
    public let document: Document

    public init(seq: UInt64, document: Document) {
        self.seq = seq
        self.document = document
    }
}

/// The framing and encoding shared by journal segments and snapshots, after their `FileHeader`.
///
///     frame   := u32 payloadLength | u32 crc32(payloadLength ‖ payload) | payload   (little-endian;
///                format 1 checksummed the payload alone)
///     payload := u8 kind | body
///     kind 1  := u32 count | entry × count          one atomic write of `count` versions
///     kind 2  := u64 lastSeq | u64 documentCount     snapshot trailer
///     entry   := u64 seq | u8 flags (bit 0: deleted) | str collection | str id | version
///                | u16 historyCount | version × historyCount | u32 bodyLength | body (canonical JSON)
///     version := u64 hlc | str node          str := u16 length | UTF-8 bytes
enum JournalRecord {
    static let headerSize = 8
    /// Larger lengths can only be damage: the biggest legal write is a 4 MiB sync batch.
    static let maxPayloadSize = 64 << 20

    enum Payload {
        case versions([SequencedDocument])
        case snapshotTrailer(lastSeq: UInt64, documentCount: UInt64)
    }

    enum Scan {
        case record(Payload, end: Int)
        /// The frame runs past the end of the bytes: a write that never finished.
        case torn
        /// A length out of range, a checksum mismatch, or a payload that does not decode.
        case corrupt
    }

    static func frame(_ payload: Payload) -> [UInt8] {
        var body = BinaryWriter()
        switch payload {
        case let .versions(entries):
            body.u8(1)
            body.u32(UInt32(entries.count))
            for entry in entries { encode(entry, into: &body) }
        case let .snapshotTrailer(lastSeq, documentCount):
            body.u8(2)
            body.u64(lastSeq)
            body.u64(documentCount)
        }
        var framed = BinaryWriter()
        framed.bytes.reserveCapacity(body.bytes.count + headerSize)
        framed.u32(UInt32(body.bytes.count))
        let sum = framed.bytes.withUnsafeBytes { length in body.bytes.withUnsafeBytes { checksum(length: length, payload: $0) } }
        framed.u32(sum)
        framed.bytes += body.bytes
        return framed.bytes
    }

    /// Format 2's checksum: the length's four bytes, then the payload, so a damaged length is
    /// caught by the checksum too (as PostgreSQL's WAL record CRC covers its header).
    private static func checksum(length: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) -> UInt32 {
        CRC32.checksum(payload, seed: CRC32.checksum(length))
    }

    /// Reads the frame that starts at `offset` of a file in `format`.
    static func scan(_ buffer: UnsafeRawBufferPointer, at offset: Int, format: UInt32) -> Scan {
        var header = BinaryReader(buffer, offset: offset)
        guard let length = try? header.u32(), let checksum = try? header.u32() else { return .torn }
        guard Int(length) >= 1, Int(length) <= maxPayloadSize else { return .corrupt }
        guard let payload = try? header.take(Int(length)) else { return .torn }
        let expected =
            format == 1
            ? CRC32.checksum(payload) : Self.checksum(length: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 4]), payload: payload)
        guard expected == checksum, let decoded = try? decode(payload) else { return .corrupt }
        return .record(decoded, end: header.offset)
    }

    private static func decode(_ payload: UnsafeRawBufferPointer) throws(BinaryReader.Truncated) -> Payload {
        var reader = BinaryReader(payload)
        switch try reader.u8() {
        case 1:
            let count = Int(try reader.u32())
            var entries: [SequencedDocument] = []
            entries.reserveCapacity(min(count, 100_000))
            for _ in 0..<count { entries.append(try decodeEntry(&reader)) }
            guard reader.remaining == 0 else { throw .init() }
            return .versions(entries)
        case 2:
            return .snapshotTrailer(lastSeq: try reader.u64(), documentCount: try reader.u64())
        default:
            throw .init()
        }
    }

    private static func encode(_ entry: SequencedDocument, into writer: inout BinaryWriter) {
        let document = entry.document
        writer.u64(entry.seq)
        writer.u8(document.deleted ? 1 : 0)
        writer.shortString(document.collection)
        writer.shortString(document.id)
        encode(document.version, into: &writer)
        writer.u16(UInt16(document.history.count))
        for version in document.history { encode(version, into: &writer) }
        writer.blob(document.body.bytes)
    }

    private static func encode(_ version: Version, into writer: inout BinaryWriter) {
        writer.u64(version.hlc.rawValue)
        writer.shortString(version.node)
    }

    private static func decodeEntry(_ reader: inout BinaryReader) throws(BinaryReader.Truncated) -> SequencedDocument {
        let seq = try reader.u64()
        let flags = try reader.u8()
        let collection = try reader.shortString()
        let id = try reader.shortString()
        let version = try decodeVersion(&reader)
        let historyCount = Int(try reader.u16())
        var history: [Version] = []
        history.reserveCapacity(historyCount)
        for _ in 0..<historyCount { history.append(try decodeVersion(&reader)) }
        let body = JSONBody(unchecked: try reader.blob())
        let document = Document(
            collection: collection,
            id: id,
            version: version,
            history: history,
            deleted: flags & 1 != 0,
            body: body
        )
        return SequencedDocument(seq: seq, document: document)
    }

    private static func decodeVersion(_ reader: inout BinaryReader) throws(BinaryReader.Truncated) -> Version {
        Version(hlc: HLC(rawValue: try reader.u64()), node: try reader.shortString())
    }
}
