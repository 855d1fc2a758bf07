/* words.c - the words of the lessons and advice that set successful partnerships apart: stemmed
 * terms compared by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
 * Quinn 2008, "Fightin' Words", section 3.5). */
#include "insight/insight.h"

#include <libstemmer.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

/* Stop words, compiled in rather than read from data/: the engine stays pure (no files, no
 * start-up state) and the lists are short. Written lowercase without accents: a token is
 * looked up once folded, so «été» and «ete» are both dropped. Tokens under 3 letters are
 * dropped before the lookup, so the lists skip them. */
static const char *const stop_fr[] = {
	"afin",     "ai",        "aie",      "aient",    "aies",    "ainsi",    "ait",
	"alors",    "apres",     "as",       "au",       "aucun",   "aucune",   "aupres",
	"aura",     "aurai",     "auraient", "aurais",   "aurait",  "auras",    "aurez",
	"auriez",   "aurions",   "aurons",   "auront",   "aussi",   "autre",    "autres",
	"aux",      "avaient",   "avais",    "avait",    "avant",   "avec",     "avez",
	"aviez",    "avions",    "avoir",    "avons",    "ayant",   "ayez",     "ayons",
	"beaucoup", "bien",      "car",      "ceci",     "cela",    "celle",    "celles",
	"celui",    "cependant", "ces",      "cet",      "cette",   "ceux",     "chaque",
	"chez",     "comme",     "comment",  "dans",     "des",     "deja",     "depuis",
	"donc",     "dont",      "elle",     "elles",    "encore",  "entre",    "est",
	"etaient",  "etais",     "etait",    "etant",    "etc",     "ete",      "etee",
	"etees",    "etes",      "etiez",    "etions",   "etre",    "eue",      "eues",
	"eumes",    "eurent",    "eus",      "eusse",    "eussent", "eusses",   "eussiez",
	"eussions", "eut",       "eutes",    "eux",      "fait",    "faire",    "fais",
	"faut",     "fois",      "font",     "fumes",    "furent",  "fus",      "fusse",
	"fussent",  "fusses",    "fussiez",  "fussions", "fut",     "futes",    "ici",
	"ils",      "jamais",    "leur",     "leurs",    "lors",    "lui",      "mais",
	"meme",     "memes",     "mes",      "moi",      "moins",   "mon",      "non",
	"nos",      "notre",     "nous",     "ont",      "par",     "parce",    "pas",
	"peu",      "peut",      "peuvent",  "plus",     "pour",    "pourquoi", "puis",
	"quand",    "que",       "quel",     "quelle",   "quelles", "quels",    "qui",
	"quoi",     "sans",      "selon",    "ses",      "sera",    "serai",    "seraient",
	"serais",   "serait",    "seras",    "serez",    "seriez",  "serions",  "serons",
	"seront",   "soi",       "soient",   "sois",     "soit",    "sommes",   "son",
	"sont",     "sous",      "soyez",    "soyons",   "suis",    "sur",      "tant",
	"tes",      "toi",       "ton",      "tous",     "tout",    "toute",    "toutes",
	"tres",     "trop",      "une",      "unes",     "uns",     "vers",     "voici",
	"voila",    "vos",       "votre",    "vous",
};

static const char *const stop_en[] = {
	"about",     "above",   "after",    "again",      "against",    "all",     "also",
	"among",     "and",     "any",      "are",        "aren",       "because", "been",
	"before",    "being",   "below",    "between",    "both",       "but",     "can",
	"cannot",    "could",   "did",      "didn",       "does",       "doesn",   "doing",
	"don",       "down",    "during",   "each",       "etc",        "few",     "for",
	"from",      "further", "get",      "got",        "had",        "has",     "have",
	"having",    "her",     "here",     "hers",       "herself",    "him",     "himself",
	"his",       "how",     "however",  "into",       "its",        "itself",  "just",
	"let",       "lot",     "lots",     "made",       "make",       "many",    "may",
	"might",     "more",    "most",     "much",       "must",       "myself",  "nor",
	"not",       "now",     "off",      "once",       "only",       "other",   "ours",
	"ourselves", "out",     "over",     "own",        "really",     "same",    "shall",
	"she",       "should",  "since",    "some",       "such",       "than",    "that",
	"the",       "their",   "theirs",   "them",       "themselves", "then",    "there",
	"these",     "they",    "this",     "those",      "through",    "too",     "under",
	"until",     "upon",    "very",     "via",        "was",        "were",    "what",
	"when",      "where",   "which",    "while",      "who",        "whom",    "why",
	"will",      "with",    "within",   "without",    "would",      "yet",     "you",
	"your",      "yours",   "yourself", "yourselves",
};

