import BoxofficeCore
import Foundation
import Testing

/// The end-of-day settlement and the money it counts: exact sums in minor units per currency.
@Suite struct SettlementTests {
    private let day = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01T00:00:00Z
    private var end: Date { day.addingTimeInterval(86_400 - 0.001) }

    private func event(_ name: String, price: Decimal, currency: String, at hour: Double = 20) -> Event {
        Event(
            name: name,
            description: "",
            date: day.addingTimeInterval(hour * 3_600),
            location: "Hall",
            capacity: 100,
            price: price,
            currency: currency,
            salesPolicy: .escrow,
            organizerId: "u-org",
            createdAt: day,
            updatedAt: day
        )
    }

    private func ticket(
        _ eventId: String,
        _ event: Event,
        node: String,
        method: PaymentMethod?,
        staff: String? = "u-sam",
        at minutes: Double,
        code: String,
        status: TicketStatus = .valid
    ) -> Ticket {
        Ticket(
            eventId: eventId,
            userId: nil,
            holderName: "Bo",
            holderEmail: nil,
            code: code,
            status: status,
            price: event.price,
            currency: event.currency,
            soldAt: day.addingTimeInterval(minutes * 60),
            saleHLC: nil,
            soldBy: node,
            soldByUser: staff,
            paymentMethod: method
        )
    }

    @Test func moneyIsCountedInEachCurrencysMinorUnit() throws {
        #expect(Money(Decimal(string: "18.5")!, currency: "EUR") == Money(minorUnits: 1_850, currency: "EUR"))
        #expect(Money(Decimal(string: "0.1")!, currency: "EUR")!.minorUnits + Money(Decimal(string: "0.2")!, currency: "EUR")!.minorUnits == 30)
        #expect(Money(Decimal(string: "1.005")!, currency: "EUR") == nil, "EUR has two decimal places")
        #expect(Money(Decimal(string: "1.005")!, currency: "KWD") == Money(minorUnits: 1_005, currency: "KWD"))
        #expect(Money(Decimal(string: "1200.5")!, currency: "JPY") == nil, "JPY has none")
        #expect(Money(minorUnits: 1_850, currency: "EUR").text == "18.50 EUR")
        #expect(Money(minorUnits: -5, currency: "EUR").text == "-0.05 EUR")
        #expect(Money(minorUnits: 1_200, currency: "JPY").text == "1200 JPY")
        #expect(Money(minorUnits: 3_250, currency: "KWD").text == "3.250 KWD")
        let json = try JSONEncoder().encode(Money(minorUnits: 1_850, currency: "EUR"))
        #expect(try JSONDecoder().decode(Money.self, from: json) == Money(minorUnits: 1_850, currency: "EUR"))
    }

