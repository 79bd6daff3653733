public import Foundation

/// A real child process of one of the package's executables, with its output collected as it
/// comes (so a chatty child never blocks on a full pipe).
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let lock = NSCondition()
    private var output = Data()
    private var errors = Data()
    private var outputClosed = false
    private var errorsClosed = false

    /// The directory that holds the built executables: the one the test binary is in.
    public static let buildDirectory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = (executable as NSString).deletingLastPathComponent
        // On Linux the test binary is `<build>/<Package>PackageTests.xctest`; on macOS it sits inside the bundle.
        while !FileManager.default.isExecutableFile(atPath: directory + "/boxoffice"), directory.count > 1 {
            directory = (directory as NSString).deletingLastPathComponent
        }
        return directory
    }()

    /// Starts `executable` (a product name such as "boxoffice") with `arguments`.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: Self.buildDirectory + "/" + executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        process.environment = merged
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        drain(out.fileHandleForReading, isOutput: true)
        drain(err.fileHandleForReading, isOutput: false)
    }

    public var pid: Int32 { process.processIdentifier }

    /// Everything the child printed on standard output so far.
    public var standardOutput: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: output, as: UTF8.self)
    }

    public var standardError: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: errors, as: UTF8.self)
    }

    /// Waits (without polling) until standard output contains `text`, the output closes, or the timeout passes.
    @discardableResult
    public func waitForOutput(containing text: String, timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while String(decoding: output, as: UTF8.self).range(of: text) == nil {
            if outputClosed || !lock.wait(until: deadline) { return false }
        }
        return true
    }

    public func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
    }

    /// Waits for the child to exit and for both its output streams to be read to the end;
    /// returns its status.
    @discardableResult
    public func waitForExit() -> Int32 {
        process.waitUntilExit()
        lock.lock()
        while !outputClosed || !errorsClosed { lock.wait() }
        lock.unlock()
        return process.terminationStatus
    }

    private func drain(_ handle: FileHandle, isOutput: Bool) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                lock.lock()
                if chunk.isEmpty {
                    if isOutput { outputClosed = true } else { errorsClosed = true }
                    lock.broadcast()
                    lock.unlock()
                    return
                }
                if isOutput { output += chunk } else { errors += chunk }
                lock.broadcast()
                lock.unlock()
            }
        }
        thread.start()
    }
}
