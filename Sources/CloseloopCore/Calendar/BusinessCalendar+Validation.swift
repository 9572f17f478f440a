import Foundation

extension BusinessCalendar {
    /// Every problem that makes the calendar unusable, as English sentences; empty when valid.
    public func problems() -> [String] {
        var problems: [String] = []
        if TimeZone(identifier: timeZoneIdentifier) == nil {
            problems.append("Unknown time zone \"\(timeZoneIdentifier)\".")
        }
        if workingPeriods.isEmpty {
            problems.append("There are no working periods.")
        }
        for period in workingPeriods where !period.hasValidTimes {
            problems.append("Working period \(period) has an hour or minute out of range.")
        }
        for period in workingPeriods where period.hasValidTimes && period.isEmpty {
            problems.append("Working period \(period) is empty: it must end after it starts.")
        }
        let usable = workingPeriods.filter { $0.hasValidTimes && !$0.isEmpty }
        for (index, first) in usable.enumerated() {
            for second in usable[(index + 1)...] where first.start < second.end && second.start < first.end {
                problems.append("Working periods \(first) and \(second) overlap.")
            }
        }
        for (previous, next) in zip(usable, usable.dropFirst()) where next.end <= previous.start {
            problems.append("Working periods are out of order: \(next) comes after \(previous).")
        }
        for date in holidays.keys.sorted() where !date.isValid {
            problems.append("Holiday \(date) is not a real date.")
        }
        for date in makeUpWorkingDays.sorted() where !date.isValid {
            problems.append("Make-up working day \(date) is not a real date.")
        }
        for date in makeUpWorkingDays.sorted() {
            if let holiday = holidays[date] {
                problems.append("\(date) is both a holiday (\(holiday)) and a make-up working day.")
            }
        }
        return problems
    }
}

extension WorkingPeriod {
    fileprivate var hasValidTimes: Bool {
        [start, end].allSatisfy { (0...23).contains($0.hour) && (0...59).contains($0.minute) }
    }
}
