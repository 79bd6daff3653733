/// What a node allows a connection, so that clients that are slow, idle or many cannot hold it:
/// a request head arrives in time, a body at a minimum rate, an idle connection closes, and the
/// open connections stay under a cap below the process's file-descriptor limit.
public struct ConnectionLimits: Sendable {
    /// A kept-alive connection with no request open closes after this long.
    public var idleTimeout: Duration = .seconds(60)
    /// A new connection must send a whole request head within this long.
    public var headTimeout: Duration = .seconds(10)
    /// A request body must arrive at least this fast: `minimumBodyBytes` every `bodyWindow`.
    public var minimumBodyBytes = 1_024
    public var bodyWindow: Duration = .seconds(10)
    /// At most this many connections are open; past it the connection idle longest (or still
    /// sending its head) is closed to make room, so a crowd of idle sockets cannot lock people out.
    public var maxConnections = 10_000

    public init() {}
}
