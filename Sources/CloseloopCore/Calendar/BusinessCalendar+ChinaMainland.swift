import Foundation

extension BusinessCalendar {
    /// China mainland office hours with the State Council holiday schedule for 2026 and the statutory days off of 2027.
    ///
    /// 2027 lists only the statutory days off: the State Council has not published its 调休 schedule yet, so
    /// administrators should add the extra days off and the make-up working days once it is published.
    public static let chinaMainland = BusinessCalendar(
        name: "中国大陆",
        timeZoneIdentifier: "Asia/Shanghai",
        workingPeriods: standardWorkingPeriods,
        weekendDays: [.saturday, .sunday],
        holidays: chinaMainlandHolidays,
        makeUpWorkingDays: chinaMainlandMakeUpWorkingDays
    )

    private static let chinaMainlandHolidays: [LocalDate: String] = {
        let ranges: [(name: String, first: String, last: String)] = [
            // 2026, 国务院办公厅关于2026年部分节假日安排的通知.
            ("元旦", "2026-01-01", "2026-01-03"),
            ("春节", "2026-02-15", "2026-02-23"),
            ("清明节", "2026-04-04", "2026-04-06"),
            ("劳动节", "2026-05-01", "2026-05-05"),
            ("端午节", "2026-06-19", "2026-06-21"),
            ("中秋节", "2026-09-25", "2026-09-27"),
            ("国庆节", "2026-10-01", "2026-10-07"),
            // 2027, statutory days off only (春节 from 除夕).
            ("元旦", "2027-01-01", "2027-01-01"),
            ("春节", "2027-02-05", "2027-02-08"),
            ("清明节", "2027-04-05", "2027-04-05"),
            ("劳动节", "2027-05-01", "2027-05-02"),
            ("端午节", "2027-06-09", "2027-06-09"),
            ("中秋节", "2027-09-15", "2027-09-15"),
            ("国庆节", "2027-10-01", "2027-10-03"),
        ]
        var holidays: [LocalDate: String] = [:]
        for range in ranges {
            guard var day = LocalDate(range.first), let last = LocalDate(range.last) else { continue }
            while day <= last {
                holidays[day] = range.name
                day = day.adding(days: 1)
            }
        }
        return holidays
    }()

    private static let chinaMainlandMakeUpWorkingDays: Set<LocalDate> = Set(
        ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"].compactMap(LocalDate.init)
    )
}
