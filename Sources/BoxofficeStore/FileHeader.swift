/// The head of every journal segment and snapshot: what the file is and which format it is in,
/// as SQLite's WAL header says both.
///
///     header := magic (8 bytes) | u32 format (little-endian) | u32 0 (reserved)
///
/// Format 1 (Boxoffice 0.3 and before) had no header: a file that does not start with a magic
/// number is read as format 1, whose first bytes are a frame length far below any magic's value.
/// Format 2 frames checksum their length as well as their payload (`JournalRecord`).
public struct FileHeader: Equatable, Sendable {
    enum Kind {
        case segment
        case snapshot

        var magic: [UInt8] {
            switch self {
            case .segment: Array("BOXJRNL\n".utf8)
            case .snapshot: Array("BOXSNAP\n".utf8)
            }
        }
    }

    /// The format this build writes; it reads every format up to it.
    public static let currentFormat: UInt32 = 2
    static let size = 16

    let format: UInt32
    /// Where the first frame starts.
    var framesStart: Int { format == 1 ? 0 : Self.size }

    /// The header of a new file of `kind` in the current format.
    static func bytes(for kind: Kind) -> [UInt8] {
        var writer = BinaryWriter()
        writer.bytes += kind.magic
        writer.u32(currentFormat)
        writer.u32(0)
        return writer.bytes
    }

    /// Reads the header of the file at `path`, a `kind` of file whose bytes are `bytes`.
    /// - Throws: `StoreError.newerFormat` for a format this build does not know, and
    ///   `.unknownFile` for a file of another kind or a damaged header.
    static func read(_ bytes: [UInt8], kind: Kind, path: String) throws(StoreError) -> FileHeader {
        let magics = [Kind.segment.magic, Kind.snapshot.magic]
        let head = Array(bytes.prefix(8))
        guard magics.contains(head) else { return FileHeader(format: 1) }
        guard head == kind.magic else { throw .unknownFile(path: path) }
        // A header cut short by a crash: a file with nothing in it yet.
        guard bytes.count >= size else { return FileHeader(format: currentFormat) }
        let format = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
        if format > currentFormat { throw .newerFormat(path: path, format: format, supported: currentFormat) }
        guard format == currentFormat else { throw .unknownFile(path: path) }
        return FileHeader(format: format)
    }
}
