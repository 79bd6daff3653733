import Glibc

/// An exclusive `flock` on `LOCK` in the data directory, held while the store is open.
/// The kernel drops it when the holder dies, so a crash never leaves a stale lock behind.
final class DirectoryLock: Sendable {
    private let fd: Int32

    /// - Throws: `StoreError.locked` with the holder's pid when another process has the directory.
    init(_ directory: DataDirectory) throws(StoreError) {
        let path = directory.lockFile
        let fd = try FileIO.open(path, O_RDWR | O_CREAT)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? FileIO.readFile(path)).flatMap { Int32(String(decoding: $0, as: UTF8.self).filter(\.isNumber)) }
            close(fd)
            throw .locked(directory: directory.path, holderPID: holder)
        }
        ftruncate(fd, 0)
        try FileIO.writeAll(fd, Array("\(getpid())\n".utf8), path: path)
        self.fd = fd
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