#define TOKEN_MAX 128 /* bytes; longer runs (links, pasted noise) are no words */
#define ALPHA0    500 /* prior strength, capped at the corpus size */

/* ---- UTF-8 and Latin letters ---- */

/* The code point at s[*pos], advancing *pos; malformed bytes give U+FFFD, one byte at a time
 * (the texts were validated on input; this only keeps the scanner safe). */
static uint32_t
next_cp(const unsigned char *s, size_t len, size_t *pos)
{
	size_t i = *pos;
	unsigned c = s[i];
	size_t need = c < 0x80             ? 0
		      : (c & 0xE0) == 0xC0 ? 1
		      : (c & 0xF0) == 0xE0 ? 2
		      : (c & 0xF8) == 0xF0 ? 3
					   : 4; /* 4: a stray continuation or invalid byte */
	if (need == 0) {
		*pos = i + 1;
		return c;
	}
	if (need == 4 || i + need >= len) {
		*pos = i + 1;
		return 0xFFFD;
	}
	uint32_t cp = c & (0x3F >> need);
	for (size_t k = 1; k <= need; k++) {
		unsigned b = s[i + k];
		if ((b & 0xC0) != 0x80) {
			*pos = i + 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (b & 0x3F);
	}
	*pos = i + need + 1;
	return cp;
}

static size_t
put_cp(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Combining accents (NFD input): skipped inside a word, so «e + ◌́» reads as «e». */
static bool
is_mark(uint32_t cp)
{
	return cp >= 0x300 && cp <= 0x36F;
}

/* Letters and digits. Latin is classified exactly; beyond Latin Extended-B every code point
 * counts as a letter except the punctuation, symbol and emoji blocks, which is right for the
 * scripts respondents write in without carrying a Unicode table. */
static bool
is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z');
	if (cp < 0xC0)
		return false;
	if (cp == 0xD7 || cp == 0xF7)
		return false;
	if (cp < 0x250)
		return true;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
	    (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	    (cp >= 0xFF00 && cp <= 0xFF20) || (cp >= 0xFFF0 && cp <= 0xFFFF) ||
	    (cp >= 0x1F000 && cp <= 0x1FAFF))
		return false;
	return true;
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

/* The base letters of U+00C0..U+00FF and U+0100..U+017F; '*' marks the two-letter ones. */
static const char fold_latin1[] =
	"aaaaaa*ceeeeiiiidnooooo*ouuuuy**aaaaaa*ceeeeiiiidnooooo*ouuuuy*y";
static const char fold_ext_a[] =
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkklllllllll"
	"lnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Writes s (n bytes) without accents into out (room for 2n + 1); returns the length. */
static size_t
fold(const char *s, size_t n, char *out)
{
	size_t pos = 0, o = 0;
	while (pos < n) {
		uint32_t cp = next_cp((const unsigned char *)s, n, &pos);
		const char *two = NULL;
		char one = 0;
		if (cp >= 0xC0 && cp <= 0xFF)
			one = fold_latin1[cp - 0xC0];
		else if (cp >= 0x100 && cp <= 0x17F)
			one = fold_ext_a[cp - 0x100];
		if (one == '*') {
			switch (cp) {
			case 0xC6:
			case 0xE6: two = "ae"; break;
			case 0xDE:
			case 0xFE: two = "th"; break;
			case 0xDF: two = "ss"; break;
			case 0x132:
			case 0x133: two = "ij"; break;
			case 0x152:
			case 0x153: two = "oe"; break;
			default: two = "?"; break; /* × and ÷: never inside a word */
			}
			memcpy(out + o, two, strlen(two));
			o += strlen(two);
		} else if (one) {
			out[o++] = one;
		} else {
			o += put_cp(out + o, cp);
		}
	}
	out[o] = '\0';
	return o;
}

/* ---- terms ---- */

struct surface {
	const char *word;
	size_t ncp; /* code points, for the tie-break */
	long count;
	struct surface *next;
};

struct term {
	long cases_s, cases_f; /* cases using it, each case once */
	size_t last;           /* the last case (+1) counted */
	struct surface *forms;
	double z;
};

struct scan {
	struct arena *a;
	struct insight_strtab stops[2]; /* 0 French, 1 English */
	struct sb_stemmer *stem[2];
	struct insight_strtab keys; /* folded stems */
	struct term *terms;
	size_t cap;
	uint32_t *flat; /* the terms of each case, one after the other */
	size_t nflat, capflat;
};

/* Counts one lowercase word (tok: len bytes, NUL-terminated, ncp code points). */
static void
add_token(struct scan *sc, int lang, size_t ci, int side, const char *tok, size_t len, size_t ncp)
{
	char folded[2 * TOKEN_MAX + 1];
	size_t flen = fold(tok, len, folded);
	if (insight_strtab_find(&sc->stops[lang], folded, flen) >= 0)
		return;
	const char *st = tok;
	size_t slen = len;
	if (sc->stem[lang]) {
		const sb_symbol *r =
			sb_stemmer_stem(sc->stem[lang], (const sb_symbol *)tok, (int)len);
		if (r) {
			st = (const char *)r;
			slen = (size_t)sb_stemmer_length(sc->stem[lang]);
		}
	}
	if (slen > TOKEN_MAX)
		return;
	char key[2 * TOKEN_MAX + 1];
	size_t klen = fold(st, slen, key);
	if (klen == 0)
		return;

	size_t x = insight_strtab_add(&sc->keys, key, klen);
	if (x == sc->cap) {
		size_t ncap = sc->cap ? 2 * sc->cap : 256;
		struct term *t = arena_zalloc(sc->a, ncap * sizeof(*t));
		if (sc->cap)
			memcpy(t, sc->terms, sc->cap * sizeof(*t));
		sc->terms = t;
		sc->cap = ncap;
	}
	struct term *t = &sc->terms[x];
	struct surface *f = t->forms;
	while (f && strcmp(f->word, tok) != 0)
		f = f->next;
	if (f == NULL) {
		f = arena_alloc(sc->a, sizeof(*f));
		*f = (struct surface){arena_strndup(sc->a, tok, len), ncp, 0, t->forms};
		t->forms = f;
	}
	f->count++;
	if (t->last == ci + 1)
		return;
	t->last = ci + 1;
	if (side)
		t->cases_s++;
	else
		t->cases_f++;
	if (sc->nflat == sc->capflat) {
		size_t ncap = sc->capflat ? 2 * sc->capflat : 1024;
		uint32_t *fl = arena_alloc(sc->a, ncap * sizeof(*fl));
		if (sc->nflat)
			memcpy(fl, sc->flat, sc->nflat * sizeof(*fl));
		sc->flat = fl;
		sc->capflat = ncap;
	}
	sc->flat[sc->nflat++] = (uint32_t)x;
}

/* Splits text into lowercase words (letters and digits) and counts the kept ones. */
static void
scan_text(struct scan *sc, int lang, size_t ci, int side, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), pos = 0;
	char tok[TOKEN_MAX + 4];
	size_t tlen = 0, ncp = 0;
	bool digits_only = true, too_long = false;
	for (;;) {
		uint32_t cp = pos < len ? next_cp(s, len, &pos) : 0;
		if (is_mark(cp))
			continue;
		if (cp && is_word_cp(cp)) {
			cp = lower_cp(cp);
			if (tlen + 4 > TOKEN_MAX)
				too_long = true;
			else
				tlen += put_cp(tok + tlen, cp);
			ncp++;
			if (cp < '0' || cp > '9')
				digits_only = false;
			continue;
		}
		/* Numbers say little across cases ("2024", "100"): they are left out. */
		if (tlen > 0 && !too_long && ncp >= 3 && !digits_only) {
			tok[tlen] = '\0';
			add_token(sc, lang, ci, side, tok, tlen, ncp);
		}
		tlen = ncp = 0;
		digits_only = true;
		too_long = false;
		if (cp == 0)
			break;
	}
}

/* The most frequent surface form; on a tie the shorter, then the accented (more bytes for as
 * many letters: «énergie» rather than «energie»), then the first alphabetically. */
static const char *
best_form(const struct term *t)
{
	const struct surface *b = NULL;
	for (const struct surface *f = t->forms; f; f = f->next) {
		if (b == NULL || f->count > b->count)
			b = f;
		else if (f->count == b->count) {
			size_t fl = strlen(f->word), bl = strlen(b->word);
			if (f->ncp < b->ncp || (f->ncp == b->ncp && fl > bl) ||
			    (f->ncp == b->ncp && fl == bl && strcmp(f->word, b->word) < 0))
				b = f;
		}
	}
	return b ? b->word : "";
}

struct ranked {
	size_t x;
	double z;
	long n;
	const char *key;
};

/* |z| descending, then more cases, then the stem. */
static int
cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *p = pa, *q = pb;
	if (fabs(p->z) != fabs(q->z))
		return fabs(p->z) > fabs(q->z) ? -1 : 1;
	if (p->n != q->n)
		return p->n > q->n ? -1 : 1;
	return strcmp(p->key, q->key);
}

