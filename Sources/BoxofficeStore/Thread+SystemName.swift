import CLinux
import Foundation

extension Thread {
    /// Names the calling thread for the operating system (`top -H`, `perf`, `/proc/<pid>/task`),
    /// which `Thread.name` does not do on Linux; the kernel keeps 15 bytes.
    static func setSystemName(_ name: String) {
        _ = bx_set_thread_name(String(decoding: name.utf8.prefix(15), as: UTF8.self))
    }
}
