import BoxofficeVenue
import Foundation

/// How the pages write dates and money. Dates are shown in the node's time zone: a node runs at
/// its venue, so that is the venue's.
enum WebFormat {
    static let timeZone = TimeZone.current

    /// "Sat, 1 Jun 2030, 22:00 CEST"
    static func when(_ date: Date) -> String {
        dates.value(for: date) {
            date.formatted(
                Date.FormatStyle(locale: Locale(identifier: "en_GB"), timeZone: timeZone).weekday(.abbreviated).day().month(.abbreviated).year()
                    .hour(.twoDigits(amPM: .omitted)).minute().timeZone(.specificName(.short))
            )
        }
    }

    /// "22:00"
    static func time(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(locale: Locale(identifier: "en_GB"), timeZone: timeZone).hour(.twoDigits(amPM: .omitted)).minute())
    }

    /// An amount typed into a form: digits with at most one decimal point or comma ("12.50",
    /// "12,50"); nil for anything else ("1,000.50", "12abc"), never a prefix of it.
    static func decimal(_ text: String) -> Decimal? {
        let parts = text.split(separator: /[.,]/, omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        return Decimal(string: parts.joined(separator: "."), locale: Locale(identifier: "en_US_POSIX"))
    }

    /// "25.50 EUR"
    static func money(_ amount: Decimal, _ currency: String) -> String {
        amounts.value(for: Money(amount: amount, currency: currency)) {
            amount.formatted(.number.precision(.fractionLength(2)).grouping(.never).locale(Locale(identifier: "en_US_POSIX"))) + " " + currency
        }
    }

    private struct Money: Hashable {
        let amount: Decimal
        let currency: String
    }

    // Formatting costs more than the rest of a home page, and the same dates and prices come back
    // on every page: each is formatted once.
    private static let dates = BoundedCache<Date, String>(limit: 10_000)
    private static let amounts = BoundedCache<Money, String>(limit: 10_000)

    /// A day from a date input ("2030-06-01"), at its start in the venue's time zone.
    static func day(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        return date(text, hour: 0, minute: 0)
    }

    /// The value of a `datetime-local` input for `date` ("2030-06-01T22:00"), and back.
    static func localInput(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func localInput(_ text: String?) -> Date? {
        guard let text, let separator = text.firstIndex(of: "T") else { return nil }
        let time = text[text.index(after: separator)...].split(separator: ":").compactMap { Int($0) }
        guard time.count >= 2 else { return nil }
        return date(String(text[..<separator]), hour: time[0], minute: time[1])
    }

    /// The start of the venue's day that `date` falls on.
    static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// "2030-06-01" at `hour`:`minute` in the venue's time zone; nil for anything else.
    private static func date(_ day: String, hour: Int, minute: Int) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute)) else {
            return nil
        }
        // A day the month does not have (30 February) would roll over into the next month.
        let found = calendar.dateComponents([.year, .month, .day], from: date)
        return (found.year, found.month, found.day) == (parts[0], parts[1], parts[2]) ? date : nil
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()
}
