import CloseloopApp
import Foundation
import Synchronization

/// `closeloop suggestions train --if-older-than SECONDS` run as a child of the server, on the server's database.
public struct TrainingChild: Sendable {
    /// The `closeloop` executable.
    public var executable: URL
    /// The child's whole environment. The database goes here rather than in the arguments: a PostgreSQL URL may hold
    /// a password, and the arguments are anyone's to read in `ps`, the environment only its owner's.
    public var environment: [String: String]

    /// A child still running after this is stopped, and the pass fails: 50,000 complaints train in well under a
    /// minute here, so this long means the child is stuck (waiting on a lock, say), not slow. The same as the claim
    /// that holds the other instances off, so that none trains while this one's child may still be writing.
    static let limit: Duration = .seconds(ClassificationSuggestions.trainingClaim)

    public init(executable: URL, environment: [String: String]) {
        self.executable = executable
        self.environment = environment
    }

    /// The executable this process runs, for a server starting its own tool. On Linux `/proc/self/exe`, which the
    /// child resolves to the same file even when an upgrade has since replaced it on disk: a newer build must not
    /// open (and migrate) the database under the server that is running.
    public static var ownExecutable: URL {
        #if os(Linux)
            URL(fileURLWithPath: "/proc/self/exe")
        #else
            Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
    }

    /// Runs the child to its end and returns what it printed; throws when it could not start, failed or ran past
    /// `limit`. Cancelling the task (the server shutting down) stops the child.
    func run(olderThan age: Int) async throws -> String {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("closeloop-training-\(UUID().uuidString).log")
        // A file rather than a pipe: nothing has to read while the child writes, and it never blocks on a full pipe.
        // Removed from the directory as soon as it is open, so that a server killed meanwhile leaves nothing behind;
        // the child writes to, and this reads back from, the open file.
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw TrainingChildError.couldNotStart("cannot create \(output.path)")
        }
        let opened = Result { try FileHandle(forUpdating: output) }
        try? FileManager.default.removeItem(at: output)
        let handle = try opened.get()
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = executable
        // The child stops by itself if this process dies without stopping it (SIGKILL).
        process.arguments = [
            "suggestions", "train", "--if-older-than", String(age), "--parent",
            String(ProcessInfo.processInfo.processIdentifier),
        ]
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        let run = ChildRun(process)
        let watchdog = Task {
            try await Task.sleep(for: Self.limit)
            run.stop(overrun: true)
        }
        defer { watchdog.cancel() }
        try await withTaskCancellationHandler {
            try await run.start()
        } onCancel: {
            run.stop(overrun: false)
        }
        try? handle.seek(toOffset: 0)
        let printed = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if run.overran { throw TrainingChildError.overran(Self.limit, output: printed) }
        try Task.checkCancellation()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw TrainingChildError.failed(status: process.terminationStatus, output: printed)
        }
        return printed
    }
}

/// Why a training child did not train.
public enum TrainingChildError: Error, CustomStringConvertible {
    case couldNotStart(String)
    case failed(status: Int32, output: String)
    case overran(Duration, output: String)

    public var description: String {
        switch self {
        case .couldNotStart(let reason): "the training process could not start: \(reason)"
        case .failed(let status, let output): "the training process ended with status \(status): \(output)"
        case .overran(let limit, let output): "the training process ran longer than \(limit) and was stopped: \(output)"
        }
    }
}

/// One child's start and stop, which the task running it and its cancellation or watchdog call from different
/// threads: stopping before the start means never starting, and a child is signalled only while it runs.
private final class ChildRun: Sendable {
    private struct State {
        var started = false
        var stopped = false
        var overran = false
    }

    // Started and signalled only under the lock, so a stop never races the start.
    private let process: Process
    private let state = Mutex(State())

    init(_ process: Process) { self.process = process }

    var overran: Bool { state.withLock { $0.overran } }

    /// Starts the child and returns once it has exited.
    func start() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            let started: Result<Bool, any Error> = state.withLock { state in
                guard !state.stopped else { return .success(false) }
                do {
                    try process.run()
                    state.started = true
                    return .success(true)
                } catch {
                    return .failure(error)
                }
            }
            // A child that never started never calls its termination handler: the continuation is resumed here.
            switch started {
            case .success(true): break
            case .success(false): continuation.resume(throwing: CancellationError())
            case .failure(let error): continuation.resume(throwing: TrainingChildError.couldNotStart("\(error)"))
            }
        }
    }

    /// Asks the child to stop (SIGTERM); it has no work a signal could leave half done, since its one write, the
    /// model, is a single transaction.
    func stop(overrun: Bool) {
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            if state.started, process.isRunning {
                state.overran = overrun
                process.terminate()
            }
        }
    }
}
