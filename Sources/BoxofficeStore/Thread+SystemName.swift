import Foundation

extension Thread {
    /// Names the calling thread for the operating system (`top -H`, `perf`, `/proc/<pid>/task`),
    /// which `Thread.name` does not do on Linux; the kernel keeps 15 bytes.
    static func setSystemName(_ name: String) {
        guard let setName = pthreadSetName else { return }
        _ = setName(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self))
    }

    private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
    private static let pthreadSetName = systemFunction("pthread_setname_np", as: SetName.self)
}
