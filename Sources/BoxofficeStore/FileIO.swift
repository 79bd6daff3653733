import CLinux
import Glibc

/// Thin POSIX helpers: every failure becomes `StoreError.io` naming the call and the path.
enum FileIO {
    static func fail(_ operation: String, _ path: String) -> StoreError {
        .io(operation: operation, path: path, errno: errno)
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(StoreError) -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fail("open", path) }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StoreError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw fail("write", path)
            }
            written += result
        }
    }

    static func sync(_ fd: Int32, path: String) throws(StoreError) {
        guard fdatasync(fd) == 0 else { throw fail("fdatasync", path) }
    }

    /// Makes a directory entry (a create, rename or unlink inside it) durable.
    static func syncDirectory(_ path: String) throws(StoreError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw fail("fsync", path) }
    }

    static func readFile(_ path: String) throws(StoreError) -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail("stat", path) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(done)) }
            if result < 0, errno == EINTR { continue }
            guard result >= 0 else { throw fail("read", path) }
            if result == 0 { break }
            done += result
        }
        return Array(bytes.prefix(done))
    }

    /// Replaces `path` atomically: a reader sees the old bytes or the new, never a mix.
    /// With `durable`, the new bytes and the rename are on disk before it returns.
    /// - Parameter mode: the new file's permissions (0o600 for a private key: never readable by others, not even briefly).
    static func replace(_ path: String, with bytes: [UInt8], durable: Bool, mode: mode_t = 0o644) throws(StoreError) {
        let temporary = path + ".tmp"
        unlink(temporary)  // a leftover keeps its own mode; the new one is created with `mode`
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        do {
            try writeAll(fd, bytes, path: temporary)
            if durable { try sync(fd, path: temporary) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw fail("rename", temporary) }
        if durable { try syncDirectory(parent(of: path)) }
    }

    /// Replaces `name` inside the open directory `folder` atomically, like `replace(_:with:durable:)`
    /// but cheaper for a file that does not exist yet: the bytes go to an unnamed file
    /// (`O_TMPFILE`) that is linked under `name` once complete, one directory entry where a named
    /// temporary and a rename make three directory changes. Not durable by itself.
    /// - Parameter path: the file's full path, for errors and for file systems without `O_TMPFILE`.
    static func replace(_ name: String, in folder: Int32, path: String, with bytes: [UInt8]) throws(StoreError) {
        let fd = openat(folder, ".", unnamedFileFlags | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return try replace(path, with: bytes, durable: false) }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
        let unnamed = "/proc/self/fd/\(fd)"
        if linkat(AT_FDCWD, unnamed, folder, name, AT_SYMLINK_FOLLOW) == 0 { return }
        // The file exists (or /proc is missing): give the bytes a temporary name, then rename over it.
        guard errno == EEXIST else { return try replace(path, with: bytes, durable: false) }
        let temporary = name + ".tmp"
        unlinkat(folder, temporary, 0)
        guard linkat(AT_FDCWD, unnamed, folder, temporary, AT_SYMLINK_FOLLOW) == 0 else { throw fail("linkat", path + ".tmp") }
        guard renameat(folder, temporary, folder, name) == 0 else { throw fail("rename", path + ".tmp") }
    }

    /// `O_TMPFILE`: an unnamed file in a directory.
    private static let unnamedFileFlags = bx_o_tmpfile

    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(StoreError) {
        guard mkdir(path, mode) == 0 || errno == EEXIST else { throw fail("mkdir", path) }
    }

    /// Creates `path` and any missing parents.
    static func makeDirectories(_ path: String) throws(StoreError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            try makeDirectory(prefix)
        }
    }

    /// Names in a directory, without "." and ".."; an absent directory has none.
    static func list(_ path: String) throws(StoreError) -> [String] {
        guard let dir = opendir(path) else {
            if errno == ENOENT { return [] }
            throw fail("opendir", path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func remove(_ path: String) throws(StoreError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw fail("unlink", path) }
    }

    static func truncate(_ path: String, to length: Int) throws(StoreError) {
        let fd = try open(path, O_WRONLY)
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0 else { throw fail("ftruncate", path) }
        try sync(fd, path: path)
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

extension FileIO {
    /// Flushes every dirty page of the file system that holds `path`, in one call (`syncfs(2)`).
    static func syncFileSystem(containing path: String) throws(StoreError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        guard bx_syncfs(fd) == 0 else { throw fail("syncfs", path) }
    }
}
