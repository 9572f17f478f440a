import Subprocess

/// How a child process (sendmail, pg_dump) ended, for messages and exit codes.
enum ChildExit {
    /// "exited with 75" or "was stopped by signal 9".
    static func words(_ status: TerminationStatus) -> String {
        switch status {
        case .exited(let code): "exited with \(code)"
        case .signaled(let signal): "was stopped by signal \(signal)"
        }
    }

    /// The exit code, or 128 + the signal as a shell reports it.
    static func code(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}
