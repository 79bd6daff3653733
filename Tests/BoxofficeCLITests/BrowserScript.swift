import Foundation

/// A Playwright script of Tests/browser (real headless Chromium; `make test`'s bootstrap installs
/// both), run to its end.
enum BrowserScript {
    /// Runs `Tests/browser/<name>` with `arguments`; its exit status and all it printed.
    static func run(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("browser/\(name)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, printed)
    }
}
