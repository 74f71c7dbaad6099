#!/bin/sh
# i18n.sh KEXTCHECK PLUGINDIR SNAPSHOTS SRCDIR WORK LOCALEDIR
#
# kextcheck in Japanese (core/i18n.h, docs/architecture.md "Languages"),
# with the engine's test plugins (PLUGINDIR) and the bundled snapshots:
#   - LANG=ja_JP.UTF-8 gives the article's Japanese report
#     (tests/cases/article-10.13/expected-ja.txt), through a ja_JP.UTF-8
#     locale compiled into WORK with localedef and found through LOCPATH (no
#     system locale is generated; skipped, saying so, without localedef or
#     the ja_JP source of Debian's locales package);
#   - the messages on stderr are in Japanese, with the "kextcheck:" prefix;
#   - a run for programs (--format json, jamf, --field, recovery-script,
#     plugins --format json) writes the same bytes in Japanese as in the C
#     locale, and its messages are in English;
#   - the catalog is found beside the binary, and KEXTCHECK_LOCALEDIR
#     overrides that folder; a language without a catalog is English;
#   - status labels are padded by terminal columns and never run into the
#     vendor's name (--verbose, NOT_INSTALLED).
# The cases test (cases.sh) runs every golden case in Japanese too.
set -u
bin=$1 plugins=$2 snaps=$3 src=$4 work=$5 localedir=$6
fails=0
snaps=$(realpath "$snaps") || exit 2
article=$snaps/article-10.13
rm -rf "$work" && mkdir -p "$work" || exit 2
# check ARGS...: a check with the engine's test plugins (a file, so that
# env can run it).
printf '#!/bin/sh\nexec "%s" --no-config -P "%s" "$@"\n' "$bin" "$plugins" >"$work/check" &&
    chmod +x "$work/check" || exit 2
check=$work/check

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

ja() { # ja CMD...: in Japanese without a generated locale
    env LC_ALL=C.UTF-8 LANGUAGE=ja KEXTCHECK_LOCALEDIR="$localedir" NO_COLOR=1 "$@"
}
en() {
    env LC_ALL=C LANGUAGE= KEXTCHECK_LOCALEDIR="$localedir" NO_COLOR=1 "$@"
}

if [ "$(LC_ALL=C.UTF-8 locale charmap 2>/dev/null)" != UTF-8 ]; then
    echo "SKIP: no C.UTF-8 locale on this machine"
    exit 77
fi

# --- LANG=ja_JP.UTF-8, a real Japanese locale -------------------------------
if command -v localedef >/dev/null 2>&1 && [ -f /usr/share/i18n/locales/ja_JP ]; then
    mkdir -p "$work/locales"
    # localedef exits 1 for warnings about the locale source: the files tell.
    localedef -c -i ja_JP -f UTF-8 "$work/locales/ja_JP.UTF-8" >"$work/localedef.log" 2>&1
    if [ ! -f "$work/locales/ja_JP.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES" ]; then
        cat "$work/localedef.log" >&2
        fail "localedef could not compile ja_JP.UTF-8"
    else
        env -u LC_ALL -u LANGUAGE LOCPATH="$work/locales" LANG=ja_JP.UTF-8 \
            KEXTCHECK_LOCALEDIR="$localedir" NO_COLOR=1 \
            "$bin" --no-config -P "$plugins" --root "$article" >"$work/lang.out" 2>"$work/lang.err"
        st=$?
        [ "$st" = 2 ] || fail "LANG=ja_JP.UTF-8: exit status $st, expected 2"
        sed "s|$article|@ROOT@|g" "$work/lang.out" >"$work/lang.txt"
        diff -u "$src/tests/cases/article-10.13/expected-ja.txt" "$work/lang.txt" >&2 ||
            fail "LANG=ja_JP.UTF-8: the article's report differs from expected-ja.txt"
        # The Allow-and-restart step in the macOS UI's words, first.
        grep -q '^  次の手順（approve、KEXT_PENDING_APPROVAL）: 「システム環境設定」>「セキュリティとプライバシー」>「一般」を開き、鍵のアイコンをクリックして.*「許可」をクリックし、Mac を再起動します。$' \
            "$work/lang.txt" || fail "LANG=ja_JP.UTF-8: the next step is not the Allow-and-restart step in Japanese"
    fi
