print("closeloop")
