/*
 * `kextcheck plugins validate FILE...`: each file is loaded and validated
 * in a child process, so that plugin code never runs in the process of the
 * admin who asked.  The child does exactly what the host does
 * (kc_registry_load_file: trust checks, dlopen, entry function, the rules
 * of plugin.h), then unloads the plugin, and sends what it found back over
 * a pipe.  The parent gives it KC_VALIDATE_TIMEOUT_S seconds and turns any
 * misbehaviour into a refusal with its reason: a crash (signal), a hang
 * (stopped), a call to exit() or _exit(), bytes written to standard output
 * or standard error.
 */
#include "i18n.h"
#include "kc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The child's report: records of a tag byte, a 4-byte length (host byte
 * order: both ends are this program) and that many bytes. */
enum {
    REC_ABI = 'a',       /* decimal abi_version */
    REC_NAME = 'n',
    REC_VENDOR = 'v',
    REC_TEAM = 't',
    REC_DEVELOPER = 'd', /* absent when NULL */
    REC_REFERENCE = 'r',
    REC_KEXT = 'k',
    REC_INSTALL = 'i',
    REC_STAGED = 's',
    REC_SYSEXT = 'y',
    REC_KB_URL = 'u',    /* ABI 1.2 fields, absent when NULL */
    REC_UNINSTALL = 'h',
    REC_DIAGNOSTIC = 'c',
    REC_SYSEXT_TEAM = 'm',
    REC_PROBLEM = 'p',   /* one reason the file was refused */
    REC_EXIT = 'x',      /* plugin code called exit(); "loaded" or "unloaded" */
    REC_END = 'e',       /* the child finished normally */
};

/* Bounds on what the parent accepts from a child. */
#define RECORD_MAX (64 * 1024)
#define REPORT_MAX (1024 * 1024)
#define EXCERPT_BYTES 48

/* ---- the child ---------------------------------------------------------- */

