#if canImport(Glibc)
    import Glibc
#endif

/// Memory the allocator holds free, handed back to the system. Training the classification model frees a few
/// hundred MB on a worker thread; glibc keeps what a thread's arena freed for that thread's later use, so without
/// this the server stayed at its training peak (385 MB against 60 MB idle, 50,000 complaints) until it restarted.
enum FreedMemory {
    static func returnToSystem() {
        #if canImport(Glibc)
            // glibc's `malloc_trim`, looked up when called: its header is not in Swift's Glibc module, and a C library
            // without it (musl) simply keeps its memory.
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
            _ = trim(0)
        #endif
    }
}
