import Hummingbird

/// Which contract a group of routes answers with. The venue API answers at its own paths; under
/// `/api` the original web app's paths answer the way its client reads them (`WebAppRoutes`),
/// and the venue controllers leave those few paths to it.
enum APIDialect: CaseIterable, Sendable {
    case venue
    case webApp

    var prefix: RouterPath {
        switch self {
        case .venue: ""
        case .webApp: "api"
        }
    }
}
