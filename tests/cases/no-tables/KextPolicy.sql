-- A valid SQLite file with no tables at all.
PRAGMA user_version = 7;
