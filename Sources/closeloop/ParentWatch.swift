import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ends this process once the one that started it is gone. A server killed outright (SIGKILL, the OOM killer) cannot
/// stop its training child, which would otherwise train on alone for minutes, holding a core and a database
/// connection, with nobody to read the model but the next server.
enum ParentWatch {
    /// How often the parent is looked for: a lost second of a child's life is nothing, a busy loop would be.
    static let interval: TimeInterval = 1

    /// Starts watching `parent`; the process exits with status 1 when it is no longer this one's parent (it exited,
    /// and the child was handed to another). Checked once at once, so a parent gone before the watch began is seen.
    static func start(parent: Int32) {
        exitIfGone(parent)
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: interval)
                exitIfGone(parent)
            }
        }
        thread.name = "parent watch"
        thread.start()
    }

    private static func exitIfGone(_ parent: Int32) {
        guard getppid() != parent else { return }
        FileHandle.standardError.write(
            Data("closeloop: the server that started this process (\(parent)) is gone; stopping\n".utf8))
        exit(1)
    }
}