else
    echo "note: no localedef or ja_JP locale source (Debian: locales): LANG=ja_JP.UTF-8 not checked"
fi

# --- messages on stderr --------------------------------------------------------
ja "$bin" --color sometimes >"$work/out" 2>"$work/err"
st=$?
[ "$st" = 64 ] || fail "--color sometimes: exit status $st, expected 64"
printf '%s\n' "kextcheck: --color: auto、always、never のいずれかを指定してください" \
    "詳しくは 'kextcheck --help' を実行してください。" >"$work/want"
diff -u "$work/want" "$work/err" >&2 || fail "a usage error is not in Japanese"
ja "$check" --root "$article" --vendor nosuch >"$work/out" 2>"$work/err"
grep -qx "kextcheck: nosuch: その名前のプラグインは読み込まれていません（'kextcheck plugins' を参照してください）" \
    "$work/err" || fail "an unknown vendor is not said in Japanese"
ja "$bin" --help >"$work/help" 2>&1 || fail "--help in Japanese failed"
head -n 1 "$work/help" | grep -q '^使い方: kextcheck ' || fail "--help is not in Japanese"
grep -q -- '--allow-non-admin-approvals' "$work/help" || fail "the Japanese --help lost an option"

# --- output for programs: the same bytes in every locale ------------------------
same() { # same NAME ARGS...: stdout and exit status alike in Japanese and C
    name=$1
    shift
    ja "$@" >"$work/$name.ja" 2>"$work/$name.ja.err"
    a=$?
    en "$@" >"$work/$name.c" 2>"$work/$name.c.err"
    b=$?
    [ "$a" = "$b" ] || fail "$name: exit status $a in Japanese, $b in C"
    cmp -s "$work/$name.ja" "$work/$name.c" || {
        diff -u "$work/$name.c" "$work/$name.ja" >&2
        fail "$name: the output differs in Japanese"
    }
    cmp -s "$work/$name.ja.err" "$work/$name.c.err" || {
        diff -u "$work/$name.c.err" "$work/$name.ja.err" >&2
        fail "$name: the messages of a run for programs differ in Japanese"
    }
}
same json "$check" --root "$article" --format json
same json-unknown-vendor "$check" --root "$article" --format json --vendor nosuch
same jamf "$check" --root "$article" --format jamf
same field "$check" --root "$article" --field next_step
same recovery "$bin" recovery-script --no-config -P "$plugins" --root "$article"
same plugins-json "$bin" plugins --no-config -P "$plugins" --format json
for s in "$snaps"/*/; do
    s=${s%/}
    same "json-${s##*/}" "$check" --root "$s" --format json --verbose
done
grep -q "no plugin of that name was loaded" "$work/json-unknown-vendor.ja.err" ||
    fail "a run for programs does not say its messages in English"
grep -q "Open System Preferences > Security & Privacy > General" "$work/field.ja" ||
    fail "--field next_step is not in English in Japanese"

# --- where the catalog is -------------------------------------------------------
env -u KEXTCHECK_LOCALEDIR LC_ALL=C.UTF-8 LANGUAGE=ja NO_COLOR=1 \
    "$bin" --no-config -P "$plugins" --root "$article" >"$work/beside" 2>&1
head -n 1 "$work/beside" | grep -q '検査する Mac' ||
    fail "the catalog beside the binary (../share/locale) was not found"
mkdir -p "$work/empty-localedir"
env LC_ALL=C.UTF-8 LANGUAGE=ja NO_COLOR=1 KEXTCHECK_LOCALEDIR="$work/empty-localedir" \
    "$bin" --no-config -P "$plugins" --root "$article" >"$work/elsewhere" 2>&1
head -n 1 "$work/elsewhere" | grep -q '^kextcheck [0-9.]*: checking the Mac at ' ||
    fail "KEXTCHECK_LOCALEDIR does not override the folder beside the binary"
