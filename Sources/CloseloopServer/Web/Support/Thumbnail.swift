import CloseloopCore

/// Which attachments a page shows as a small picture: the raster images a browser draws by itself, served inline by
/// the same address (and the same access checks) as their download. Anything else stays a link.
enum Thumbnail {
    static let types: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]

    static func shows(_ reference: AttachmentReference) -> Bool {
        types.contains(reference.contentType.lowercased())
    }
}
