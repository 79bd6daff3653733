import Logging

/// Damage that recovery found in the journal.
public struct JournalDamage: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// An unfinished frame at the very end of the journal, from a write cut short by a
        /// crash. It was never acknowledged; recovery cuts it off.
        case tornTail
        /// A frame whose checksum fails with valid frames after it: the disk changed bytes that
        /// were once written correctly. Recovery keeps every valid frame after it and reports it.
        case damaged
    }

    public let kind: Kind
    public let segment: String
    public let offset: Int
    public let length: Int
    /// Sequence numbers the damaged bytes may have held, when any are missing.
    public let missingSeqs: ClosedRange<UInt64>?

    public var description: String {
        let place = "\(segment) at byte \(offset) (\(length) bytes)"
        switch kind {
        case .tornTail:
            return "cut an unfinished write from the end of the journal: \(place)"
        case .damaged:
            let lost = missingSeqs.map { "; versions \($0.lowerBound)–\($0.upperBound) are lost here, sync from a peer restores them" } ?? ""
            return "damaged journal frame refused by its checksum: \(place)\(lost)"
        }
    }
}

extension Journal {
    struct Replay {
        /// The last segment and its valid length, where new frames go.
        var tail: (path: String, size: Int)?
        var lastSeq: UInt64
        var frames = 0
        var segments = 0
        /// Segments in an older format than this build writes (read, never appended to).
        var olderFormatSegments = 0
        var damage: [JournalDamage] = []
    }

    /// Reads every segment in order and hands each version after `snapshotSeq` to `apply`.
    /// Never stops at damage: see `JournalDamage.Kind` for what it does with each kind.
    static func replay(
        directory: String,
        after snapshotSeq: UInt64,
        logger: Logger,
        apply: (SequencedDocument) -> Void
    ) throws(StoreError) -> Replay {
        let firstSeqs = try DataDirectory.sequenceFiles(in: directory, suffix: ".log")
        var replay = Replay(lastSeq: snapshotSeq)
        replay.segments = firstSeqs.count
        for (position, firstSeq) in firstSeqs.enumerated() {
            let path = directory + "/" + DataDirectory.sequenceName(firstSeq, suffix: ".log")
            let isLast = position == firstSeqs.count - 1
            let nextFirstSeq = isLast ? nil : firstSeqs[position + 1]
            let bytes = try FileIO.readFile(path)
            var validEnd = bytes.count
            let header = try FileHeader.read(bytes, kind: .segment, path: path)
            if header.format < FileHeader.currentFormat { replay.olderFormatSegments += 1 }
            let format = header.format
            let framesBefore = replay.frames
            bytes.withUnsafeBytes { buffer in
                var offset = header.framesStart
                while offset < buffer.count {
                    if case let .record(.versions(entries), end) = JournalRecord.scan(buffer, at: offset, format: format) {
                        for entry in entries where entry.seq > snapshotSeq { apply(entry) }
                        replay.lastSeq = max(replay.lastSeq, entries.last?.seq ?? 0)
                        replay.frames += 1
                        offset = end
                        continue
                    }
                    if let next = resynchronize(buffer, from: offset, after: replay.lastSeq, format: format) {
                        let damage = JournalDamage(
                            kind: .damaged,
                            segment: path,
                            offset: offset,
                            length: next.offset - offset,
                            missingSeqs: gap(after: replay.lastSeq, before: next.firstSeq)
                        )
                        logger.error("\(damage)")
                        replay.damage.append(damage)
                        offset = next.offset
                    } else if isLast {
                        let damage = JournalDamage(
                            kind: .tornTail,
                            segment: path,
                            offset: offset,
                            length: buffer.count - offset,
                            missingSeqs: nil
                        )
                        logger.warning("\(damage)")
                        replay.damage.append(damage)
                        validEnd = offset
                        offset = buffer.count
                    } else {
                        let damage = JournalDamage(
                            kind: .damaged,
                            segment: path,
                            offset: offset,
                            length: buffer.count - offset,
                            missingSeqs: gap(after: replay.lastSeq, before: nextFirstSeq!)
                        )
                        logger.error("\(damage)")
                        replay.damage.append(damage)
                        offset = buffer.count
                    }
                }
            }
            if isLast {
                // Invariant: new frames are appended right after the last valid one, never after garbage.
                if validEnd < bytes.count { try FileIO.truncate(path, to: validEnd) }
                // Invariant: frames are appended only to a segment of the format they are written in.
                if format == FileHeader.currentFormat && validEnd >= FileHeader.size {
                    replay.tail = (path, validEnd)
                } else if replay.frames == framesBefore {
                    // A segment a crash left without a whole header or frame: the next write starts it again.
                    try FileIO.remove(path)
                    replay.segments -= 1
                }
            }
        }
        return replay
    }

    private static func gap(after lastSeq: UInt64, before nextSeq: UInt64) -> ClosedRange<UInt64>? {
        nextSeq > lastSeq + 1 ? (lastSeq + 1)...(nextSeq - 1) : nil
    }

    /// The next offset after `start` where a valid frame begins whose versions come after
    /// `lastSeq`. Tries the end of the damaged frame first (a flipped payload byte leaves its
    /// length intact), then every byte.
    private static func resynchronize(
        _ buffer: UnsafeRawBufferPointer,
        from start: Int,
        after lastSeq: UInt64,
        format: UInt32
    ) -> (offset: Int, firstSeq: UInt64)? {
        func frame(at offset: Int) -> UInt64? {
            // Cheap filters before the checksum: a plausible length, kind 1, a plausible first seq.
            guard offset + JournalRecord.headerSize + 13 <= buffer.count else { return nil }
            let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            guard length >= 13, offset + JournalRecord.headerSize + length <= buffer.count,
                buffer[offset + JournalRecord.headerSize] == 1
            else { return nil }
            let seq = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + JournalRecord.headerSize + 5, as: UInt64.self))
            guard seq > lastSeq, seq - lastSeq < 1 << 32,
                case .record = JournalRecord.scan(buffer, at: offset, format: format)
            else { return nil }
            return seq
        }
        if start + 4 <= buffer.count {
            let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
            let skip = start + JournalRecord.headerSize + length
            if length <= JournalRecord.maxPayloadSize, skip < buffer.count, let seq = frame(at: skip) { return (skip, seq) }
        }
        var offset = start + 1
        while offset < buffer.count {
            if let seq = frame(at: offset) { return (offset, seq) }
            offset += 1
        }
        return nil
    }
}
