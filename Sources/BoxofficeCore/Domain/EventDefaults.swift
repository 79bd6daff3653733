public import Foundation

/// What an event gets when its creator leaves a field out: the original web app's Create Event
/// form sends only a name, a description, a calendar day and a place. An operator sets these in
/// `boxoffice.json` (`eventDefaults`, any of its fields; `timeZone`).
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

    /// A field left out of the file keeps its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let standard = EventDefaults()
        capacity = try container.decodeIfPresent(Int.self, forKey: .capacity) ?? standard.capacity
        price = try container.decodeIfPresent(Decimal.self, forKey: .price) ?? standard.price
        currency = try container.decodeIfPresent(String.self, forKey: .currency) ?? standard.currency
        hour = try container.decodeIfPresent(Int.self, forKey: .hour) ?? standard.hour
    }

    /// What is wrong with these defaults, in words for the operator; nil when every event
    /// made from them can be created.
    public var problem: String? {
        if !(1...1_000_000).contains(capacity) { return "eventDefaults.capacity must be between 1 and 1,000,000" }
        if price < 0 || price > 1_000_000 { return "eventDefaults.price must be between 0 and 1,000,000" }
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) {
            return "eventDefaults.currency must be a three-letter ISO 4217 code such as EUR"
        }
        if !(0...23).contains(hour) { return "eventDefaults.hour must be between 0 and 23" }
        return nil
    }

    /// `text` as a calendar day `YYYY-MM-DD`: that day at `hour` in `timeZone` (on a day the
    /// clocks skip that hour, the first moment after the gap); nil for anything else.
    public func start(ofDay text: String, in timeZone: TimeZone) -> Date? {
        CalendarDay(text)?.start(in: timeZone, hour: hour)
    }
}
