public import Foundation

/// A day as people write it, `YYYY-MM-DD`, without a time: the Create Event form's date, a
/// listing's `from` and `to`.
public struct CalendarDay: Sendable, Equatable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Reads exactly `YYYY-MM-DD` of a day the month has (never 2031-02-30); nil for anything else.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            utf8.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || digits.contains($0.element) })
        else { return nil }
        let number = { (range: Range<Int>) in range.reduce(0) { $0 * 10 + Int(utf8[$1] - UInt8(ascii: "0")) } }
        (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
        // Invariant: a day the month does not have is refused, not rolled into the next month.
        guard DateComponents(year: year, month: month, day: day).isValidDate(in: Self.calendar(in: .gmt)) else { return nil }
    }

    /// The moment the day reaches `hour` o'clock in `timeZone`; on a day the clocks skip that
    /// hour, the first moment after the gap.
    public func start(in timeZone: TimeZone, hour: Int = 0) -> Date? {
        let calendar = Self.calendar(in: timeZone)
        guard (0...23).contains(hour), let midnight = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        return calendar.date(bySettingHour: hour, minute: 0, second: 0, of: midnight, matchingPolicy: .nextTime)
    }

    /// The last moment of the day in `timeZone` (a millisecond before the next day starts).
    public func end(in timeZone: TimeZone) -> Date? {
        guard let start = start(in: timeZone) else { return nil }
        return Self.calendar(in: timeZone).date(byAdding: .day, value: 1, to: start)?.addingTimeInterval(-0.001)
    }

    private static func calendar(in timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
