import ArgumentParser

@main
struct BoxofficeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxoffice-bench",
        abstract: "Reproducible Boxoffice benchmarks; build with -c release before trusting a figure.",
        subcommands: [StoreBenchmark.self, HelloServer.self, Seed.self, SignedPages.self, CrashWriter.self]
    )
}
