/* fold.c - words of UTF-8 text: splitting into words, lowercasing, folding Latin accents. */
#include "fold.h"

#include <stdint.h>
#include <string.h>

/* The code point at s[*pos], advancing *pos; a malformed sequence gives U+FFFD and advances
 * one byte, so a scanner never stalls and never reads past n. */
static uint32_t
next_cp(const unsigned char *s, size_t n, size_t *pos)
{
	size_t i = *pos;
	unsigned c = s[i];
	*pos = i + 1;
	if (c < 0x80)
		return c;
	size_t need;
	uint32_t cp, min;
	if ((c & 0xE0) == 0xC0) {
		need = 1, cp = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		need = 2, cp = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		need = 3, cp = c & 0x07, min = 0x10000;
	} else {
		return 0xFFFD;
	}
	if (need >= n - i)
		return 0xFFFD;
	for (size_t k = 1; k <= need; k++) {
		unsigned b = s[i + k];
		if ((b & 0xC0) != 0x80)
			return 0xFFFD;
		cp = (cp << 6) | (b & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	*pos = i + need + 1;
	return cp;
}

/* Combining diacritical marks: part of the word they follow (NFD text), never a word alone. */
static bool
is_mark(uint32_t cp)
{
	return cp >= 0x300 && cp <= 0x36F;
}

static bool
is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z');
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
		return false;
	if (cp < 0x250)
		return true;
	/* Spacing modifiers (ʼ U+02BC is an apostrophe), combining marks, general punctuation to
	 * miscellaneous symbols, CJK punctuation, forms, specials, emoji. */
	if ((cp >= 0x2B0 && cp <= 0x36F) || (cp >= 0x2000 && cp <= 0x2BFF) ||
	    (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF20) ||
	    (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF))
		return false;
	return true;
}

bool
fold_word_next(const char *s, size_t n, size_t *pos, size_t *start, size_t *end)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*pos < n) {
		size_t at = *pos;
		if (!is_word_cp(next_cp(u, n, pos)))
			continue;
		*start = at;
		for (;;) {
			size_t here = *pos;
			if (here >= n) {
				*end = here;
				return true;
			}
			uint32_t cp = next_cp(u, n, pos);
			if (!is_word_cp(cp) && !is_mark(cp)) {
				*end = here; /* *pos stays past the separator: it is no word */
				return true;
			}
		}
	}
	return false;
}

size_t
fold_letters(const char *s, size_t n)
{
	size_t pos = 0, k = 0;
	while (pos < n)
		if (!is_mark(next_cp((const unsigned char *)s, n, &pos)))
			k++;
	return k;
}

/* Lowercase for ASCII, Latin-1 Supplement and Latin Extended-A; other code points unchanged. */
static uint32_t
lower_cp(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp == 0x130) /* İ */
		return 'i';
	if (cp == 0x178) /* Ÿ */
		return 0xFF;
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
		return cp | 1; /* pairs: even capital, odd small */
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return (cp & 1) ? cp + 1 : cp; /* pairs: odd capital, even small */
	return cp;
}

/* The base letter of each code point of U+00C0..U+00FF and U+0100..U+017F; '*' marks the
 * ones written with two letters, and × ÷ (which never reach here: they are no letters). */
static const char fold_latin1[] =
	"aaaaaa*ceeeeiiiidnooooo*ouuuuy**aaaaaa*ceeeeiiiidnooooo*ouuuuy*y";
static const char fold_ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkk"
				 "llllllllllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuu"
				 "wwyyyzzzzzzs";
_Static_assert(sizeof(fold_latin1) == 64 + 1, "one letter per code point of U+00C0..U+00FF");
_Static_assert(sizeof(fold_ext_a) == 128 + 1, "one letter per code point of U+0100..U+017F");

/* Output that stops at the first code point that does not fit, so it is always a prefix. */
struct sink {
	char *out;
	size_t cap, len, written;
};

static void
emit(struct sink *k, const char *p, size_t n)
{
	if (k->written == k->len && k->len + n < k->cap) {
		memcpy(k->out + k->len, p, n);
		k->written += n;
	}
	k->len += n;
}

static void
emit_cp(struct sink *k, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	emit(k, b, n);
}

static size_t
transform(const char *s, size_t n, char *out, size_t cap, bool plain)
{
	struct sink k = {out, cap, 0, 0};
	size_t pos = 0;
	while (pos < n) {
		uint32_t cp = next_cp((const unsigned char *)s, n, &pos);
		if (is_mark(cp))
			continue;
		cp = lower_cp(cp);
		char one = 0;
		if (plain && cp >= 0xC0 && cp <= 0xFF)
			one = fold_latin1[cp - 0xC0];
		else if (plain && cp >= 0x100 && cp <= 0x17F)
			one = fold_ext_a[cp - 0x100];
		if (one == 0) {
			emit_cp(&k, cp);
		} else if (one != '*') {
			emit(&k, &one, 1);
		} else {
			const char *two;
			switch (cp) {
			case 0xE6: two = "ae"; break;
			case 0xFE: two = "th"; break;
			case 0xDF: two = "ss"; break;
			case 0x133: two = "ij"; break;
			case 0x153: two = "oe"; break;
			default: two = "?"; break; /* × and ÷ */
			}
			emit(&k, two, strlen(two));
		}
	}
	if (cap > 0)
		out[k.written] = '\0';
	return k.len;
}

size_t
fold_lower(const char *s, size_t n, char *out, size_t cap)
{
	return transform(s, n, out, cap, false);
}

size_t
fold_plain(const char *s, size_t n, char *out, size_t cap)
{
	return transform(s, n, out, cap, true);
}
