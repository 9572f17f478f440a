import Foundation

extension ClockSchedule {
    /// What is wrong with the date by which an assigner wants the handler done (要求完成时间): it must lie ahead of
    /// `now` and no later than the resolution deadline the complaint has once assigned, so a target never promises
    /// the customer more time than the policy gives. `history` ends with the assignment itself, whose priority and
    /// severity set that deadline. Without a running resolution clock (a request, a pause) only the first rule holds.
    public func handlerDueProblems(_ due: Date, after history: [ComplaintEvent], now: Date) -> [FieldIssue] {
        if due <= now {
            return [
                FieldIssue(
                    field: "handlerDue", code: "in_past",
                    message: LocalizedText(zh: "须晚于当前时间", en: "must be in the future"))
            ]
        }
        let resolution = clocks(for: history).first { $0.clock == .resolution && $0.isRunning }
        if let deadline = resolution?.dueAt, due > deadline {
            let text = localText(deadline)
            return [
                FieldIssue(
                    field: "handlerDue", code: "after_resolution_deadline",
                    message: LocalizedText(
                        zh: "不能晚于解决时限 \(text)", en: "must be no later than the resolution deadline, \(text)"))
            ]
        }
        return []
    }

    /// `2026-04-15 18:00` in the calendar's zone, as staff read deadlines.
    private func localText(_ instant: Date) -> String {
        let parts = calendar.gregorian.dateComponents([.hour, .minute], from: instant)
        let time = LocalTime(hour: parts.hour ?? 0, minute: parts.minute ?? 0)
        return "\(calendar.localDate(of: instant)) \(time)"
    }
}