env LC_ALL=C.UTF-8 LANGUAGE=fr KEXTCHECK_LOCALEDIR="$localedir" NO_COLOR=1 \
    "$bin" --no-config -P "$plugins" --root "$article" >"$work/fr" 2>&1
en "$check" --root "$article" >"$work/c" 2>&1
cmp -s "$work/fr" "$work/c" || fail "a language without a catalog is not English"

# --- labels padded by columns ---------------------------------------------------
en "$check" --root "$article" --verbose >"$work/v.c" 2>&1
grep -q '^NOT_INSTALLED Microsoft Defender' "$work/v.c" ||
    fail "--verbose: NOT_INSTALLED runs into the vendor's name"
ja "$check" --root "$article" --verbose >"$work/v.ja" 2>&1
grep -q '^未インストール Microsoft Defender' "$work/v.ja" ||
    fail "--verbose in Japanese: the status label is not followed by one space"
grep -q '^重大      Trend Micro' "$work/v.ja" ||
    fail "the Japanese status label is not padded to 10 columns"
grep -q '^    重大     KEXT_PENDING_APPROVAL: ' "$work/v.ja" ||
    fail "the Japanese finding label is not padded to 9 columns"

# --- the read stage's reasons from platform.c and profiles.c ----------------------
# A refused capture or MDM policy is named in the reader's language in the text
# report (a what noun given to kc_bad_line, a whole reason), and in English in
# the JSON of the same run and in the C locale.
printf 'x86_64\nbar\n' >"$work/arch-two-lines.txt"
printf 'arm64\n' >"$work/arch-arm64.txt"
printf 'OS Type                       : macOS\n' >"$work/bputil-no-policy.txt"
mkdir -p "$work/mdm-root" && cp -RP "$article/." "$work/mdm-root/" &&
    mkdir -p "$work/mdm-root/Library/Managed Preferences" &&
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<plist version="1.0"><dict>' \
        '<key>AllowUserOverrides</key><string>yes</string>' '</dict></plist>' \
        >"$work/mdm-root/Library/Managed Preferences/com.apple.syspolicy.kernel-extension-policy.plist" ||
    fail "could not make the root with a refused MDM policy"
# platform_reason NAME JAPANESE ENGLISH ARGS...: the Japanese text report holds
# JAPANESE and not ENGLISH; its JSON (in Japanese) and the C report hold ENGLISH
# (no double quotes in ENGLISH: JSON escapes them).
platform_reason() {
    pr=$1 want_ja=$2 want_en=$3
    shift 3
    ja "$check" "$@" >"$work/$pr.txt" 2>&1
    grep -qF -- "$want_ja" "$work/$pr.txt" || fail "$pr: the reason is not in Japanese"
    grep -qF -- "$want_en" "$work/$pr.txt" && fail "$pr: the Japanese report has the English reason"
    # same sets $name: this function keeps its own in $pr.
    same "$pr-json" "$check" "$@" --format json
    grep -qF -- "$want_en" "$work/$pr-json.ja" ||
        fail "$pr: the JSON of a Japanese run does not have the English reason"
    en "$check" "$@" >"$work/$pr.c.txt" 2>&1
    grep -qF -- "$want_en" "$work/$pr.c.txt" || fail "$pr: the C report does not have the English reason"
}
platform_reason uname-what 'アーキテクチャの後に何もないこと' 'expected nothing after the architecture, got' \
    --root "$article" --arch-file "$work/arch-two-lines.txt"
platform_reason bputil-reason \
    '"DEP-allowed MDM Control:"、"SIP Status:" のどの行もありません' \
    'is in the output' \
    --root "$article" --arch-file "$work/arch-arm64.txt" --boot-policy "$work/bputil-no-policy.txt"
platform_reason mdm-policy-reason 'AllowUserOverrides は' 'AllowUserOverrides is a string, expected a boolean' \
    --root "$work/mdm-root"
grep -qF 'ですが、ブール値が必要です' "$work/mdm-policy-reason.txt" ||
    fail "mdm-policy-reason: the MDM policy's reason is not in Japanese"
