/* Strict line-by-line reading of captured command output, shared by the
 * parsers of core/evidence.c and core/platform.c: CRLF line ends, trailing
 * blanks and empty lines are allowed; a refused line is named "line N:
 * expected X, got "..."".
 *
 * Everything here is bounded by the length given and never reads past it;
 * the text need not be NUL-terminated. */
#ifndef KC_TEXTLINES_H
#define KC_TEXTLINES_H

#include <stdbool.h>
#include <stddef.h>

/* The largest output any text parser accepts (1 MiB). */
#define KC_TEXT_MAX_BYTES (1024 * 1024)

/* ASCII character classes, whatever the locale (ctype's follow it). */
static inline bool kc_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool kc_is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static inline bool kc_is_hex(char c)
{
    return kc_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* One line: s[0..n) without "\n", a final "\r" and trailing spaces or tabs. */
typedef struct kc_line {
    const char *s;
    size_t n;
    size_t no; /* 1-based */
} kc_line;

typedef struct kc_line_iter {
    const char *text;
    size_t len;
    size_t pos;
    size_t no;
} kc_line_iter;

void kc_lines_init(kc_line_iter *it, const char *text, size_t len);
/* The next line, or false at the end of the text. */
bool kc_next_line(kc_line_iter *it, kc_line *ln);
/* The next non-empty line, or false when only empty lines are left. */
bool kc_next_nonblank(kc_line_iter *it, kc_line *ln);

bool kc_line_is(const kc_line *ln, const char *s);
bool kc_line_starts(const kc_line *ln, const char *prefix);
bool kc_line_ends(const kc_line *ln, const char *suffix);

/* At most 60 bytes of s, quoted, valid UTF-8, control characters shown as
 * \xNN, with "..." when cut. */
void kc_excerpt(const char *s, size_t n, char *buf, size_t buflen);

/* "line N: expected WHAT, got "..."" (or "got an empty line", or "line N:
 * contains a NUL byte: ..."). */
void kc_bad_line(char *why, size_t whylen, const kc_line *ln, const char *what);

/* Checks shared by every text parser: text present, at most max bytes, not
 * empty or blank, no NUL byte (named by its line).  0, or -1 with why. */
int kc_check_text(const char *text, size_t len, size_t max, char *why, size_t whylen);

#endif