static int
lang_of(const struct icase *c)
{
	return c->lang && strcmp(c->lang, "en") == 0 ? 1 : 0;
}

/* Each term counts once per case (lessons and advice together): a respondent who repeats a
 * word is one voice, and n_success / n_failure then read as numbers of cases. The prior is the
 * pooled counts scaled to α0 = min(500, corpus size), so that it never outweighs the data. */
void
insight_words(const struct icase *cases, size_t n, const struct insight_options *o, size_t top,
	      struct arena *a, struct iterms *out)
{
	memset(out, 0, sizeof(*out));
	struct scan sc = {0};
	sc.a = a;
	static const char *const *const lists[2] = {stop_fr, stop_en};
	static const size_t nlists[2] = {sizeof(stop_fr) / sizeof(*stop_fr),
					 sizeof(stop_en) / sizeof(*stop_en)};
	for (int l = 0; l < 2; l++) {
		insight_strtab_init(&sc.stops[l], a);
		for (size_t k = 0; k < nlists[l]; k++)
			insight_strtab_add(&sc.stops[l], lists[l][k], strlen(lists[l][k]));
	}
	insight_strtab_init(&sc.keys, a);
	/* Per call: a stemmer keeps state between words and the engine may run on many threads. */
	sc.stem[0] = sb_stemmer_new("french", "UTF_8");
	sc.stem[1] = sb_stemmer_new("english", "UTF_8");

