import Foundation

extension Channel {
    /// How the pages, reports and exports name it.
    public var label: LocalizedText {
        switch self {
        case .web: LocalizedText(zh: "网上提交", en: "web")
        case .phone: LocalizedText(zh: "电话", en: "phone")
        case .email: LocalizedText(zh: "邮件", en: "email")
        case .api: LocalizedText(zh: "接口", en: "API")
        case .im: LocalizedText(zh: "社交/即时消息", en: "social or IM")
        case .letter: LocalizedText(zh: "信件", en: "letter")
        case .suggestionBox: LocalizedText(zh: "意见箱", en: "suggestion box")
        case .walkIn: LocalizedText(zh: "来访", en: "walk-in")
        case .internal: LocalizedText(zh: "内部", en: "internal")
        }
    }
}

extension Severity {
    /// How the pages, reports and exports name it.
    public var label: LocalizedText {
        switch self {
        case .dissatisfied: LocalizedText(zh: "不满意", en: "dissatisfied")
        case .veryDissatisfied: LocalizedText(zh: "非常不满意", en: "very dissatisfied")
        case .major: LocalizedText(zh: "重大投诉", en: "major")
        case .crisis: LocalizedText(zh: "危机事件", en: "crisis")
        }
    }
}

extension ComplaintKind {
    /// How the pages, reports and exports name it.
    public var label: LocalizedText {
        switch self {
        case .complaint: LocalizedText(zh: "投诉", en: "complaint")
        case .inquiry: LocalizedText(zh: "咨询", en: "inquiry")
        case .help: LocalizedText(zh: "求助", en: "help")
        case .suggestion: LocalizedText(zh: "建议", en: "suggestion")
        case .venting: LocalizedText(zh: "发泄", en: "venting")
        }
    }
}
