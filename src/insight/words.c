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
#include "base/fold.h"

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

/* s (n bytes, lowercase) without accents: out, or s itself when it is ASCII (most words are,
 * and they need no folding). Sets *len to the length. */
static const char *
plain(const char *s, size_t n, char *out, size_t cap, size_t *len)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80) {
			*len = fold_plain(s, n, out, cap);
			return out;
		}
	*len = n;
	return s;
}

/* Counts one lowercase word (tok: len bytes, NUL-terminated, ncp code points). */
static void
add_token(struct scan *sc, int lang, size_t ci, int side, const char *tok, size_t len, size_t ncp)
{
	char buf[2 * TOKEN_MAX + 1];
	size_t flen;
	const char *folded = plain(tok, len, buf, sizeof(buf), &flen);
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
	size_t klen;
	const char *key = plain(st, slen, buf, sizeof(buf), &klen);
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

/* Splits text into words (base/fold.h), lowercased with their accents, and counts the kept
 * ones. */
static void
scan_text(struct scan *sc, int lang, size_t ci, int side, const char *text)
{
	size_t len = strlen(text), pos = 0, start, end;
	char tok[TOKEN_MAX + 1];
	while (fold_word_next(text, len, &pos, &start, &end)) {
		size_t tlen = fold_lower(text + start, end - start, tok, sizeof(tok));
		if (tlen > TOKEN_MAX)
			continue;
		/* Letters (first bytes), whether all are digits, where the last one starts. */
		size_t ncp = 0, last = 0;
		bool digits_only = true;
		for (size_t i = 0; i < tlen; i++) {
			unsigned char c = (unsigned char)tok[i];
			if ((c & 0xC0) == 0x80)
				continue;
			ncp++;
			last = i;
			if (c < '0' || c > '9')
				digits_only = false;
		}
		/* Numbers say little across cases ("2024", "100"): they are left out. A word is
		 * kept while its last letter starts within TOKEN_MAX - 4 bytes, the limit this
		 * scanner has always had. */
		if (ncp >= 3 && !digits_only && last <= TOKEN_MAX - 4)
			add_token(sc, lang, ci, side, tok, tlen, ncp);
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
