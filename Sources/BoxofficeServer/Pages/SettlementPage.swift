import BoxofficeCore
import Foundation

/// The settlement as the `settlement` template shows it: for each node, a card per event and its
/// total, each a short table of figures and the money by payment method; then the venue's
/// totals. Cards in one column on a phone, side by side on a wide screen or paper.
struct SettlementPage: Sendable, Hashable {
    struct Line: Sendable, Hashable {
        let label: String
        let value: String
    }

    struct Card: Sendable, Hashable {
        let title: String
        let lines: [Line]
        let money: [Line]
        let hasMoney: Bool
    }

    struct Node: Sendable, Hashable {
        let node: String
        let through: String?
        let cards: [Card]
    }

    let date: String
    let timeZone: String
    let computed: String
    let csv: String
    let nodes: [Node]
    let totals: Card
    let empty: Bool

    init(_ settlement: Settlement) {
        date = settlement.date
        timeZone = settlement.timeZone
        computed = "Computed by \(settlement.computedBy) at \(WebFormat.when(settlement.computedAt)) from the documents it holds."
        csv = "/web/reports/settlement.csv?date=\(settlement.date)"
        nodes = settlement.nodes.map { node in
            Node(
                node: node.node,
                through: node.lastActivityAt.map { "Last sale, refund or entry known here: \(WebFormat.time($0))" },
                cards: node.events.map { Self.card($0.eventName, $0.figures) } + [Self.card("All events at \(node.node)", node.totals)]
            )
        }
        totals = Self.card("Whole venue", settlement.totals)
        empty = settlement.nodes.isEmpty
    }

    private static func card(_ title: String, _ figures: Settlement.Figures) -> Card {
        var lines = [
            Line(label: "Sold", value: "\(figures.sold)"),
            Line(label: "Cancelled or refunded", value: "\(figures.cancelled)"),
            Line(label: "Oversold", value: "\(figures.oversold)"),
        ]
        if !figures.refundsDue.isEmpty {
            lines.append(Line(label: "Refunds due (oversold)", value: figures.refundsDue.map(\.text).joined(separator: ", ")))
        }
        lines += [
            Line(label: "Checked in", value: "\(figures.checkedIn)"),
            Line(label: "No-shows", value: "\(figures.noShows)"),
            Line(label: "Expired holds", value: "\(figures.expiredHolds)"),
        ]
        let money = figures.takings.map { takings in
            Line(
                label: "\(takings.method.rawValue.capitalized) \(takings.currency)",
                value:
                    "\(takings.net.decimalText) (\(takings.salesCount) sold \(takings.sales.decimalText), \(takings.refundsCount) refunded \(takings.refunds.decimalText))"
            )
        }
        return Card(title: title, lines: lines, money: money, hasMoney: !money.isEmpty)
    }
}