/* Writes one record; a failure shows in the parent as a missing end. */
static void send_record(int fd, char tag, const char *s)
{
    size_t n = strlen(s);
    uint32_t len = (uint32_t)(n > RECORD_MAX ? RECORD_MAX : n);
    char head[5];
    const char *p = head;
    size_t left = sizeof(head);

    head[0] = tag;
    memcpy(head + 1, &len, sizeof(len));
    for (int part = 0; part < 2; part++) {
        while (left > 0) {
            ssize_t w = write(fd, p, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return;
            p += w;
            left -= (size_t)w;
        }
        p = s;
        left = len;
    }
}

static void send_list(int fd, char tag, const kc_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        send_record(fd, tag, sv->v[i]);
}

static void report_exit(void *ctx, const char *plugin, const char *doing)
{
    (void)plugin;
    send_record(*(const int *)ctx, REC_EXIT, doing);
}

/* Never returns. */
static void run_child(const char *path, bool unsafe, int res, int out, int err)
{
    kc_registry r;
    char abi[16];
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int rc;

    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
    /* Above 2 first, so that no dup2 below overwrites another of them. */
    res = fcntl(res, F_DUPFD_CLOEXEC, 3);
    out = fcntl(out, F_DUPFD_CLOEXEC, 3);
    err = fcntl(err, F_DUPFD_CLOEXEC, 3);
    if (res < 0 || out < 0 || err < 0 || null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
        dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
        _exit(126);
    memset(&r, 0, sizeof(r));
    r.allow_unsafe = unsafe;
    kc_loader_on_plugin_exit(report_exit, &res);
    rc = kc_registry_load_file(&r, path);
    if (rc < 0) {
        send_record(res, REC_PROBLEM, _("out of memory while validating it"));
    } else if (r.n_vendors == 1) {
        const kc_vendor *v = &r.vendors[0];
        kc_snprintf(abi, sizeof(abi), "%lu", (unsigned long)v->abi_version);
        send_record(res, REC_ABI, abi);
        send_record(res, REC_NAME, v->name);
        send_record(res, REC_VENDOR, v->vendor);
        send_record(res, REC_TEAM, v->team_id);
        if (v->developer_name != NULL)
            send_record(res, REC_DEVELOPER, v->developer_name);
        send_record(res, REC_REFERENCE, v->reference);
        send_list(res, REC_KEXT, &v->kexts);
        send_list(res, REC_INSTALL, &v->install_paths);
        send_list(res, REC_STAGED, &v->staged_paths);
        send_list(res, REC_SYSEXT, &v->sysexts);
        if (v->kb_url != NULL)
            send_record(res, REC_KB_URL, v->kb_url);
        if (v->uninstall_hint != NULL)
            send_record(res, REC_UNINSTALL, v->uninstall_hint);
        if (v->diagnostic_command != NULL)
            send_record(res, REC_DIAGNOSTIC, v->diagnostic_command);
        if (v->sysext_team_id != NULL)
            send_record(res, REC_SYSEXT_TEAM, v->sysext_team_id);
    }
    for (size_t i = 0; i < r.n_refused; i++)
        send_list(res, REC_PROBLEM, &r.refused[i].problems);
    kc_registry_free(&r); /* destructors run here, as in the host */
    send_record(res, REC_END, "");
    _exit(0);
}

/* ---- the parent --------------------------------------------------------- */

typedef struct stream {
    int fd;          /* -1 once closed */
    size_t total;    /* bytes received */
    char *data;      /* the report (result stream only) */
    size_t cap;
    char head[EXCERPT_BYTES]; /* the first bytes (stdout, stderr) */
} stream;

/* Reads what is there; 1 at end of stream, 0 otherwise. */
static int drain(stream *s, bool keep)
{
    char buf[4096];
    ssize_t n = read(s->fd, buf, sizeof(buf));

    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : 1;
    if (n == 0)
        return 1;
    if (keep) {
        if (s->total + (size_t)n > REPORT_MAX)
            return 1; /* more than any honest report: stop listening */
        if (s->total + (size_t)n > s->cap) {
            size_t cap = s->cap ? s->cap : 4096;
            char *grown;
            while (cap < s->total + (size_t)n)
                cap *= 2;
            grown = realloc(s->data, cap);
            if (grown == NULL)
                return 1;
            s->data = grown;
            s->cap = cap;
        }
        memcpy(s->data + s->total, buf, (size_t)n);
    } else {
        for (ssize_t i = 0; i < n && s->total + (size_t)i < EXCERPT_BYTES; i++)
            s->head[s->total + (size_t)i] = buf[i];
    }
    s->total += (size_t)n;
    return 0;
}

/* "wrote N bytes to standard output while being validated ("...")"
 * (err: standard error instead). */
static int note_stream(const stream *s, bool err, kc_strv *problems)
{
    char excerpt[EXCERPT_BYTES * 4 + 1], why[512];
    size_t o = 0, shown = s->total < EXCERPT_BYTES ? s->total : EXCERPT_BYTES;

    if (s->total == 0)
        return 0;
    for (size_t i = 0; i < shown; i++) {
        unsigned char ch = (unsigned char)s->head[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
            excerpt[o++] = (char)ch;
        else
            o += (size_t)snprintf(excerpt + o, sizeof(excerpt) - o, "\\x%02x", ch);
    }
    excerpt[o] = '\0';
    kc_snprintf(why, sizeof(why),
                err ? P_("wrote %zu byte to standard error while being validated (\"%s%s\"); "
                         "a plugin must only return data",
                         "wrote %zu bytes to standard error while being validated (\"%s%s\"); "
                         "a plugin must only return data",
                         s->total)
                    : P_("wrote %zu byte to standard output while being validated (\"%s%s\"); "
                         "a plugin must only return data",
                         "wrote %zu bytes to standard output while being validated "
                         "(\"%s%s\"); a plugin must only return data",
                         s->total),
                s->total, excerpt, s->total > EXCERPT_BYTES ? "..." : "");
    return kc_strv_push(problems, why);
}

/* The child's vendor, rebuilt as a descriptor for kc_registry_add. */
typedef struct received {
    bool has_vendor, ended;
    const char *exited; /* "loaded"/"unloaded" when plugin code called exit() */
    uint32_t abi;
    kc_strv name, vendor, team, developer, reference;
    kc_strv kexts, install, staged, sysexts;
    kc_strv kb_url, uninstall, diagnostic, sysext_team; /* ABI 1.2 */
    kc_strv problems;
} received;

static void received_free(received *r)
{
    kc_strv *all[] = {&r->name,    &r->vendor,    &r->team,       &r->developer,
                      &r->reference, &r->kexts,   &r->install,    &r->staged,
                      &r->sysexts, &r->kb_url,    &r->uninstall,  &r->diagnostic,
                      &r->sysext_team, &r->problems};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        kc_strv_free(all[i]);
}

/* Splits the report into its records.  0, or -1 on out-of-memory. */
static int parse_report(const stream *s, received *r)
{
    size_t o = 0;

    while (o + 5 <= s->total) {
        char tag = s->data[o];
        uint32_t len;
        char *text;
        kc_strv *into = NULL;
        memcpy(&len, s->data + o + 1, sizeof(len));
        if (len > RECORD_MAX || o + 5 + len > s->total)
            break;
        text = kc_asprintf("%.*s", (int)len, s->data + o + 5);
        if (text == NULL)
            return -1;
        o += 5 + len;
        switch (tag) {
        case REC_ABI:
            r->abi = (uint32_t)strtoul(text, NULL, 10);
            r->has_vendor = true;
            break;
        case REC_NAME: into = &r->name; break;
        case REC_VENDOR: into = &r->vendor; break;
        case REC_TEAM: into = &r->team; break;
        case REC_DEVELOPER: into = &r->developer; break;
        case REC_REFERENCE: into = &r->reference; break;
        case REC_KEXT: into = &r->kexts; break;
        case REC_INSTALL: into = &r->install; break;
        case REC_STAGED: into = &r->staged; break;
        case REC_SYSEXT: into = &r->sysexts; break;
        case REC_KB_URL: into = &r->kb_url; break;
        case REC_UNINSTALL: into = &r->uninstall; break;
        case REC_DIAGNOSTIC: into = &r->diagnostic; break;
        case REC_SYSEXT_TEAM: into = &r->sysext_team; break;
        case REC_PROBLEM: into = &r->problems; break;
        case REC_EXIT:
            r->exited = strcmp(text, "unloaded") == 0 ? "unloaded" : "loaded";
            break;
        case REC_END: r->ended = true; break;
        default: break;
        }
        if (into != NULL && kc_strv_push(into, text) != 0) {
            free(text);
            return -1;
        }
        free(text);
    }
    return 0;
}

/* A NULL-terminated copy of sv's pointers (the strings stay in sv). */
static const char **array_of(const kc_strv *sv)
{
    const char **a = calloc(sv->n + 1, sizeof(*a));

    for (size_t i = 0; a != NULL && i < sv->n; i++)
        a[i] = sv->v[i];
    return a;
}

/* Adds the child's vendor to reg: the same checks again, and the duplicate
 * checks against the files validated before. */
static int add_received(kc_registry *reg, const received *r, const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n;
    char *stem;
    const char **kexts = array_of(&r->kexts), **install = array_of(&r->install);
    const char **staged = array_of(&r->staged), **sysexts = array_of(&r->sysexts);
    struct kc_plugin d;
    int rc = -1;

    base = base ? base + 1 : path;
    n = strlen(base);
    stem = kc_asprintf("%.*s", (int)(n > 3 ? n - 3 : n), base);
    if (stem == NULL || kexts == NULL || install == NULL || staged == NULL || sysexts == NULL)
        goto done;
    memset(&d, 0, sizeof(d));
    d.abi_version = r->abi;
    /* The size of the plugin's own minor version: the host reads what the
     * plugin had, no more. */
    d.size = KC_PLUGIN_VERSION_MINOR(r->abi) >= 2   ? (uint32_t)sizeof(d)
             : KC_PLUGIN_VERSION_MINOR(r->abi) == 1 ? (uint32_t)KC_PLUGIN_SIZE_1_1
                                                    : (uint32_t)KC_PLUGIN_SIZE_1_0;
    d.name = r->name.n ? r->name.v[0] : NULL;
    d.vendor = r->vendor.n ? r->vendor.v[0] : NULL;
    d.team_id = r->team.n ? r->team.v[0] : NULL;
    d.developer_name = r->developer.n ? r->developer.v[0] : NULL;
    d.reference = r->reference.n ? r->reference.v[0] : NULL;
    d.kext_bundle_ids = kexts;
    d.install_paths = install;
    d.staged_paths = staged;
    d.sysext_bundle_ids = sysexts;
    d.kb_url = r->kb_url.n ? r->kb_url.v[0] : NULL;
    d.uninstall_hint = r->uninstall.n ? r->uninstall.v[0] : NULL;
    d.diagnostic_command = r->diagnostic.n ? r->diagnostic.v[0] : NULL;
    d.sysext_team_id = r->sysext_team.n ? r->sysext_team.v[0] : NULL;
    rc = kc_registry_add(reg, &d, stem, path);
done:
    free(stem);
    free(kexts);
    free(install);
    free(staged);
    free(sysexts);
    return rc;
}

/* Waits for the child until the deadline, stops its process group (what
 * the plugin left running, or all of it after the deadline) and reaps it.
 * The group is killed before the child is reaped: until then the child's
 * pid cannot be reused, so the group cannot be anyone else's. */
static int reap(pid_t pid, long long deadline, bool *timed_out)
{
    int status = -1;

    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof(si));
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0) {
            if (si.si_pid == pid)
                break;
        } else if (errno != EINTR) {
            break;
        }
        if (kc_now_ms() >= deadline) {
            *timed_out = true;
            break;
        }
        poll(NULL, 0, 10);
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

/* "while being loaded" or "while being unloaded", in the reader's
 * language (the words of loader.c). */
static const char *while_being(const char *doing)
{
    return strcmp(doing, "unloaded") == 0 ? _("while being unloaded") : _("while being loaded");
}

/* Why the child did not finish, as a refusal reason; "" when it did. */
static void ending(const received *r, int status, bool timed_out, char *why, size_t whylen)
{
    const char *doing = while_being(r->has_vendor || r->problems.n ? "unloaded" : "loaded");

    why[0] = '\0';
    if (r->exited != NULL)
        kc_snprintf(why, whylen, _("called exit() %s (a plugin must only return data)"),
                    while_being(r->exited));
    else if (timed_out)
        kc_snprintf(why, whylen,
                    _("still running after %d seconds %s (an endless loop, or a wait that "
                      "never ends): stopped"),
                    KC_VALIDATE_TIMEOUT_S, doing);
    else if (r->ended)
        return;
    else if (status != -1 && WIFSIGNALED(status))
        kc_snprintf(why, whylen, _("crashed with signal %d (%s) %s"), WTERMSIG(status),
                    strsignal(WTERMSIG(status)), doing);
    else if (status != -1 && WIFEXITED(status))
        kc_snprintf(why, whylen,
                    _("ended the process (exit status %d) %s (a plugin must only return "
                      "data)"),
                    WEXITSTATUS(status), doing);
    else
        kc_snprintf(why, whylen, "%s", _("the process validating it ended without a result"));
}

static int pipe_cloexec(int p[2])
{
    if (pipe(p) != 0)
        return -1;
    if (fcntl(p[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(p[1], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(p[0], F_SETFL, O_NONBLOCK) != 0) {
        close(p[0]);
        close(p[1]);
        p[0] = p[1] = -1;
        return -1;
    }
    return 0;
}

int kc_registry_validate_file(kc_registry *reg, const char *path)
{
    int res[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    stream st[3];
    received r;
    kc_strv problems = {0};
    char why[512];
    long long deadline;
    bool timed_out = false;
    int status = -1, rc = -1;
    pid_t pid;

    memset(st, 0, sizeof(st));
    memset(&r, 0, sizeof(r));
    if (pipe_cloexec(res) != 0 || pipe_cloexec(out) != 0 || pipe_cloexec(err) != 0) {
        kc_snprintf(why, sizeof(why), _("cannot set up a process to validate it in: %s"),
                    strerror(errno));
        goto refuse_why;
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        kc_snprintf(why, sizeof(why), _("cannot start a process to validate it in: %s"),
                    strerror(errno));
        goto refuse_why;
    }
    if (pid == 0) {
        close(res[0]);
        close(out[0]);
        close(err[0]);
        run_child(path, reg->allow_unsafe, res[1], out[1], err[1]);
    }
    setpgid(pid, pid); /* also in the child, whichever runs first */
    deadline = kc_now_ms() + KC_VALIDATE_TIMEOUT_S * 1000LL;
    close(res[1]);
    close(out[1]);
    close(err[1]);
    res[1] = out[1] = err[1] = -1;
    st[0].fd = res[0];
    st[1].fd = out[0];
    st[2].fd = err[0];
    while (st[0].fd >= 0 || st[1].fd >= 0 || st[2].fd >= 0) {
        struct pollfd p[3];
        long long left = deadline - kc_now_ms();
        int n;
        if (left <= 0)
            break;
        for (int i = 0; i < 3; i++) {
            p[i].fd = st[i].fd;
            p[i].events = POLLIN;
            p[i].revents = 0;
        }
        n = poll(p, 3, (int)(left > 1000 ? 1000 : left));
        if (n < 0 && errno != EINTR)
            break;
        for (int i = 0; n > 0 && i < 3; i++)
            if (p[i].fd >= 0 && p[i].revents != 0 && drain(&st[i], i == 0) != 0)
                st[i].fd = -1; /* closed below through res/out/err */
    }
    status = reap(pid, deadline, &timed_out);
    if (parse_report(&st[0], &r) != 0)
        goto done;
    for (size_t i = 0; i < r.problems.n; i++)
        if (kc_strv_push(&problems, r.problems.v[i]) != 0)
            goto done;
    if (note_stream(&st[1], false, &problems) != 0 || note_stream(&st[2], true, &problems) != 0)
        goto done;
    ending(&r, status, timed_out, why, sizeof(why));
    if (why[0] != '\0' && kc_strv_push(&problems, why) != 0)
        goto done;
    if (problems.n == 0 && r.has_vendor)
        rc = add_received(reg, &r, path);
    else if (problems.n == 0)
        rc = kc_strv_push(&problems, _("the process validating it sent no result")) == 0 &&
                     kc_registry_refuse(reg, path, &problems) == 0
                 ? 1
                 : -1;
    else
        rc = kc_registry_refuse(reg, path, &problems) == 0 ? 1 : -1;
    goto done;
refuse_why:
    rc = kc_strv_push(&problems, why) == 0 && kc_registry_refuse(reg, path, &problems) == 0
             ? 1
             : -1;
done:
    for (int i = 0; i < 2; i++) {
        if (res[i] >= 0)
            close(res[i]);
        if (out[i] >= 0)
            close(out[i]);
        if (err[i] >= 0)
            close(err[i]);
    }
    free(st[0].data);
    received_free(&r);
    kc_strv_free(&problems);
    return rc;
}
