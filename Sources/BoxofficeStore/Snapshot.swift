import Glibc

/// A snapshot holds the current version of every document up to a sequence number, so that the
/// journal segments it covers can be removed (compaction) and recovery need not replay them.
///
/// `snapshots/<lastSeq>.snapshot` is a `FileHeader` and a run of `JournalRecord` frames of up to
/// 1,000 versions in sequence order, closed by a trailer frame with the last sequence number and
/// the document count.
/// Invariant: a snapshot is written to a temporary file, synced, then renamed; one without its
/// trailer or with a bad checksum is refused whole.
enum Snapshot {
    static let suffix = ".snapshot"
    private static let framesPerChunk = 1_000

    /// Writes a durable snapshot and returns its size in bytes.
    static func write(_ entries: [SequencedDocument], lastSeq: UInt64, in folder: String) throws(StoreError) -> Int {
        let path = folder + "/" + DataDirectory.sequenceName(lastSeq, suffix: suffix)
        let temporary = path + ".tmp"
        let fd = try FileIO.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        var size = 0
        do {
            var pending = FileHeader.bytes(for: .snapshot)
            var start = 0
            while start < entries.count {
                let end = min(start + framesPerChunk, entries.count)
                pending += JournalRecord.frame(.versions(Array(entries[start..<end])))
                start = end
                if pending.count > 4 << 20 {
                    try FileIO.writeAll(fd, pending, path: temporary)
                    size += pending.count
                    pending.removeAll(keepingCapacity: true)
                }
            }
            pending += JournalRecord.frame(.snapshotTrailer(lastSeq: lastSeq, documentCount: UInt64(entries.count)))
            try FileIO.writeAll(fd, pending, path: temporary)
            size += pending.count
            try FileIO.sync(fd, path: temporary)
        } catch {
            close(fd)
            try? FileIO.remove(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw FileIO.fail("rename", temporary) }
        try FileIO.syncDirectory(folder)
        return size
    }

    /// Loads the newest snapshot, if there is one, handing every version to `apply` in sequence order.
    static func loadLatest(
        from folder: String,
        apply: (SequencedDocument) -> Void
    ) throws(StoreError) -> (lastSeq: UInt64, documents: Int, bytes: Int, format: UInt32)? {
        for name in try FileIO.list(folder) where name.hasSuffix(".tmp") {
            try FileIO.remove(folder + "/" + name)  // an unfinished snapshot from a crash
        }
        guard let lastSeq = try DataDirectory.sequenceFiles(in: folder, suffix: suffix).last else { return nil }
        let path = folder + "/" + DataDirectory.sequenceName(lastSeq, suffix: suffix)
        let bytes = try FileIO.readFile(path)
        let header = try FileHeader.read(bytes, kind: .snapshot, path: path)
        let count: Int? = bytes.withUnsafeBytes { buffer in
            var offset = header.framesStart
            var documents = 0
            while offset < buffer.count {
                switch JournalRecord.scan(buffer, at: offset, format: header.format) {
                case let .record(.versions(entries), end):
                    entries.forEach(apply)
                    documents += entries.count
                    offset = end
                case let .record(.snapshotTrailer(trailerSeq, documentCount), end):
                    let complete = end == buffer.count && trailerSeq == lastSeq && documentCount == UInt64(documents)
                    return complete ? documents : nil
                case .torn, .corrupt:
                    return nil
                }
            }
            return nil
        }
        guard let count else { throw .corruptSnapshot(path: path) }
        return (lastSeq, count, bytes.count, header.format)
    }

    /// Removes every snapshot older than `lastSeq`.
    static func removeOlder(than lastSeq: UInt64, in folder: String) throws(StoreError) {
        for seq in try DataDirectory.sequenceFiles(in: folder, suffix: suffix) where seq < lastSeq {
            try FileIO.remove(folder + "/" + DataDirectory.sequenceName(seq, suffix: suffix))
        }
    }
}
