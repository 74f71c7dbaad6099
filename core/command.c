/*
 * Running a macOS tool in live mode: fork/exec of an absolute path, no
 * shell, a clean environment, stdin from /dev/null, stdout and stderr
 * captured together up to a cap, and a timeout after which the whole
 * process group is killed.
 */
#include "kc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void set_error(kc_cmd_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_error(kc_cmd_result *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    free(r->error);
    r->error = kc_strdup(buf);
}

/* dup2 that also works when the descriptor already has the number (then
 * close-on-exec must be cleared by hand). */
static int move_fd(int from, int to)
{
    if (from == to) {
        int flags = fcntl(from, F_GETFD);
        return flags < 0 ? -1 : fcntl(from, F_SETFD, flags & ~FD_CLOEXEC);
    }
    return dup2(from, to) < 0 ? -1 : 0;
}

/* In the child: a new process group, default signals, only fds 0-2, exec.
 * Never returns. */
static void child(const char *const argv[], int out_fd, int null_fd)
{
    static char *const env[] = {"PATH=/usr/bin:/bin:/usr/sbin:/sbin", "LC_ALL=C", NULL};
    static const int sigs[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD};
    sigset_t none;
    long max = sysconf(_SC_OPEN_MAX);

    setpgid(0, 0);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        signal(sigs[i], SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (move_fd(null_fd, STDIN_FILENO) != 0 || move_fd(out_fd, STDOUT_FILENO) != 0 ||
        move_fd(out_fd, STDERR_FILENO) != 0)
        _exit(126);
    if (max < 0 || max > 4096)
        max = 4096;
    for (int fd = 3; fd < max; fd++)
        close(fd);
    execve(argv[0], (char *const *)argv, env);
    _exit(127);
}

/* Waits for the child until the deadline; kills its group after that. */
static int reap(pid_t pid, long long deadline, bool *timed_out)
{
    int status = 0;

    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            return status;
        if (w < 0 && errno != EINTR)
            return -1;
        if (kc_now_ms() >= deadline) {
            *timed_out = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                    return -1;
            return status;
        }
        poll(NULL, 0, 20);
    }
}

int kc_run_command(const char *const argv[], int timeout_ms, size_t cap, kc_cmd_result *r)
{
    int pipefd[2] = {-1, -1}, null_fd = -1, status = 0, rc = -1;
    pid_t pid = -1;
    long long start = kc_now_ms(), deadline = start + timeout_ms;
    struct stat st;
    bool done = false;

    memset(r, 0, sizeof(r[0]));
    r->exit_status = -1;
    if (argv[0] == NULL || argv[0][0] != '/') {
        set_error(r, "%s: not an absolute path", argv[0] ? argv[0] : "(none)");
        return r->error ? 0 : -1;
    }
    if (stat(argv[0], &st) != 0 || !S_ISREG(st.st_mode) || access(argv[0], X_OK) != 0) {
        r->missing = true;
        set_error(r, "%s: not found or not executable", argv[0]);
        return r->error ? 0 : -1;
    }
    r->out = malloc(cap + 1);
    if (r->out == NULL)
        goto done;
    null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || pipe(pipefd) != 0 || fcntl(pipefd[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(pipefd[1], F_SETFD, FD_CLOEXEC) != 0) {
        set_error(r, "cannot set up the command's output: %s", strerror(errno));
        rc = r->error ? 0 : -1;
        goto done;
    }
    pid = fork();
    if (pid < 0) {
        set_error(r, "cannot start the command: %s", strerror(errno));
        rc = r->error ? 0 : -1;
        goto done;
    }
    if (pid == 0)
        child(argv, pipefd[1], null_fd);
    setpgid(pid, pid); /* also in the parent, whichever runs first */
    close(pipefd[1]);
    pipefd[1] = -1;
    while (!done) {
        struct pollfd p = {pipefd[0], POLLIN, 0};
        long long left = deadline - kc_now_ms();
        int n;
        if (left <= 0) {
            r->timed_out = true;
            break;
        }
        n = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            set_error(r, "reading the command's output: %s", strerror(errno));
            break;
        }
        if (n == 0)
            continue;
        for (;;) {
            char scratch[1];
            size_t room = cap - r->len;
            ssize_t got = read(pipefd[0], room ? r->out + r->len : scratch, room ? room : 1);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0) {
                set_error(r, "reading the command's output: %s", strerror(errno));
                done = true;
            } else if (got == 0) {
                done = true;
            } else if (room == 0) {
                r->truncated = true;
                done = true;
            } else {
                r->len += (size_t)got;
            }
            break;
        }
    }
    r->out[r->len] = '\0';
    if (r->timed_out || r->truncated || r->error) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
    }
    /* Output closed is not the end: a tool may close it and keep running. */
    status = reap(pid, deadline, &r->timed_out);
    if (r->timed_out) {
        set_error(r, "%s did not finish within %d ms and was stopped", argv[0], timeout_ms);
    } else if (r->truncated) {
        set_error(r, "%s printed more than %zu bytes and was stopped", argv[0], cap);
    } else if (status != -1 && WIFEXITED(status)) {
        r->exit_status = WEXITSTATUS(status);
        if (r->exit_status == 127 && r->len == 0)
            set_error(r, "%s could not be executed", argv[0]);
    } else if (status != -1 && WIFSIGNALED(status)) {
        set_error(r, "%s was killed by signal %d", argv[0], WTERMSIG(status));
    } else if (status == -1) {
        set_error(r, "waiting for %s: %s", argv[0], strerror(errno));
    }
    r->duration_ms = kc_now_ms() - start;
    r->ran = true;
    rc = 0;
done:
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    if (null_fd >= 0)
        close(null_fd);
    if (rc != 0) {
        free(r->out);
        r->out = NULL;
    }
    return rc;
}

void kc_cmd_result_free(kc_cmd_result *r)
{
    free(r->out);
    free(r->error);
    memset(r, 0, sizeof(*r));
}