# --- collect, --output, the configuration file (collect.c, outfile.c, config.c,
# util.c): their messages on stderr in Japanese, while collect's manifest.json
# stays English; the same runs in C, or for programs, in English ------------------
ja "$bin" collect --no-config -P "$plugins" --root "$article" "$work/col-ja" \
    >"$work/col-ja.out" 2>"$work/col-ja.err"
grep -q 'は / ではありません。spctl、csrutil、kextstat' "$work/col-ja.err" ||
    fail "collect: the note that no command was run is not in Japanese"
grep -q '個のファイルをコピーし' "$work/col-ja.out" || fail "collect: the summary is not in Japanese"
grep -q '"commands_run": false' "$work/col-ja/.kextcheck/manifest.json" ||
    fail "collect in Japanese: no manifest"
if LC_ALL=C grep -q '[^ -~]' "$work/col-ja/.kextcheck/manifest.json"; then
    fail "collect in Japanese: manifest.json holds non-ASCII text"
fi
en "$bin" collect --no-config -P "$plugins" --root "$article" "$work/col-c" \
    >"$work/col-c.out" 2>"$work/col-c.err"
grep -q 'is not /: spctl, csrutil and kextstat were not run' "$work/col-c.err" ||
    fail "collect in C: the note is not in English"
# collect into a folder that is not empty
ja "$bin" collect --no-config -P "$plugins" --root "$article" "$work/col-ja" \
    >"$work/out" 2>"$work/err"
grep -q "^kextcheck: $work/col-ja: フォルダが空ではありません。" "$work/err" ||
    fail "collect into a folder that is not empty: not said in Japanese"
# --output into a group-writable folder without the sticky bit (util.c's reason)
mkdir -p "$work/gw" && chmod 0775 "$work/gw"
ja "$check" --root "$article" --output "$work/gw/report.txt" >"$work/out" 2>"$work/err"
grep -q "^kextcheck: $work/gw/report.txt: その親フォルダ $work/gw はグループが書き込めるうえ、スティッキービットがありません。" \
    "$work/err" || fail "--output into an unsafe folder: not said in Japanese"
same output-unsafe "$check" --root "$article" --format json --output "$work/gw/report.json"
grep -q 'is writable by its group and has no sticky bit' "$work/output-unsafe.ja.err" ||
    fail "--output for programs: the unsafe folder is not said in English"
# a configuration file with an unknown key
printf '[kextcheck]\nfoo = 1\n' >"$work/bad.conf"
ja "$bin" --config "$work/bad.conf" -P "$plugins" --root "$article" >"$work/out" 2>"$work/err"
grep -q "bad.conf:2: \[kextcheck\] の不明なキー \"foo\" です（使えるキー: root、policy_db）" "$work/err" ||
    fail "a configuration file's unknown key is not said in Japanese"
en "$bin" --config "$work/bad.conf" -P "$plugins" --root "$article" >"$work/out" 2>"$work/err"
grep -q 'bad.conf:2: unknown key "foo" in \[kextcheck\] (known: root, policy_db)' "$work/err" ||
    fail "a configuration file's unknown key is not said in English in C"
# --- the parsers' reasons (core/evidence.c, core/textlines.c) ------------------
# Why a captured output or a plist could not be used is said in Japanese in
# the text report (hostile-evidence: csrutil cut mid-line, a bad team ID, a
# NUL byte, ProductVersion an integer; hostile: a truncated XML Info.plist),
# and stays English in the C locale and in a run for programs.
hostile=$snaps/hostile-evidence
ja "$check" --root "$hostile" >"$work/parsers.ja" 2>&1
en "$check" --root "$hostile" >"$work/parsers.c" 2>&1
ja "$check" --root "$hostile" --format json >"$work/parsers.json" 2>&1
ja "$check" --root "$snaps/hostile" >"$work/parsers-bundle.ja" 2>&1
ja "$check" --root "$snaps/hostile" --format json >"$work/parsers-bundle.json" 2>&1
for want in '3 行目: チーム ID（A-Z と 0-9 の 10 文字）を想定していましたが、"$(rm -rf /);' \
    '1 行目: "System Integrity Protection status: enabled."、"disabled."、' \
    '"unknown (Custom Configuration)." のいずれかを想定していましたが、"System Integrity Prot"でした' \
    '1 行目: NUL バイトが含まれています: "Kernel Extension User Consent: ENAB' \
    'ProductVersion が整数です（文字列であるはずです）'; do
    grep -qF -- "$want" "$work/parsers.ja" ||
        fail "a parser's reason is not in Japanese in the text report: $want"
