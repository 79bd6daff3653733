public import Foundation

/// What an event gets when its creator leaves a field out: the original web app's Create Event
/// form sends only a name, a description, a calendar day and a place. An operator sets these in
/// `boxoffice.json` (`eventDefaults`, `timeZone`).
public struct EventDefaults: Codable, Sendable, Equatable {
    public var capacity: Int
    /// In the currency's major unit; 0 is a free event.
    public var price: Decimal
    /// ISO 4217 code.
    public var currency: String
    /// The hour (0–23, the node's time zone) an event given only a day starts at.
    public var hour: Int

    public init(capacity: Int = 100, price: Decimal = 0, currency: String = "EUR", hour: Int = 20) {
        self.capacity = capacity
        self.price = price
        self.currency = currency
        self.hour = hour
    }

    /// `text` as a calendar day `YYYY-MM-DD`: that day at `hour` in `timeZone`; nil for anything else.
    public func start(ofDay text: String, in timeZone: TimeZone) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: hour)
        // Invariant: a day the month does not have (2031-02-30) is refused, not rolled into the next month.
        guard components.isValidDate(in: calendar), (0...23).contains(hour) else { return nil }
        return calendar.date(from: components)
    }
}
