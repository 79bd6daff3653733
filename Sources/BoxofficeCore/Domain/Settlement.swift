public import Foundation

/// The end-of-day (Z) count of one day at the venue: per node and per event, what was sold,
/// cancelled, oversold, scanned and left unused, and the money by payment method and currency.
///
/// Computed from documents alone, so every node holding the same documents computes the same
/// figures. A sale belongs to the node that sold it and the day of its `soldAt`; a refund to the
/// node that cancelled the ticket and the day of its `cancelledAt`; an entry to the node that
/// scanned it; days are the venue's, in its time zone.
public struct Settlement: Sendable, Equatable, Encodable {
    /// Money moved by one payment method in one currency.
    public struct Takings: Sendable, Equatable, Encodable {
        public var method: PaymentMethod
        public var currency: String
        public var salesCount: Int
        public var sales: Money
        public var refundsCount: Int
        public var refunds: Money
        /// Sales less refunds.
        public var net: Money

        /// One sale, or one refund, of `money` by `method`.
        static func one(_ method: PaymentMethod, sale money: Money) -> Takings {
            Takings(method: method, currency: money.currency, salesCount: 1, sales: money, refundsCount: 0, refunds: money.zero, net: money)
        }

        static func one(_ method: PaymentMethod, refund money: Money) -> Takings {
            let net = Money(minorUnits: -money.minorUnits, currency: money.currency)
            return Takings(method: method, currency: money.currency, salesCount: 0, sales: money.zero, refundsCount: 1, refunds: money, net: net)
        }

        /// `entries` summed per method and currency, in currency then method order.
        static func combined(_ entries: [Takings]) -> [Takings] {
            var byKey: [String: Takings] = [:]
            for entry in entries {
                let key = entry.method.rawValue + " " + entry.currency
                guard var total = byKey[key] else {
                    byKey[key] = entry
                    continue
                }
                total.salesCount += entry.salesCount
                total.sales.minorUnits += entry.sales.minorUnits
                total.refundsCount += entry.refundsCount
                total.refunds.minorUnits += entry.refunds.minorUnits
                total.net.minorUnits += entry.net.minorUnits
                byKey[key] = total
            }
            return byKey.values.sorted { ($0.currency, $0.method.rawValue) < ($1.currency, $1.method.rawValue) }
        }
    }

    /// The figures of one event at one node (or, summed, of a node or of the whole venue).
    public struct Figures: Sendable, Equatable, Encodable {
        public var sold = 0
        public var cancelled = 0
        public var oversold = 0
        /// What the oversold tickets took, to be paid back, by currency.
        public var refundsDue: [Money] = []
        public var checkedIn = 0
        /// Live tickets of an event held that day that nobody scanned.
        public var noShows = 0
        public var expiredHolds = 0
        public var takings: [Takings] = []

        public init() {}

        /// These figures and `other` together.
        func adding(_ other: Figures) -> Figures {
            var sum = Figures()
            sum.sold = sold + other.sold
            sum.cancelled = cancelled + other.cancelled
            sum.oversold = oversold + other.oversold
            sum.refundsDue = Settlement.sum(refundsDue + other.refundsDue)
            sum.checkedIn = checkedIn + other.checkedIn
            sum.noShows = noShows + other.noShows
            sum.expiredHolds = expiredHolds + other.expiredHolds
            sum.takings = Takings.combined(takings + other.takings)
            return sum
        }
    }

    public struct EventFigures: Sendable, Equatable, Encodable {
        public var eventId: String
        public var eventName: String
        public var figures: Figures
    }

    public struct NodeFigures: Sendable, Equatable, Encodable {
        public var node: String
        /// The last sale, refund or entry of this node that day that the computing node holds:
        /// how far its figures reach.
        public var lastActivityAt: Date?
        public var events: [EventFigures]
        public var totals: Figures
    }