done
grep -qF 'Contents/Info.plist: XML 形式のプロパティリストが破損しています' \
    "$work/parsers-bundle.ja" || fail "a damaged Info.plist is not said in Japanese"
for f in parsers.c parsers.json; do
    for want in 'line 3: expected a team ID (10 characters of A-Z and 0-9), got ' \
        'line 1: contains a NUL byte: ' 'ProductVersion is an integer, expected a string'; do
        grep -qF -- "$want" "$work/$f" || fail "$f: a parser's reason is not in English: $want"
    done
    grep -q '行目\|整数です' "$work/$f" && fail "$f: a parser's reason is in Japanese"
done
grep -qF 'Contents/Info.plist: damaged XML property list' "$work/parsers-bundle.json" ||
    fail "--format json in Japanese: a damaged Info.plist is not said in English"
# --- the read stage's and the loader's reasons -----------------------------------
# (gather.c, read.c, policydb.c, loader.c, plugin_child.c, validate.c): in
# Japanese in the text report and `kextcheck plugins`, in English in a run
# for programs, and never in Japanese in a file collect writes.
# A database without tables: the reason in the reader's language in the
# model; collect opens the database in the "C" locale (its manifest).
ja "$check" --root "$snaps/no-tables" >"$work/no-tables.ja" 2>&1
grep -q '（承認のテーブルがありません: データベースに kext_policy テーブルがありません）$' \
    "$work/no-tables.ja" || fail "a database without tables: the reason is not in Japanese"
grep -q '"the database has no kext_policy table"' "$work/json-no-tables.ja" ||
    fail "a database without tables: the JSON of a Japanese run is not in English"
# A capture that failed when it was collected (gather.c).
ja "$check" --root "$snaps/collected-error" >"$work/collected-error.ja" 2>&1
grep -q '^  SIP: 読み取れません: 収集時: /usr/bin/csrutil did not finish' "$work/collected-error.ja" ||
    fail "a capture that failed when collected is not said in Japanese"
grep -q '"when collected: /usr/bin/csrutil did not finish' "$work/json-collected-error.ja" ||
    fail "a capture that failed when collected: the JSON of a Japanese run is not in English"
# collect in Japanese: its messages may be, its manifest is not.
ja "$check" collect --root "$snaps/no-tables" "$work/collected" >/dev/null 2>&1
grep -q '"reason": "the database has no kext_policy table"' \
    "$work/collected/.kextcheck/manifest.json" ||
    fail "collect in Japanese: the database's reason in manifest.json is not in English"
# A vendor's folder that is a symbolic link out of the root: the bundle's
# reason (kept English in the model) in Japanese in the report.
cp -RP "$article" "$work/link-out" &&
    rm -rf "$work/link-out/Library/Application Support/TrendMicro" &&
    ln -s ../../../.. "$work/link-out/Library/Application Support/TrendMicro" || exit 2
ja "$check" --root "$work/link-out" >"$work/link-out.ja" 2>&1
grep -q 'BUNDLE_UNREADABLE: .*TrendMicro: 途中のシンボリックリンクが検査対象のルートの外を指しています$' \
    "$work/link-out.ja" || fail "a vendor folder linked out of the root: the reason is not in Japanese"
# The configuration file is read after the choice of language: a run for
# programs says what is wrong with it in English, a text run in Japanese.
printf '[bogus]\nx = 1\n' >"$work/bad.ini" || exit 2
ja "$bin" --config "$work/bad.ini" --format json --root "$article" >/dev/null 2>"$work/bad-ini-json.err"
grep -qx "kextcheck: config: $work/bad.ini:2: unknown section \\[bogus\\] (known: \\[kextcheck\\], \\[plugins\\], \\[commands\\])" \
    "$work/bad-ini-json.err" || fail "a bad configuration file in a JSON run in Japanese: not said in English"
