/* Strict line reading for the text parsers (see textlines.h). */
#include "textlines.h"

#include "i18n.h"
#include "kc.h"

#include <stdlib.h>
#include <string.h>

#define EXCERPT_MAX 60

void kc_lines_init(kc_line_iter *it, const char *text, size_t len)
{
    it->text = text;
    it->len = text != NULL ? len : 0;
    it->pos = 0;
    it->no = 0;
}

bool kc_next_line(kc_line_iter *it, kc_line *ln)
{
    const char *nl;
    size_t end;

    if (it->pos >= it->len)
        return false;
    nl = memchr(it->text + it->pos, '\n', it->len - it->pos);
    end = nl != NULL ? (size_t)(nl - it->text) : it->len;
    ln->s = it->text + it->pos;
    ln->n = end - it->pos;
    ln->no = ++it->no;
    it->pos = nl != NULL ? end + 1 : it->len;
    if (ln->n > 0 && ln->s[ln->n - 1] == '\r')
        ln->n--;
    while (ln->n > 0 && (ln->s[ln->n - 1] == ' ' || ln->s[ln->n - 1] == '\t'))
        ln->n--;
    return true;
}

bool kc_next_nonblank(kc_line_iter *it, kc_line *ln)
{
    while (kc_next_line(it, ln))
        if (ln->n != 0)
            return true;
    return false;
}

bool kc_line_is(const kc_line *ln, const char *s)
{
    size_t n = strlen(s);

    return ln->n == n && memcmp(ln->s, s, n) == 0;
}

bool kc_line_starts(const kc_line *ln, const char *prefix)
{
    size_t n = strlen(prefix);

    return ln->n >= n && memcmp(ln->s, prefix, n) == 0;
}

bool kc_line_ends(const kc_line *ln, const char *suffix)
{
    size_t n = strlen(suffix);

    return ln->n >= n && memcmp(ln->s + ln->n - n, suffix, n) == 0;
}

void kc_excerpt(const char *s, size_t n, char *buf, size_t buflen)
{
    size_t cut = n;
    char *clean = NULL, *shown = NULL;

    if (cut > EXCERPT_MAX) {
        cut = EXCERPT_MAX;
        /* Do not split a UTF-8 sequence. */
        while (cut > EXCERPT_MAX - 3 && ((unsigned char)s[cut] & 0xc0) == 0x80)
            cut--;
    }
    clean = kc_utf8_clean(s, cut);
    if (clean != NULL)
        shown = kc_printable(clean);
    /* Cut by a small buffer, it is still a usable message. */
    kc_snprintf(buf, buflen, "\"%s\"%s", shown != NULL ? shown : _("(out of memory)"),
                cut < n ? "..." : "");
    free(shown);
    free(clean);
}

void kc_bad_line(char *why, size_t whylen, const kc_line *ln, const char *what)
{
    char ex[1024];

    /* TRANSLATORS: %s after "expected" is what the parser wanted, as the
     * caller words it (a noun phrase, or the tool's words in double quotes);
     * the last %s of "got %s" is the line itself, quoted. */
    if (ln->n == 0) {
        kc_snprintf(why, whylen, _("line %zu: expected %s, got an empty line"), ln->no, what);
        return;
    }
    kc_excerpt(ln->s, ln->n, ex, sizeof(ex));
    if (memchr(ln->s, '\0', ln->n) != NULL) {
        kc_snprintf(why, whylen, _("line %zu: contains a NUL byte: %s"), ln->no, ex);
        return;
    }
    kc_snprintf(why, whylen, _("line %zu: expected %s, got %s"), ln->no, what, ex);
}

int kc_check_text(const char *text, size_t len, size_t max, char *why, size_t whylen)
{
    kc_line_iter it;
    kc_line ln;
    bool blank = true;

    if (text == NULL && len > 0) {
        kc_snprintf(why, whylen, "%s", _("no text"));
        return -1;
    }
    if (len > max) {
        kc_snprintf(why, whylen, _("the output is larger than %zu bytes"), max);
        return -1;
    }
    kc_lines_init(&it, text, len);
    while (kc_next_line(&it, &ln)) {
        if (memchr(ln.s, '\0', ln.n) != NULL) {
            kc_bad_line(why, whylen, &ln, _("text"));
            return -1;
        }
        if (ln.n != 0)
            blank = false;
    }
    if (blank) {
        kc_snprintf(why, whylen, "%s", _("the output is empty"));
        return -1;
    }
    return 0;
}
