/*
 * atccheck CONFIG DB...: checks an osquery Automatic Table Construction
 * configuration (conf/osquery/kextcheck-atc.json) against databases written
 * by `kextcheck --format sqlite`, as osquery would use them:
 *
 *  - the file is a JSON object whose only key is "auto_table_construction",
 *    an object of tables;
 *  - each table has exactly the keys osquery and Fleet's agent options know
 *    (query, path, columns, platform), platform "darwin", a non-empty query
 *    and path, and columns: unique strings, none named "path" (osquery adds
 *    its own "path" column to every ATC row);
 *  - every table's query runs on every DB (opened read-only, without locks,
 *    as osquery opens ATC databases) and returns exactly the declared
 *    columns, by name and in order.
 *
 * Prints one line per table and database ("TABLE DB: N rows") and exits 0,
 * or names each problem on stderr and exits 1.
 *
 * atccheck --query DB SQL: prints the rows of SQL on DB (read-only), one a
 * line, columns joined with '|' and NULL as nothing (as sqlite3 prints).
 *
 * atccheck --json-path FILE A.B.C: prints the JSON value at that path of
 * the document in FILE (indented, keys in order).
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int errors;

static void bad(const char *table, const char *fmt, const char *a)
{
    fprintf(stderr, "atccheck: %s: ", table);
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
    errors++;
}

static void check_table(const char *name, json_t *t, char **dbs, int n_dbs)
{
    static const char *const known[] = {"query", "path", "columns", "platform", NULL};
    const char *key, *query, *platform, *path;
    json_t *val, *cols;
    size_t n_cols;

    if (!json_is_object(t)) {
        bad(name, "%s", "not an object");
        return;
    }
    json_object_foreach(t, key, val) {
        int ok = 0;
        for (int i = 0; known[i]; i++)
            ok |= strcmp(known[i], key) == 0;
        if (!ok)
            bad(name, "unknown key \"%s\" (osquery ignores it, Fleet refuses it)", key);
    }
    query = json_string_value(json_object_get(t, "query"));
    path = json_string_value(json_object_get(t, "path"));
    platform = json_string_value(json_object_get(t, "platform"));
    cols = json_object_get(t, "columns");
    if (query == NULL || query[0] == '\0')
        bad(name, "%s", "\"query\" missing or empty");
    if (path == NULL || path[0] != '/')
        bad(name, "%s", "\"path\" missing or not absolute");
    if (platform == NULL || strcmp(platform, "darwin") != 0)
        bad(name, "%s", "\"platform\" is not \"darwin\"");
    if (!json_is_array(cols) || json_array_size(cols) == 0) {
        bad(name, "%s", "\"columns\" missing or empty");
        return;
    }
    n_cols = json_array_size(cols);
    for (size_t i = 0; i < n_cols; i++) {
        const char *c = json_string_value(json_array_get(cols, i));
        if (c == NULL) {
            bad(name, "%s", "a column is not a string");
            return;
        }
        if (strcasecmp(c, "path") == 0)
            bad(name, "%s", "a column is named \"path\" (osquery's own ATC column)");
        for (size_t j = 0; j < i; j++)
            if (strcmp(c, json_string_value(json_array_get(cols, j))) == 0)
                bad(name, "column \"%s\" is declared twice", c);
    }
    if (query == NULL)
        return;
    for (int d = 0; d < n_dbs; d++) {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        int rc, rows = 0;

        rc = sqlite3_open_v2(dbs[d], &db, SQLITE_OPEN_READONLY, "unix-none");
        if (rc != SQLITE_OK) {
            bad(name, "cannot open %s", dbs[d]);
            sqlite3_close(db);
            continue;
        }
        if (sqlite3_prepare_v2(db, query, -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "atccheck: %s: %s: %s\n", name, dbs[d], sqlite3_errmsg(db));
            errors++;
            sqlite3_close(db);
            continue;
        }
        if ((size_t)sqlite3_column_count(st) != n_cols)
            bad(name, "the query's columns differ in number from \"columns\" on %s", dbs[d]);
        for (int i = 0; i < sqlite3_column_count(st) && (size_t)i < n_cols; i++) {
            const char *got = sqlite3_column_name(st, i);
            const char *want = json_string_value(json_array_get(cols, (size_t)i));
            if (got == NULL || strcmp(got, want) != 0) {
                fprintf(stderr, "atccheck: %s: column %d is \"%s\", declared \"%s\"\n", name,
                        i + 1, got ? got : "(null)", want);
                errors++;
            }
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            rows++;
        if (rc != SQLITE_DONE) {
            fprintf(stderr, "atccheck: %s: %s: %s\n", name, dbs[d], sqlite3_errmsg(db));
            errors++;
        }
        printf("%s %s: %d rows\n", name, dbs[d], rows);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
}

static int query(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "atccheck: %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            printf("%s%s", i ? "|" : "", t ? (const char *)t : "");
        }
        printf("\n");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc == SQLITE_DONE ? 0 : 1;
}

static int json_path(const char *file, char *path)
{
    json_error_t jerr;
    json_t *doc = json_load_file(file, 0, &jerr), *v = doc;
    char *save = NULL;
    int rc = 0;

    for (char *k = strtok_r(path, ".", &save); v && k; k = strtok_r(NULL, ".", &save))
        v = json_object_get(v, k);
    if (v == NULL) {
        fprintf(stderr, "atccheck: %s: no such path\n", file);
        rc = 1;
    } else if (json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                         JSON_ENCODE_ANY) != 0) {
        rc = 1;
    }
    printf("\n");
    json_decref(doc);
    return rc;
}

int main(int argc, char **argv)
{
    json_error_t jerr;
    json_t *conf, *tables, *t;
    const char *key, *name;

    if (argc == 4 && strcmp(argv[1], "--query") == 0)
        return query(argv[2], argv[3]);
    if (argc == 4 && strcmp(argv[1], "--json-path") == 0)
        return json_path(argv[2], argv[3]);
    if (argc < 2) {
        fprintf(stderr, "usage: atccheck CONFIG.json [DB.sqlite]...\n");
        return 2;
    }
    conf = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &jerr);
    if (conf == NULL) {
        fprintf(stderr, "atccheck: %s:%d: %s\n", argv[1], jerr.line, jerr.text);
        return 1;
    }
    json_object_foreach(conf, key, t) {
        if (strcmp(key, "auto_table_construction") != 0)
            bad(argv[1], "unexpected top-level key \"%s\"", key);
    }
    tables = json_object_get(conf, "auto_table_construction");
    if (!json_is_object(tables) || json_object_size(tables) == 0) {
        bad(argv[1], "%s", "no \"auto_table_construction\" object with tables");
    } else {
        json_object_foreach(tables, name, t)
            check_table(name, t, argv + 2, argc - 2);
    }
    json_decref(conf);
    return errors ? 1 : 0;
}
