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

static long long now_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_error(kc_cmd_result *r, const char *fmt, const char *a, long long b)
{
    char buf[512];

    kc_snprintf(buf, sizeof(buf), fmt, a, b);
    free(r->error);
    r->error = kc_strdup(buf);
}

/* In the child: wire the descriptors and exec; never returns. */
static void child(const char *const argv[], int out_fd, int null_fd)
{
    static char *const env[] = {"PATH=/usr/bin:/bin:/usr/sbin:/sbin", "LC_ALL=C", NULL};

    setpgid(0, 0);
    if (dup2(null_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
        dup2(out_fd, STDERR_FILENO) < 0)
        _exit(126);
    execve(argv[0], (char *const *)argv, env);
    _exit(127);
}

int kc_run_command(const char *const argv[], int timeout_ms, size_t cap, kc_cmd_result *r)
{
    int pipefd[2] = {-1, -1}, null_fd = -1, status = 0, rc = -1;
    pid_t pid = -1;
    long long start = now_ms(), deadline = start + timeout_ms;
    struct stat st;
    bool done = false;

    memset(r, 0, sizeof(r[0]));
    r->exit_status = -1;
    if (argv[0] == NULL || argv[0][0] != '/') {
        set_error(r, "%s: not an absolute path%lld", argv[0] ? argv[0] : "(none)", 0);
        r->error[strlen(r->error) - 1] = '\0';
        return 0;
    }
    if (stat(argv[0], &st) != 0 || !S_ISREG(st.st_mode) || access(argv[0], X_OK) != 0) {
        r->missing = true;
        set_error(r, "%s: not found or not executable%lld", argv[0], 0);
        r->error[strlen(r->error) - 1] = '\0';
        return 0;
    }
    r->out = malloc(cap + 1);
    if (r->out == NULL)
        goto done;
    null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || pipe(pipefd) != 0 || fcntl(pipefd[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(pipefd[1], F_SETFD, FD_CLOEXEC) != 0) {
        set_error(r, "cannot set up the command's output: %s%lld", strerror(errno), 0);
        r->error[strlen(r->error) - 1] = '\0';
        rc = 0;
        goto done;
    }
    pid = fork();
    if (pid < 0) {
        set_error(r, "cannot start the command: %s%lld", strerror(errno), 0);
        r->error[strlen(r->error) - 1] = '\0';
        rc = 0;
        goto done;
    }
    if (pid == 0)
        child(argv, pipefd[1], null_fd);
    setpgid(pid, pid); /* also in the parent, whichever runs first */
    close(pipefd[1]);
    pipefd[1] = -1;
    while (!done) {
        struct pollfd p = {pipefd[0], POLLIN, 0};
        long long left = deadline - now_ms();
        int n;
        if (left <= 0) {
            r->timed_out = true;
            break;
        }
        n = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            set_error(r, "reading the command's output: %s%lld", strerror(errno), 0);
            r->error[strlen(r->error) - 1] = '\0';
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
            if (got <= 0) {
                done = got == 0;
                if (got < 0) {
                    set_error(r, "reading the command's output: %s%lld", strerror(errno), 0);
                    r->error[strlen(r->error) - 1] = '\0';
                    done = true;
                }
                break;
            }
            if (room == 0) {
                r->truncated = true;
                done = true;
            } else {
                r->len += (size_t)got;
            }
            break;
        }
    }
    r->out[r->len] = '\0';
    if (r->timed_out || r->truncated || r->error)
        kill(-pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            status = -1;
            break;
        }
    }
    if (r->timed_out) {
        set_error(r, "%s did not finish within %lld ms and was stopped", argv[0], timeout_ms);
    } else if (r->truncated) {
        set_error(r, "%s printed more than %lld bytes and was stopped", argv[0], (long long)cap);
    } else if (status != -1 && WIFEXITED(status)) {
        r->exit_status = WEXITSTATUS(status);
        if (r->exit_status == 127 && r->len == 0) {
            set_error(r, "%s could not be executed%lld", argv[0], 0);
            r->error[strlen(r->error) - 1] = '\0';
        }
    } else if (status != -1 && WIFSIGNALED(status)) {
        set_error(r, "%s was killed by signal %lld", argv[0], WTERMSIG(status));
    }
    r->duration_ms = now_ms() - start;
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
