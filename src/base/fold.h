/* fold.h - words of UTF-8 text: splitting into words, lowercasing, folding Latin accents. */
#ifndef COEXIST_FOLD_H
#define COEXIST_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* Finds the next word of s (n bytes) at or after *pos: a run of letters and digits, with the
 * combining accents that follow a letter. Apostrophes, hyphens and other punctuation end a
 * word («l’eau» is «l» and «eau»). Sets [*start, *end) to its bytes and *pos past it; false
 * when no word is left. Latin is classified exactly; beyond it every code point counts as a
 * letter except the punctuation, symbol and emoji blocks. Malformed bytes end a word. */
bool fold_word_next(const char *s, size_t n, size_t *pos, size_t *start, size_t *end);
/* Number of letters and digits in a word (combining accents are not counted). */
size_t fold_letters(const char *s, size_t n);
/* Writes s lowercased, accents kept, combining accents dropped, into out (cap bytes, NUL
 * included). Lowercasing covers ASCII, Latin-1 and Latin Extended-A. Returns the length the
 * whole result needs, like snprintf: a result >= cap means out holds only a prefix. */
size_t fold_lower(const char *s, size_t n, char *out, size_t cap);
/* Same as fold_lower, and without accents: «Énergie» gives «energie», «Œuvre» «oeuvre»,
 * «Straße» «strasse». Letters beyond Latin Extended-A are kept as they are. */
size_t fold_plain(const char *s, size_t n, char *out, size_t cap);

#endif
