import Foundation
import Testing

@testable import CloseloopCore

/// Intake trims what the customer typed without Foundation; it must trim exactly what Foundation trims.
@Suite("Trimming white space")
struct WhitespaceTests {
    @Test(
        "The same characters as Foundation's whitespacesAndNewlines, at either end only",
        arguments: [
            "", " ", "\n\t\r", "王芳", "  王 芳  ", "\u{3000}投诉\u{3000}", "\u{00A0}refund\u{00A0}", "\u{0085}x\u{2028}",
            "\u{2029}\u{202F}a b\u{205F}\u{1680}", "\u{FEFF}bom\u{FEFF}",
            "tab\tinside\t", "\u{000B}\u{000C}v\u{2000}\u{200A}", "e\u{0301} ", " \u{0301}",
        ])
    func matchesFoundation(text: String) {
        #expect(text.trimmingWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("A zero-width space is trimmed too, and a combining mark after a space is kept")
    func invisibleAndCombining() {
        #expect("\u{200B}王芳\u{200B} ".trimmingWhitespace == "王芳")
        #expect(" \u{0301}".trimmingWhitespace == "\u{0301}")
    }
}
