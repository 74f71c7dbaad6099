/*
 * dbwriter MODE DB SQL READY [MS]: a writer of an SQLite database in
 * rollback-journal mode, stopped in the middle of its transaction, for the
 * collect tests.
 *
 *   hold    BEGIN; SQL; the changed pages are written into DB itself (the
 *           original pages go to DB-journal first) with
 *           sqlite3_db_cacheflush, so this process holds the exclusive lock
 *           and DB holds uncommitted data; the file READY is created; then
 *           it waits (60 s at most) to be killed.  `kill -9` leaves a hot
 *           journal, as a writer that crashed mid-transaction does.
 *   commit  the same, then after MS milliseconds COMMIT, and exit 0.
 *
 * Exits 1 with a message when a step fails.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "dbwriter: %s: %s\n", what, db ? sqlite3_errmsg(db) : "cannot open");
    return 1;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0)
        ;
}

int main(int argc, char **argv)
{
    sqlite3 *db = NULL;
    int fd;
    long ms = 0;

    if (argc < 5 || (strcmp(argv[1], "hold") != 0 && strcmp(argv[1], "commit") != 0) ||
        (strcmp(argv[1], "commit") == 0 && (argc != 6 || (ms = atol(argv[5])) <= 0))) {
        fprintf(stderr, "usage: dbwriter hold|commit DB SQL READY [MS]\n");
        return 2;
    }
    if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return fail(db, argv[2]);
    if (sqlite3_exec(db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "begin");
    if (sqlite3_exec(db, argv[3], NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, argv[3]);
    if (sqlite3_db_cacheflush(db) != SQLITE_OK)
        return fail(db, "cache flush");
    fd = open(argv[4], O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 || close(fd) != 0) {
        perror(argv[4]);
        return 1;
    }
    if (strcmp(argv[1], "hold") == 0) {
        sleep_ms(60000);
        return 0;
    }
    sleep_ms(ms);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "commit");
    return sqlite3_close(db) == SQLITE_OK ? 0 : fail(db, "close");
}
