import Foundation

/// How the pages write dates and money. Dates are shown in the node's time zone: a node runs at
/// its venue, so that is the venue's.
enum WebFormat {
    static let timeZone = TimeZone.current

    /// "Sat, 1 Jun 2030, 22:00 CEST"
    static func when(_ date: Date) -> String {
        date.formatted(
            Date.FormatStyle(locale: Locale(identifier: "en_GB"), timeZone: timeZone).weekday(.abbreviated).day().month(.abbreviated).year()
                .hour(.twoDigits(amPM: .omitted)).minute().timeZone(.specificName(.short)))
    }

    /// "22:00"
    static func time(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(locale: Locale(identifier: "en_GB"), timeZone: timeZone).hour(.twoDigits(amPM: .omitted)).minute())
    }

    /// "25.50 EUR"
    static func money(_ amount: Decimal, _ currency: String) -> String {
        String(format: "%.2f %@", NSDecimalNumber(decimal: amount).doubleValue, currency)
    }

    /// A day from a date input ("2030-06-01"), at its start in the venue's time zone.
    static func day(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// The value of a `datetime-local` input for `date` ("2030-06-01T22:00"), and back.
    static func localInput(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func localInput(_ text: String?) -> Date? {
        guard let text, let separator = text.firstIndex(of: "T"), let day = day(String(text[..<separator])) else { return nil }
        let time = text[text.index(after: separator)...].split(separator: ":").compactMap { Int($0) }
        guard time.count >= 2, (0..<24).contains(time[0]), (0..<60).contains(time[1]) else { return nil }
        return day.addingTimeInterval(TimeInterval(time[0] * 3600 + time[1] * 60))
    }
}
