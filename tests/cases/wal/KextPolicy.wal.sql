-- Approved after the last checkpoint: this row lives only in KextPolicy-wal.
INSERT OR REPLACE INTO kext_policy VALUES ('E8P47U2H32', 'com.trendmicro.kext.KERedirect', 1, 'Trend Micro, Inc.', 1);
