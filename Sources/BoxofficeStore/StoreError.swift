public import BoxofficeCore
import Glibc

/// Why the store refused or failed an operation. Validation problems with an id or a body are
/// `DocumentError`s; these are the store's own.
public enum StoreError: Error, Equatable, Sendable {
    /// A system call failed; `errno` as the kernel reported it.
    case io(operation: String, path: String, errno: Int32)
    /// Another process holds the data directory.
    case locked(directory: String, holderPID: Int32?)
    /// The data directory belongs to another node id.
    case nodeIDMismatch(directory: String, stored: String, requested: String)
    /// A conditional write found another version than the one it expected.
    case versionMismatch(key: DocumentKey, expected: Version?, actual: Version?)
    /// The journal failed to write or sync; the store accepts no more writes.
    case journalFailed(String)
    /// The store was closed.
    case closed
    /// The snapshot named is damaged: its trailer or a record checksum is wrong.
    case corruptSnapshot(path: String)
    /// A value in `boxoffice.json` cannot be used; the text names it.
    case invalidConfiguration(String)
    /// A file of the data directory is in a format newer than this build reads.
    case newerFormat(path: String, format: UInt32, supported: UInt32)
    /// A file where a journal segment or snapshot belongs is neither, or its header is damaged.
    case unknownFile(path: String)
    /// A store URL (`serve --store`) that names no database this build can use; the text says why.
    case invalidStoreURL(String)
    /// The database behind a store failed or could not be reached; the text says what it said.
    case database(String)
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .io(operation, path, code):
            return "\(operation) \(path): \(String(cString: strerror(code)))"
        case let .locked(directory, pid):
            let holder = pid.map { "process \($0)" } ?? "another process"
            return "data directory \(directory) is in use by \(holder); stop it or choose another --data"
        case let .nodeIDMismatch(directory, stored, requested):
            return "data directory \(directory) belongs to node \"\(stored)\", not \"\(requested)\"; one directory is one node"
        case let .versionMismatch(key, expected, actual):
            return "\(key) is at version \(actual.map(\.description) ?? "none"), not \(expected.map(\.description) ?? "none")"
        case let .journalFailed(reason):
            return "the journal failed (\(reason)); the store accepts no more writes until restarted"
        case .closed:
            return "the store is closed"
        case let .corruptSnapshot(path):
            return "snapshot \(path) is damaged; restore the data directory from a backup or a peer"
        case let .invalidConfiguration(problem):
            return "boxoffice.json: \(problem)"
        case let .newerFormat(path, format, supported):
            return
                "\(path) is in format \(format), written by a newer Boxoffice; this build reads formats up to \(supported): run the newer release on this directory"
        case let .invalidStoreURL(problem):
            return "--store: \(problem)"
        case let .database(problem):
            return "the database: \(problem)"
        case let .unknownFile(path):
            return
                "\(path) is not a Boxoffice file of its kind, or its header is damaged; move it out of the data directory or restore it from a backup"
        }
    }
}
