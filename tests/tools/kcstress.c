/*
 * kcstress: the database side of tests/stress.sh.
 *
 *   kcstress sql DB MODE SQL
 *       Runs SQL on DB (created when absent).  MODE "wal" leaves DB in WAL
 *       mode with its -wal and -shm files kept, as on a live Mac;
 *       "rollback" leaves a rollback-journal database with a persistent
 *       -journal (so the set of files does not change while a writer runs).
 *
 *   kcstress write DB MODE STOPFILE MAXSECONDS READYFILE
 *       The concurrent writer: one connection, kept open, that commits as
 *       fast as it can until STOPFILE exists, MAXSECONDS pass or its parent
 *       goes away.  Each commit is one transaction that sets allowed to the
 *       same value (1, then 0, then 1...) on every row of the two checked
 *       teams, and churns unrelated rows (other teams) in kext_policy and
 *       kext_load_history_v3 so that pages move.  In WAL mode it also
 *       checkpoints: PASSIVE every 5 commits, TRUNCATE every 50.  READYFILE
 *       is created after the first commit.  Prints what it did on exit.
 *
 * Exit status 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The two vendors whose rows flip together (trendmicro and sophos). */
#define CHECKED_TEAMS "('E8P47U2H32', '2H5GFH3774')"
#define KEEP_UNRELATED 400

static int fail(sqlite3 *h, const char *what)
{
    fprintf(stderr, "kcstress: %s: %s\n", what, h ? sqlite3_errmsg(h) : "out of memory");
    return 1;
}

static int open_db(const char *path, const char *mode, sqlite3 **h)
{
    const char *setup = strcmp(mode, "wal") == 0 ? "PRAGMA journal_mode=WAL;"
                                                 : "PRAGMA journal_mode=PERSIST;";

    if (strcmp(mode, "wal") != 0 && strcmp(mode, "rollback") != 0) {
        fprintf(stderr, "kcstress: mode must be wal or rollback, not %s\n", mode);
        return 1;
    }
    if (sqlite3_open_v2(path, h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        return fail(*h, path);
    if (sqlite3_busy_timeout(*h, 2000) != SQLITE_OK ||
        sqlite3_exec(*h, setup, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(*h, "PRAGMA synchronous=OFF;", NULL, NULL, NULL) != SQLITE_OK)
        return fail(*h, path);
    /* Keep -wal and -shm when the connection closes, as a live Mac has them. */
    if (sqlite3_db_config(*h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL) != SQLITE_OK ||
        sqlite3_wal_autocheckpoint(*h, 0) != SQLITE_OK)
        return fail(*h, path);
    return 0;
}

static int cmd_sql(const char *path, const char *mode, const char *sql)
{
    sqlite3 *h = NULL;
    int rc = open_db(path, mode, &h);

    if (rc == 0 && sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(h, "sql");
    if (sqlite3_close(h) != SQLITE_OK && rc == 0)
        rc = fail(h, "close");
    return rc;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_write(const char *path, const char *mode, const char *stop, double max_s,
                     const char *ready)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *flip = NULL, *churn[4] = {NULL};
    static const char *const churn_sql[4] = {
        "INSERT OR REPLACE INTO kext_policy VALUES (printf('UNREL%05d', ?1 % 997), "
        "'com.kcstress.unrelated.' || ?1, ?1 % 2, 'Unrelated Developer', 8)",
        "DELETE FROM kext_policy WHERE bundle_id = 'com.kcstress.unrelated.' || (?1 - "
        "400)",
        "INSERT OR REPLACE INTO kext_load_history_v3 (path, team_id, bundle_id, created_at, "
        "last_seen, flags) VALUES ('/Library/Extensions/KcStress' || ?1 || '.kext', "
        "printf('UNREL%05d', ?1 % 997), 'com.kcstress.unrelated.' || ?1, "
        "'2020-01-01 00:00:00', '2020-01-02 00:00:00', 5)",
        "DELETE FROM kext_load_history_v3 WHERE path = '/Library/Extensions/KcStress' || "
        "(?1 - 400) || '.kext'",
    };
    long commits = 0, busy = 0, checkpoints = 0, ckpt_busy = 0;
    pid_t parent = getppid();
    double start = now_s();
    int wal = strcmp(mode, "wal") == 0, rc = open_db(path, mode, &h), allowed = 1;
    struct stat st;

    if (rc != 0)
        goto done;
    if (sqlite3_prepare_v2(h,
                           "UPDATE kext_policy SET allowed = ?1 WHERE team_id IN " CHECKED_TEAMS,
                           -1, &flip, NULL) != SQLITE_OK) {
        rc = fail(h, "prepare");
        goto done;
    }
    for (int i = 0; i < 4; i++) {
        if (sqlite3_prepare_v2(h, churn_sql[i], -1, &churn[i], NULL) != SQLITE_OK) {
            rc = fail(h, "prepare");
            goto done;
        }
    }
    while (stat(stop, &st) != 0 && now_s() - start < max_s && getppid() == parent) {
        int step = SQLITE_OK;
        struct timespec pause = {0, 200 * 1000L};
        allowed = !allowed;
        if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            allowed = !allowed;
            busy++;
            continue;
        }
        sqlite3_reset(flip);
        sqlite3_bind_int(flip, 1, allowed);
        step = sqlite3_step(flip);
        for (int i = 0; i < 4 && step == SQLITE_DONE; i++) {
            sqlite3_reset(churn[i]);
            sqlite3_bind_int64(churn[i], 1, commits + KEEP_UNRELATED);
            step = sqlite3_step(churn[i]);
        }
        if (step != SQLITE_DONE || sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            /* Readers kept the lock past the busy timeout: undo and go on. */
            sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
            allowed = !allowed;
            busy++;
            continue;
        }
        if (commits++ == 0) {
            int fd = open(ready, O_WRONLY | O_CREAT | O_EXCL, 0600);
            if (fd < 0 || close(fd) != 0) {
                fprintf(stderr, "kcstress: %s: %s\n", ready, strerror(errno));
                rc = 1;
                goto done;
            }
        }
        if (wal && commits % 5 == 0) {
            int mode_ck = commits % 50 == 0 ? SQLITE_CHECKPOINT_TRUNCATE
                                             : SQLITE_CHECKPOINT_PASSIVE;
            if (sqlite3_wal_checkpoint_v2(h, NULL, mode_ck, NULL, NULL) == SQLITE_OK)
                checkpoints++;
            else
                ckpt_busy++;
        }
        nanosleep(&pause, NULL);
    }
    printf("writer: %ld commits, %ld checkpoints (%ld refused while read), %ld busy retries "
           "in %.1f s\n",
           commits, checkpoints, ckpt_busy, busy, now_s() - start);
done:
    sqlite3_finalize(flip);
    for (int i = 0; i < 4; i++)
        sqlite3_finalize(churn[i]);
    if (h != NULL && sqlite3_close(h) != SQLITE_OK && rc == 0)
        rc = fail(h, "close");
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "sql") == 0)
        return cmd_sql(argv[2], argv[3], argv[4]);
    if (argc == 7 && strcmp(argv[1], "write") == 0)
        return cmd_write(argv[2], argv[3], argv[4], atof(argv[5]), argv[6]);
    fprintf(stderr, "usage: kcstress sql DB wal|rollback SQL\n"
                    "       kcstress write DB wal|rollback STOPFILE MAXSECONDS READYFILE\n");
    return 1;
}
