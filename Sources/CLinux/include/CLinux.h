#ifndef BOXOFFICE_CLINUX_H
#define BOXOFFICE_CLINUX_H

// The Linux calls the store makes that Glibc's Swift module map leaves out: they are declared
// only under _GNU_SOURCE, which the module map does not define.

/// syncfs(2): flushes the file system that holds `fd`.
int bx_syncfs(int fd);
/// pthread_setname_np(3) for the calling thread: `name` as top -H and /proc show it (15 bytes at most).
int bx_set_thread_name(const char *name);
/// sched_setscheduler(2) with SCHED_IDLE for the calling thread.
int bx_set_idle_priority(void);
/// O_TMPFILE, the open(2) flag for an unnamed file in a directory.
extern const int bx_o_tmpfile;

#endif