ja "$bin" --config "$work/bad.ini" --root "$article" >/dev/null 2>"$work/bad-ini-text.err"
grep -qF '不明なセクション [bogus] です' "$work/bad-ini-text.err" ||
    fail "a bad configuration file in a text run in Japanese: not said in Japanese"
# A database that is a FIFO: policydb.c's reason with the kind of file in
# Japanese in the report, in English in the manifest of a Japanese collect.
cp -RP "$snaps/article-10.13" "$work/fifo-db" &&
    rm -f "$work/fifo-db/private/var/db/SystemPolicyConfiguration/KextPolicy" &&
    mkfifo "$work/fifo-db/private/var/db/SystemPolicyConfiguration/KextPolicy" || exit 2
ja "$check" --root "$work/fifo-db" >"$work/fifo-db.ja" 2>&1
grep -q 'を読み取れませんでした: 通常のファイルではありません（FIFO）$' "$work/fifo-db.ja" ||
    fail "a database that is a FIFO: the reason is not in Japanese"
ja "$check" collect --root "$work/fifo-db" "$work/fifo-collected" >/dev/null 2>&1
grep -q '"reason": "not a regular file (a FIFO)"' "$work/fifo-collected/.kextcheck/manifest.json" ||
    fail "collect in Japanese: a FIFO database's reason in manifest.json is not in English"
# Refused plugins (loader.c): a symbolic link and a file that is no shared
# object, in a folder of their own that nobody else may write to.
mkdir -p "$work/refused" && printf 'not a shared object\n' >"$work/refused/junk.so" &&
    ln -s junk.so "$work/refused/link.so" && chmod 755 "$work/refused" &&
    chmod 644 "$work/refused/junk.so" || exit 2
ja "$bin" plugins --no-config -P "$work/refused" >"$work/refused.ja" 2>&1
st=$?
[ "$st" = 3 ] || fail "plugins with refused files: exit status $st, expected 3"
grep -qx '      - シンボリックリンクです（プラグインは通常のファイルでなければなりません。リンクせずにファイルをコピーしてください）' \
    "$work/refused.ja" || fail "a plugin refused as a symbolic link is not said in Japanese"
grep -q '^      - 共有オブジェクトとして読み込めません: ' "$work/refused.ja" ||
    fail "a plugin that is no shared object is not said in Japanese"
same plugins-refused-json "$bin" plugins --no-config -P "$work/refused" --format json
grep -q '"is a symbolic link (plugins must be regular files: copy the file instead of linking it)"' \
    "$work/plugins-refused-json.ja" || fail "plugins --format json: a refusal is not in English"
# The rules of plugin.h (validate.c), found in a child process
# (plugin_child.c): `plugins validate` with the test's bad plugins.
bad=$(dirname "$plugins")/badplugins
ja "$bin" plugins validate "$bad/name-mismatch.so" "$bad/wrong-major.so" >"$work/validate.ja" 2>&1
st=$?
[ "$st" = 1 ] || fail "plugins validate of bad plugins: exit status $st, expected 1"
grep -q '^      - name "other-name" がファイル名 "name-mismatch" と一致しません$' "$work/validate.ja" ||
    fail "plugins validate: a rule of plugin.h is not said in Japanese"
grep -q '^      - プラグインの ABI 2.0 のメジャーバージョンは 2 です。' "$work/validate.ja" ||
    fail "plugins validate: a wrong ABI is not said in Japanese"
same validate-json "$bin" plugins validate --format json "$bad/name-mismatch.so"
grep -q 'does not match the file name' "$work/validate-json.ja" ||
    fail "plugins validate --format json: a refusal is not in English"