    /// The day, as `YYYY-MM-DD`, and the time zone its bounds are taken in.
    public var date: String
    public var timeZone: String
    /// The node that computed it, and when.
    public var computedBy: String
    public var computedAt: Date
    /// Every node with something to count that day, by id.
    public var nodes: [NodeFigures]
    /// The whole venue: every node together.
    public var totals: Figures

    /// The settlement of the day from `start` to `end` (its last moment).
    public static func compute(
        date: String,
        timeZone: TimeZone,
        from start: Date,
        to end: Date,
        events: [String: Event],
        tickets: [Ticket],
        checkIns: [CheckIn],
        holds: [Hold],
        computedBy: String,
        now: Date
    ) -> Settlement {
        let day = start...end
        var figures: [String: [String: Figures]] = [:]
        var lastActivity: [String: Date] = [:]
        func update(_ node: String, _ eventId: String, at date: Date? = nil, _ change: (inout Figures) -> Void) {
            change(&figures[node, default: [:]][eventId, default: Figures()])
            if let date { lastActivity[node] = max(lastActivity[node] ?? date, date) }
        }
        var scanned = Set<String>()
        for checkIn in checkIns {
            scanned.insert(checkIn.code)
            if day.contains(checkIn.scannedAt) { update(checkIn.node, checkIn.eventId, at: checkIn.scannedAt) { $0.checkedIn += 1 } }
        }
        for ticket in tickets {
            let takings = ticket.takings ?? Money(minorUnits: 0, currency: ticket.currency)
            if day.contains(ticket.soldAt) {
                update(ticket.soldBy, ticket.eventId, at: ticket.soldAt) { figures in
                    figures.sold += 1
                    figures.takings = Takings.combined(figures.takings + [.one(ticket.method, sale: takings)])
                    if ticket.status == .oversold {
                        figures.oversold += 1
                        figures.refundsDue = sum(figures.refundsDue + [takings])
                    }
                }
            }
            if ticket.status == .cancelled, let cancelledAt = ticket.cancelledAt, day.contains(cancelledAt) {
                update(ticket.cancelledOn ?? ticket.soldBy, ticket.eventId, at: cancelledAt) { figures in
                    figures.cancelled += 1
                    figures.takings = Takings.combined(figures.takings + [.one(ticket.refundMethod ?? ticket.method, refund: takings)])
                }
            }
            // A ticket unused at an event held that day, counted at the node that sold it.
            if ticket.isLive, let event = events[ticket.eventId], day.contains(event.date), event.date < now, !scanned.contains(ticket.code) {
                update(ticket.soldBy, ticket.eventId) { $0.noShows += 1 }
            }
        }
        for hold in holds where day.contains(hold.expiresAt) && hold.expiresAt <= now {
            if hold.status == .expired || hold.status == .open { update(hold.node, hold.eventId) { $0.expiredHolds += 1 } }
        }
        let nodes = figures.keys.sorted().map { node in
            let events = (figures[node] ?? [:]).sorted { $0.key < $1.key }.map { eventId, figures in
                EventFigures(eventId: eventId, eventName: events[eventId]?.name ?? eventId, figures: figures)
            }
            return NodeFigures(
                node: node,
                lastActivityAt: lastActivity[node],
                events: events,
                totals: events.reduce(Figures()) { $0.adding($1.figures) }
            )
        }
        return Settlement(
            date: date,
            timeZone: timeZone.identifier,
            computedBy: computedBy,
            computedAt: now,
            nodes: nodes,
            totals: nodes.reduce(Figures()) { $0.adding($1.totals) }
        )
    }

    /// Amounts summed per currency, in currency order.
    static func sum(_ amounts: [Money]) -> [Money] {
        Dictionary(amounts.map { ($0.currency, $0.minorUnits) }, uniquingKeysWith: +).sorted { $0.key < $1.key }
            .map { Money(minorUnits: $0.value, currency: $0.key) }
    }
}
