#define _GNU_SOURCE
#include "CLinux.h"
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

int bx_syncfs(int fd) { return syncfs(fd); }

int bx_set_thread_name(const char *name) { return pthread_setname_np(pthread_self(), name); }

int bx_set_idle_priority(void) {
    struct sched_param parameters = {0};
    return sched_setscheduler(0, SCHED_IDLE, &parameters);
}

const int bx_o_tmpfile = O_TMPFILE;
