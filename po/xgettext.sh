#!/bin/sh
# po/xgettext.sh TOP OUT: extract every marked message (core/i18n.h: _, N_,
# P_) of the files in TOP/po/POTFILES into the template OUT.  Shared by
# po/update.sh and the test i18n_catalog, so both see the same messages.
set -eu
top=$1 out=$2
cd "$top"
xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=P_:1,2 \
    --add-comments=TRANSLATORS: --package-name=kextcheck --no-wrap \
    --files-from=po/POTFILES --output="$out"
