enum _CloseloopStorePlaceholder {}
