#!/bin/sh
# Jamf Pro extension attribute: kextcheck's one-line answer for this Mac.
#
# Add it in Jamf Pro under Settings > Computer management > Extension
# attributes (data type String, input type Script). Jamf runs it as root at
# each inventory update and stores the text between <result> and </result>,
# for example:
#   critical; trendmicro=critical:KEXT_PENDING_APPROVAL; sophos=ok
#   ok; none installed
# The first word is the worst status (ok, warning, critical, unknown), then
# one VENDOR=STATUS[:NEXT_STEP_CODE] per installed vendor (docs/fleet.md).
# Smart groups can match on "critical" or on a code. POSIX sh only: stock
# macOS 12.3 and later has no python3.

kextcheck=${KEXTCHECK:-/usr/local/bin/kextcheck}

if [ ! -x "$kextcheck" ]; then
    echo "<result>unknown; kextcheck not installed</result>"
    exit 0
fi
line=$("$kextcheck" --format jamf 2>/dev/null)
case $line in
"<result>"*"</result>")
    printf '%s\n' "$line"
    ;;
*)
    echo "<result>unknown; no result</result>"
    ;;
esac
exit 0
