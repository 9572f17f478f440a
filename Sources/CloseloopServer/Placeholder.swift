enum _CloseloopServerPlaceholder {}
