/// Where each frame of a journal segment starts (after its 16-byte header: `BOXJRNL\n`, format,
/// reserved; each frame `u32 length | u32 crc32 | payload`, little-endian), for tests that damage
/// one frame on purpose.
public func journalFrameOffsets(_ segment: [UInt8]) -> [Int] {
    var offsets: [Int] = []
    var offset = segment.starts(with: Array("BOXJRNL\n".utf8)) ? 16 : 0
    while offset + 8 <= segment.count {
        offsets.append(offset)
        let length = segment[offset..<offset + 4].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        offset += 8 + length
    }
    return offsets
}
