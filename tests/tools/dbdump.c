/*
 * dbdump FILE: prints an SQLite database for the tests (the CI machine has
 * no sqlite3 command): the journal mode, each table's CREATE statement and
 * its rows, sorted, one per line, values quoted as SQL literals.  Open a
 * copy: SQLite may write beside the file (a WAL database's -shm).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "dbdump: %s: %s\n", what, db ? sqlite3_errmsg(db) : "cannot open");
    return 1;
}

int main(int argc, char **argv)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *tables = NULL, *st = NULL;
    int rc = 1;

    if (argc != 2) {
        fprintf(stderr, "usage: dbdump FILE\n");
        return 2;
    }
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = fail(db, argv[1]);
        goto done;
    }
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = fail(db, "journal_mode");
        goto done;
    }
    printf("journal_mode: %s\n", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                           "ORDER BY name",
                           -1, &tables, NULL) != SQLITE_OK) {
        rc = fail(db, "sqlite_master");
        goto done;
    }
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        char *sql;
        int cols;
        printf("%s\n", (const char *)sqlite3_column_text(tables, 1));
        /* Each row as one SQL tuple, sorted as text. */
        sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
        if (sql == NULL || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
            sqlite3_free(sql);
            rc = fail(db, name);
            goto done;
        }
        sqlite3_free(sql);
        cols = sqlite3_column_count(st);
        {
            char *list = sqlite3_mprintf("%s", "");
            for (int i = 0; list != NULL && i < cols; i++) {
                char *next = sqlite3_mprintf("%s%squote(\"%w\")", list, i ? " || ', ' || " : "",
                                             sqlite3_column_name(st, i));
                sqlite3_free(list);
                list = next;
            }
            sqlite3_finalize(st);
            st = NULL;
            sql = list ? sqlite3_mprintf("SELECT '  (' || %s || ')' AS r FROM \"%w\" ORDER BY r",
                                         list, name)
                       : NULL;
            sqlite3_free(list);
        }
        if (sql == NULL || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
            sqlite3_free(sql);
            rc = fail(db, name);
            goto done;
        }
        sqlite3_free(sql);
        while (sqlite3_step(st) == SQLITE_ROW)
            printf("%s\n", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        st = NULL;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return rc;
}
