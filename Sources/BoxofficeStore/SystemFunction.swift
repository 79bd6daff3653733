import Foundation

/// A C function of the system's libraries looked up at run time, for the few that Glibc's module
/// map leaves out (`syncfs`, `pthread_setname_np`); nil where the system has none.
func systemFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
    dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
}