    @Test func sumsAreExactAcrossCurrenciesMethodsAndNodes() {
        // 0.10 EUR a thousand times is exactly 100.00: in Double it is 99.9999999999986.
        let cheap = event("Cheap Seats", price: Decimal(string: "0.1")!, currency: "EUR")
        let gala = event("Gala", price: Decimal(string: "18.5")!, currency: "EUR")
        let tokyo = event("Tokyo Night", price: 1_200, currency: "JPY")
        let kuwait = event("Kuwait Jazz", price: Decimal(string: "3.25")!, currency: "KWD")
        let events = ["e-cheap": cheap, "e-gala": gala, "e-tokyo": tokyo, "e-kuwait": kuwait]
        var tickets = (0..<1_000).map { ticket("e-cheap", cheap, node: "venue-a", method: .cash, at: 60, code: "C\($0)") }
        tickets += [
            ticket("e-gala", gala, node: "venue-a", method: .card, at: 61, code: "G1"),
            ticket("e-gala", gala, node: "venue-a", method: .card, at: 62, code: "G2"),
            ticket("e-gala", gala, node: "venue-b", method: .comp, at: 63, code: "G3"),
            ticket("e-gala", gala, node: "venue-b", method: nil, staff: nil, at: 64, code: "G4"),  // an older online sale
            ticket("e-gala", gala, node: "venue-b", method: .cash, at: 65, code: "G5", status: .oversold),
            ticket("e-tokyo", tokyo, node: "venue-b", method: .online, staff: nil, at: 66, code: "T1"),
            ticket("e-kuwait", kuwait, node: "venue-a", method: .cash, at: 67, code: "K1"),
            ticket("e-gala", gala, node: "venue-a", method: .cash, at: -60, code: "Y1"),  // sold the day before
        ]
        // G2 is refunded at venue-b: the refund is venue-b's, by card as it was paid.
        tickets[1_001].status = .cancelled
        tickets[1_001].cancelledAt = day.addingTimeInterval(90 * 60)
        tickets[1_001].cancelledOn = "venue-b"
        tickets[1_001].refundMethod = .card
        let checkIns = [
            CheckIn(
                ticketId: "t-g1",
                eventId: "e-gala",
                code: "G1",
                node: "venue-b",
                gate: nil,
                by: "u-sam",
                scannedAt: day.addingTimeInterval(20 * 3_600)
            )
        ]
        let holds = [
            Hold(
                eventId: "e-gala",
                seats: 2,
                userId: nil,
                holderName: "H",
                holderEmail: nil,
                heldBy: "u-sam",
                node: "venue-a",
                status: .expired,
                createdAt: day,
                expiresAt: day.addingTimeInterval(600)
            ),
            Hold(
                eventId: "e-gala",
                seats: 1,
                userId: nil,
                holderName: "H",
                holderEmail: nil,
                heldBy: "u-sam",
                node: "venue-a",
                status: .confirmed,
                createdAt: day,
                expiresAt: day.addingTimeInterval(600)
            ),
        ]
        let settlement = Settlement.compute(
            date: "2030-01-01",
            timeZone: .gmt,
            from: day,
            to: end,
            events: events,
            tickets: tickets,
            checkIns: checkIns,
            holds: holds,
            computedBy: "venue-a",
            now: end
        )
        #expect(settlement.nodes.map(\.node) == ["venue-a", "venue-b"])
        let total = settlement.totals
        #expect(total.sold == 1_007 && total.cancelled == 1 && total.oversold == 1 && total.checkedIn == 1 && total.expiredHolds == 1)
        #expect(total.refundsDue == [Money(minorUnits: 1_850, currency: "EUR")])
        func net(_ figures: Settlement.Figures, _ method: PaymentMethod, _ currency: String) -> Int64? {
            figures.takings.first { $0.method == method && $0.currency == currency }?.net.minorUnits
        }
        let cashEUR = net(total, .cash, "EUR")
        #expect(cashEUR == 11_850, "1,000 × 0.10 plus the oversold sale, exactly: \(String(describing: cashEUR))")
        #expect(net(total, .card, "EUR") == 1_850, "two card sales, one refunded")
        #expect(net(total, .comp, "EUR") == 0)
        #expect(net(total, .online, "EUR") == 1_850, "an older ticket sold to an account counts as online")
        #expect(net(total, .online, "JPY") == 1_200)
        #expect(net(total, .cash, "KWD") == 3_250)
        let b = settlement.nodes[1].totals
        #expect(b.cancelled == 1 && net(b, .card, "EUR") == -1_850, "the refund is the node's that made it")
        #expect(b.checkedIn == 1)
        // Gala was held that day: its live, unscanned tickets are no-shows where they were sold.
        #expect(
            settlement.nodes[0].events.first { $0.eventId == "e-gala" }?.figures.noShows == 1,
            "Y1, sold the day before, never came; G1 came in; G2 was refunded"
        )
        #expect(settlement.nodes[1].events.first { $0.eventId == "e-gala" }?.figures.noShows == 2, "G3 and G4; G5 is oversold")
        #expect(settlement.nodes[0].events.map(\.eventName).contains("Kuwait Jazz"))
    }

    @Test func aTillThatIsShortShowsTheDifference() {
        let gala = event("Gala", price: Decimal(string: "18.5")!, currency: "EUR")
        var till = Till(node: "venue-a", openedBy: "u-sam", openedAt: day, float: Money(minorUnits: 10_000, currency: "EUR"))
        var refunded = ticket("e-gala", gala, node: "venue-a", method: .cash, at: 10, code: "R1")
        refunded.status = .cancelled
        refunded.cancelledAt = day.addingTimeInterval(20 * 60)
        refunded.cancelledBy = "u-sam"
        refunded.cancelledOn = "venue-a"
        refunded.refundMethod = .cash
        let tickets = [
            ticket("e-gala", gala, node: "venue-a", method: .cash, at: 5, code: "A1"),
            ticket("e-gala", gala, node: "venue-a", method: .cash, at: 6, code: "A2"),
            refunded,
            ticket("e-gala", gala, node: "venue-a", method: .card, at: 7, code: "A3"),  // not cash
            ticket("e-gala", gala, node: "venue-a", method: .cash, staff: "u-kim", at: 8, code: "A4"),  // another drawer
            ticket("e-gala", gala, node: "venue-b", method: .cash, at: 9, code: "A5"),  // another node
            ticket("e-gala", gala, node: "venue-a", method: .cash, at: -5, code: "A6"),  // before it opened
        ]
        let closing = day.addingTimeInterval(3_600)
        till.expected = till.expectedCash(at: closing, tickets: tickets)
        till.counted = Money(minorUnits: 13_500, currency: "EUR")
        till.closedAt = closing
        // 100.00 + 3 × 18.50 − 18.50 = 137.00 expected; 135.00 counted.
        #expect(till.expected == Money(minorUnits: 13_700, currency: "EUR"))
        #expect(till.difference == Money(minorUnits: -200, currency: "EUR"))
        #expect(till.difference?.text == "-2.00 EUR")
        #expect(!till.isOpen)
    }
}
