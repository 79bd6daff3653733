import ArgumentParser
import Hummingbird
import Logging

/// The bare Hummingbird ceiling the API figures are measured against, in the same run:
/// `GET /` answers a fixed string, `POST /echo` decodes a small JSON body and encodes it back.
struct HelloServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hello",
        abstract: "Serve a hello-world GET and a Codable echo POST (the baseline for bench/api.sh)."
    )

    @Option(help: "The port to listen on.")
    var port = 8090

    struct Echo: Codable, ResponseEncodable {
        var eventId: String
        var quantity: Int
    }

    func run() async throws {
        LoggingSystem.bootstrap { SwiftLogNoOpLogHandler($0) }
        let router = Router()
        router.get("/") { _, _ in "Hello, world!" }
        router.post("/echo") { request, context in try await request.decode(as: Echo.self, context: context) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        print("hello server at http://127.0.0.1:\(port)")
        try await app.runService()
    }
}
