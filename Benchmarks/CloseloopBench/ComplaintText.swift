/// One real complaint text from the shared data, shaped as an intake would record it.
struct ComplaintText: Sendable {
    enum Language: String, Sendable { case chinese = "zh", english = "en" }

    var language: Language
    var subject: String
    var description: String
    /// Where it came from (file stem), which also suggests the responsible department.
    var source: String
    /// The product or brand the source names, when it names one.
    var product: String?
}