# --- snapshot (snapshot.c): the description's errors, the output folder's
# messages and the summary in Japanese, with "kextcheck: snapshot: FILE:LINE: "
# kept; the same runs in C in English; the snapshot written in Japanese holds
# the same bytes as the one written in C (nothing it writes into files is
# translated) --------------------------------------------------------------------
descs=$src/tests/snapshot-descriptions
# every bad description's message is translated (holds Japanese), and in C it
# is the English of snapshot.sh's goldens
for f in "$descs"/bad/*.ini; do
    n=$(basename "$f" .ini)
    ja "$bin" snapshot "$f" "$work/snap-bad" >/dev/null 2>"$work/err"
    st=$?
    [ "$st" = 64 ] || fail "snapshot bad/$n in Japanese: exit status $st, expected 64"
    grep -q "^kextcheck: snapshot: $f:[0-9]*: " "$work/err" ||
        fail "snapshot bad/$n in Japanese: no \"kextcheck: snapshot: FILE:LINE: \" prefix"
    LC_ALL=C grep -q '[^ -~]' "$work/err" || fail "snapshot bad/$n: the message is not in Japanese"
    en "$bin" snapshot "$f" "$work/snap-bad" >/dev/null 2>"$work/err.c"
    sed "s|$f|@FILE@|g" "$work/err.c" | diff -u "$descs/bad/$n.err" - >&2 ||
        fail "snapshot bad/$n in C: the message is not the English golden"
done
[ ! -e "$work/snap-bad" ] || fail "snapshot: a bad description created the folder"
ja "$bin" snapshot "$descs/bad/unknown-section.ini" "$work/snap-bad" >/dev/null 2>"$work/err"
grep -qF ':1: 不明なセクション [network] です（使えるセクション: [mac], [mdm],' "$work/err" ||
    fail "snapshot: an unknown section is not said in Japanese"
ja "$bin" snapshot "$descs/bad/bad-team-list.ini" "$work/snap-bad" >/dev/null 2>"$work/err"
grep -qF ':2: consent_teams: "abc" はチーム ID（A-Z と 0-9 の 10 文字）ではありません' "$work/err" ||
    fail "snapshot: a bad team ID is not said in Japanese"
en "$bin" snapshot "$descs/bad/bad-team-list.ini" "$work/snap-bad" >/dev/null 2>"$work/err"
grep -qF ':2: consent_teams: "abc" is not a team ID (10 characters of A-Z and 0-9)' "$work/err" ||
    fail "snapshot in C: a bad team ID is not said in English"
# the summary, and a folder that is not empty
d=$descs/causes-14.5-apple/description.ini
ja "$bin" snapshot "$d" "$work/snap-ja" >"$work/snap-ja.out" 2>"$work/err"
printf '%s\n' "kextcheck: macOS 14.5（Appleシリコン）の Mac を $work/snap-ja に書き込みました" \
    "次のコマンドで確認できます: kextcheck --root $work/snap-ja" >"$work/want"
diff -u "$work/want" "$work/snap-ja.out" >&2 || fail "snapshot: the summary is not in Japanese"
en "$bin" snapshot "$d" "$work/snap-c" >"$work/snap-c.out" 2>"$work/err"
grep -qx "kextcheck: wrote a Mac with macOS 14.5 (Apple silicon) into $work/snap-c" "$work/snap-c.out" ||
    fail "snapshot in C: the summary is not in English"
# SQLite's WAL salts are random: the -wal and -shm files differ from run to run.
diff -r --no-dereference -x '*-wal' -x '*-shm' "$work/snap-ja" "$work/snap-c" >&2 ||
    fail "snapshot: what a Japanese run writes differs from what a C run writes"
ja "$bin" snapshot "$d" "$work/snap-ja" >/dev/null 2>"$work/err"
grep -qx "kextcheck: $work/snap-ja: フォルダが空ではありません。snapshot は新しいフォルダか空のフォルダにだけ書き込みます" \
    "$work/err" || fail "snapshot into a folder that is not empty: not said in Japanese"
en "$bin" snapshot "$d" "$work/snap-ja" >/dev/null 2>"$work/err"
grep -q "the folder is not empty; snapshot writes only into a new or empty folder" "$work/err" ||
    fail "snapshot into a folder that is not empty: not said in English in C"

[ $fails = 0 ] && echo "ok   kextcheck in Japanese"
[ $fails = 0 ]
