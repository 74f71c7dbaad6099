/* kcbench: runs commands over and over, interleaved, and prints the median
 * wall time and peak resident set size of each (bench/run.sh compiles and
 * uses it; it is not part of kextcheck).
 *
 *   kcbench [-n RUNS] [-w WARMUP] SPECFILE
 *
 * SPECFILE has one command a line: a name, then its arguments, separated by
 * tabs ("base-text<TAB>/path/kextcheck<TAB>--root<TAB>/snap").  Each round
 * runs every command once, starting one command further along each round, so
 * no command always follows the same one.  A command runs with stdin from
 * /dev/null and stdout and stderr to /dev/null, straight from fork and exec
 * (no shell in between, whose own start would be measured too).  Its wall
 * time is taken around fork and wait; its peak RSS is ru_maxrss from wait4
 * (kilobytes on Linux; it includes the waited-for children of the command,
 * such as the sqlite3 processes of a shell script).
 *
 * Output, one line a command, tab-separated: name, runs, median ms, first
 * quartile ms, third quartile ms, median peak RSS KiB, largest peak RSS
 * KiB, exit status (the one every run gave, or "mixed:A/B"), median CPU ms
 * (user + system, from wait4: less disturbed than the wall time when other
 * processes share the machine).
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 64
#define MAX_ARGS 64
#define MAX_RUNS 1000

typedef struct cmd {
    char *name;
    char *argv[MAX_ARGS + 1];
    double ms[MAX_RUNS];
    double cpu[MAX_RUNS];
    long rss[MAX_RUNS];
    int status_first, status_other;
    int mixed;
    int n;
} cmd;

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* One run of c: 0, or -1 when it could not be started. */
static int run_once(cmd *c, int record)
{
    struct rusage ru;
    double start = now_ms(), end;
    int status = 0, code;
    pid_t pid = fork();

    if (pid < 0) {
        perror("kcbench: fork");
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
            _exit(126);
        execvp(c->argv[0], c->argv);
        _exit(127);
    }
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("kcbench: wait4");
            return -1;
        }
    }
    end = now_ms();
    code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code == 127 || code == 126) {
        fprintf(stderr, "kcbench: %s: cannot run %s\n", c->name, c->argv[0]);
        return -1;
    }
    if (!record)
        return 0;
    if (c->n == 0)
        c->status_first = code;
    else if (code != c->status_first) {
        c->status_other = code;
        c->mixed = 1;
    }
    c->ms[c->n] = end - start;
    c->cpu[c->n] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                   (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    c->rss[c->n] = ru.ru_maxrss;
    c->n++;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (0..1) of the sorted v[0..n-1], interpolated. */
static double quantile(const double *v, int n, double q)
{
    double pos = q * (n - 1);
    int lo = (int)pos;

    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (pos - lo) * (v[lo + 1] - v[lo]);
}

static int parse_spec(const char *path, cmd *cmds, int *ncmds)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    int rc = -1;

    *ncmds = 0;
    if (f == NULL) {
        perror(path);
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        char *save = NULL, *tok;
        cmd *c;
        int a = 0;

        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (*ncmds == MAX_CMDS) {
            fprintf(stderr, "kcbench: more than %d commands\n", MAX_CMDS);
            goto done;
        }
        c = &cmds[*ncmds];
        memset(c, 0, sizeof(*c));
        tok = strtok_r(line, "\t", &save);
        if (tok == NULL || (c->name = strdup(tok)) == NULL)
            goto done;
        while ((tok = strtok_r(NULL, "\t", &save)) != NULL) {
            if (a == MAX_ARGS || (c->argv[a] = strdup(tok)) == NULL) {
                fprintf(stderr, "kcbench: %s: too many arguments\n", c->name);
                goto done;
            }
            a++;
        }
        if (a == 0) {
            fprintf(stderr, "kcbench: %s: no command\n", c->name);
            goto done;
        }
        (*ncmds)++;
    }
    rc = 0;
done:
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    static cmd cmds[MAX_CMDS];
    int runs = 15, warmup = 2, ncmds = 0, opt;

    while ((opt = getopt(argc, argv, "n:w:")) != -1) {
        if (opt == 'n')
            runs = atoi(optarg);
        else if (opt == 'w')
            warmup = atoi(optarg);
        else
            return 64;
    }
    if (optind + 1 != argc || runs < 1 || runs > MAX_RUNS || warmup < 0) {
        fprintf(stderr, "usage: kcbench [-n RUNS (1-%d)] [-w WARMUP] SPECFILE\n", MAX_RUNS);
        return 64;
    }
    if (parse_spec(argv[optind], cmds, &ncmds) != 0 || ncmds == 0)
        return 1;
    for (int r = 0; r < warmup + runs; r++)
        for (int k = 0; k < ncmds; k++)
            if (run_once(&cmds[(r + k) % ncmds], r >= warmup) != 0)
                return 1;
    for (int k = 0; k < ncmds; k++) {
        cmd *c = &cmds[k];
        char status[32];
        qsort(c->ms, (size_t)c->n, sizeof(double), cmp_double);
        qsort(c->cpu, (size_t)c->n, sizeof(double), cmp_double);
        qsort(c->rss, (size_t)c->n, sizeof(long), cmp_long);
        if (c->mixed)
            snprintf(status, sizeof(status), "mixed:%d/%d", c->status_first, c->status_other);
        else
            snprintf(status, sizeof(status), "%d", c->status_first);
        printf("%s\t%d\t%.3f\t%.3f\t%.3f\t%ld\t%ld\t%s\t%.3f\n", c->name, c->n,
               quantile(c->ms, c->n, 0.5), quantile(c->ms, c->n, 0.25),
               quantile(c->ms, c->n, 0.75), c->rss[c->n / 2], c->rss[c->n - 1], status,
               quantile(c->cpu, c->n, 0.5));
    }
    return 0;
}
