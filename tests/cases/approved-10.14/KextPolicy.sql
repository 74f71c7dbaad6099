-- macOS 10.14 schema.
CREATE TABLE settings ( name TEXT, value TEXT, PRIMARY KEY (name) );
INSERT INTO settings VALUES ('migrationPerformed', 'YES');
CREATE TABLE kext_load_history_v3 ( path TEXT PRIMARY KEY, team_id TEXT, bundle_id TEXT, boot_uuid TEXT, created_at TEXT, last_seen TEXT, flags INTEGER , cdhash TEXT);
CREATE TABLE kext_policy ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, developer_name TEXT, flags INTEGER, PRIMARY KEY (team_id, bundle_id) );
CREATE TABLE kext_policy_mdm ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, payload_uuid TEXT, PRIMARY KEY (team_id, bundle_id) );
INSERT INTO kext_policy VALUES ('E8P47U2H32', 'com.trendmicro.kext.filehook', 1, 'Trend Micro, Inc.', 8);
INSERT INTO kext_policy VALUES ('E8P47U2H32', 'com.trendmicro.kext.KERedirect', 1, 'Trend Micro, Inc.', 8);
INSERT INTO kext_load_history_v3 VALUES ('/Library/StagedExtensions/Library/Application Support/TrendMicro/KernelExtensions/filehook.kext', 'E8P47U2H32', 'com.trendmicro.kext.filehook', '6F0B1A52-7C55-4E4B-9D8A-2B5E1C3D4F60', '2019-03-02 09:14:11', '2020-01-10 10:00:00', 5, '4d1f0e8a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e');
INSERT INTO kext_load_history_v3 VALUES ('/Library/StagedExtensions/Library/Application Support/TrendMicro/KernelExtensions/KERedirect.kext', 'E8P47U2H32', 'com.trendmicro.kext.KERedirect', '6F0B1A52-7C55-4E4B-9D8A-2B5E1C3D4F60', '2019-03-02 09:14:11', '2020-01-10 10:00:01', 5, '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567');
