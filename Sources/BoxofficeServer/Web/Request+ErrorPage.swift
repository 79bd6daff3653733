import Hummingbird

extension Request {
    /// Whether an error answers this request as an HTML page: it is not for the API under `/api/`
    /// nor for a peer under `/sync/`, and its `Accept` names `text/html` before (or as high as)
    /// JSON, as browsers send it (`text/html,application/xhtml+xml,…,*/*;q=0.8`). No `Accept`,
    /// `*/*` or `application/json` — API clients — keep their problem+json.
    var prefersErrorPage: Bool {
        let path = uri.path
        guard !path.hasPrefix("/api/"), path != "/sync", !path.hasPrefix("/sync/"), let accept = headers[.accept] else { return false }
        var html = 0.0
        var json = 0.0
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            switch parts.first {
            case "text/html": html = max(html, quality)
            case "application/json", "application/problem+json": json = max(json, quality)
            default: break
            }
        }
        return html > 0 && html >= json
    }
}
