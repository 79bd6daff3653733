import BoxofficeCore

/// A settlement as CSV (RFC 4180): one row per node and event, then each node's total and the
/// venue's; money as exact decimals, one column per payment method and currency present.
enum SettlementCSV {
    static func text(_ settlement: Settlement) -> String {
        let all = settlement.nodes.flatMap { $0.events.map(\.figures) + [$0.totals] } + [settlement.totals]
        let columns = Set(all.flatMap { $0.takings.map { [$0.method.rawValue, $0.currency] } }).sorted { $0.joined() < $1.joined() }
        var lines = [
            (["date", "node", "eventId", "event", "sold", "cancelled", "oversold", "refundsDue", "checkedIn", "noShows", "expiredHolds"]
                + columns.map { "net \($0[0]) \($0[1])" }).map(field).joined(separator: ",")
        ]
        func row(_ node: String, _ eventId: String, _ event: String, _ figures: Settlement.Figures) {
            let counts = [figures.sold, figures.cancelled, figures.oversold].map(String.init)
            let due = figures.refundsDue.map(\.text).joined(separator: " + ")
            let more = [figures.checkedIn, figures.noShows, figures.expiredHolds].map(String.init)
            let net = columns.map { column in
                figures.takings.first { $0.method.rawValue == column[0] && $0.currency == column[1] }?.net.decimalText ?? ""
            }
            lines.append(([settlement.date, node, eventId, event] + counts + [due] + more + net).map(field).joined(separator: ","))
        }
        for node in settlement.nodes {
            for event in node.events { row(node.node, event.eventId, event.eventName, event.figures) }
            row(node.node, "", "all events", node.totals)
        }
        row("all nodes", "", "all events", settlement.totals)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A field quoted when it holds a comma, a quote or a line break; a leading = + - @ is
    /// prefixed with ' so a spreadsheet does not run it as a formula.
    private static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
