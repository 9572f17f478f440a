import CloseloopCore
import Foundation

/// A mail's words made fit for a complaint's fields: control characters no field accepts removed, the length bounded,
/// and in a reply the quoted earlier message cut off, so the history shows what the customer wrote this time.
enum MailText {
    /// `text` without the characters a field of `shape` refuses, at most `max` characters.
    static func clean(_ text: String, shape: TextRules.Shape, max: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if !TextRules.isForbidden(scalar, shape: shape) {
                scalars.append(scalar)
            } else if shape == .singleLine, scalar == "\n" || scalar == "\t" || scalar == "\r" {
                scalars.append(" ")
            }
        }
        let cleaned = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        return cleaned.count > max ? String(cleaned.prefix(max)) : cleaned
    }

    /// The reply above the quoted message: Outlook's and Foxmail's "-----原始邮件-----" / "-----Original Message-----",
    /// QQ Mail's and Gmail's "在 … 写道：" / "On … wrote:", and `>` lines. The whole text when nothing is left above.
    static func withoutQuotedReply(_ text: String) -> String {
        var kept: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if isQuoteHeader(trimmed) { break }
            if trimmed.hasPrefix(">") { continue }
            kept.append(line)
        }
        let reply = kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return reply.isEmpty ? text : reply
    }

    private static func isQuoteHeader(_ line: String) -> Bool {
        let lower = line.lowercased()
        if lower.hasPrefix("-----原始邮件-----") || lower.hasPrefix("-----original message-----")
            || lower.hasPrefix("------------------ 原始邮件 ------------------")
            || lower.hasPrefix("---- 回复的原邮件 ----")
        {
            return true
        }
        if line.hasPrefix("在") && (line.hasSuffix("写道：") || line.hasSuffix("写道:")) { return true }
        if lower.hasPrefix("on ") && lower.hasSuffix("wrote:") { return true }
        // Outlook's header block of the quoted message.
        if lower.hasPrefix("发件人:") || lower.hasPrefix("发件人：") || lower.hasPrefix("from: ") { return true }
        return false
    }
}