	size_t *start = arena_alloc(a, (n + 1) * sizeof(*start)); /* of each case in flat */
	for (size_t i = 0; i < n; i++) {
		start[i] = sc.nflat;
		int side = insight_side(&cases[i], o);
		if (side < 0)
			continue;
		int lang = lang_of(&cases[i]);
		if (cases[i].lessons)
			scan_text(&sc, lang, i, side, cases[i].lessons);
		if (cases[i].advice)
			scan_text(&sc, lang, i, side, cases[i].advice);
	}
	start[n] = sc.nflat;
	for (int l = 0; l < 2; l++)
		if (sc.stem[l])
			sb_stemmer_delete(sc.stem[l]);

	/* The log-odds of each term, successful against not successful. */
	size_t nt = sc.keys.n;
	double ns = 0, nf = 0;
	for (size_t x = 0; x < nt; x++) {
		ns += (double)sc.terms[x].cases_s;
		nf += (double)sc.terms[x].cases_f;
	}
	if (nt == 0 || ns == 0 || nf == 0 || top == 0)
		return; /* nothing to compare against */
	double total = ns + nf, a0 = total < ALPHA0 ? total : ALPHA0;
	struct ranked *pos = arena_alloc(a, nt * sizeof(*pos));
	struct ranked *neg = arena_alloc(a, nt * sizeof(*neg));
	size_t npos = 0, nneg = 0;
	for (size_t x = 0; x < nt; x++) {
		struct term *t = &sc.terms[x];
		double ys = (double)t->cases_s, yf = (double)t->cases_f;
		double aw = a0 * (ys + yf) / total;
		double ds = ns + a0 - ys - aw, df = nf + a0 - yf - aw;
		if (ds <= 0 || df <= 0)
			continue; /* one term is the whole of a side: no odds to speak of */
		double delta = log((ys + aw) / ds) - log((yf + aw) / df);
		double var = 1.0 / (ys + aw) + 1.0 / (yf + aw);
		t->z = delta / sqrt(var);
		struct ranked r = {x, t->z, t->cases_s + t->cases_f, sc.keys.keys[x]};
		if (t->z > 0)
			pos[npos++] = r;
		else if (t->z < 0)
			neg[nneg++] = r;
	}
	qsort(pos, npos, sizeof(*pos), cmp_ranked);
	qsort(neg, nneg, sizeof(*neg), cmp_ranked);
	if (npos > top)
		npos = top;
	if (nneg > top)
		nneg = top;

	/* The chosen terms, and the cases behind each (in input order). */
	long *slot = arena_alloc(a, nt * sizeof(*slot)); /* term -> row, -1 when not shown */
	for (size_t x = 0; x < nt; x++)
		slot[x] = -1;
	size_t nrows = npos + nneg;
	struct iterm *rows = arena_zalloc(a, (nrows ? nrows : 1) * sizeof(*rows));
	for (size_t r = 0; r < nrows; r++) {
		const struct ranked *rk = r < npos ? &pos[r] : &neg[r - npos];
		const struct term *t = &sc.terms[rk->x];
		rows[r].stem = rk->key;
		rows[r].word = best_form(t);
		rows[r].z = t->z;
		rows[r].n_success = t->cases_s;
		rows[r].n_failure = t->cases_f;
		rows[r].cases = arena_alloc(a, (size_t)rk->n * sizeof(long long));
		slot[rk->x] = (long)r;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t k = start[i]; k < start[i + 1]; k++) {
			long r = slot[sc.flat[k]];
			if (r >= 0)
				rows[r].cases[rows[r].ncases++] = cases[i].id;
		}
	out->success = rows;
	out->nsuccess = npos;
	out->failure = rows + npos;
	out->nfailure = nneg;
}
