// WorkOSEmulator
