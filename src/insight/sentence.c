/* sentence.c - a factor's figures told in one plain sentence, in French or English. */
#include "insight.h"

#include "base/arena.h"

/* French typography puts a narrow no-break space (U+202F) before %, ; : ! and ?; it is used
 * for all of them here, never an ordinary space, so that a figure never ends a line apart from
 * its sign. */
#define NNBSP "\xe2\x80\xaf"

/* Share of k in n as a whole percentage, rounded half up, in integers so that 12.5 % is 13
 * whatever the binary rounding of 0.125. */
static long
percent(long k, long n)
{
	return (200 * k + n) / (2 * n);
}

/* «Partnerships with {label} succeeded in 78% of cases (n = 41) against 45% without (n = 22).»
 * n is the number of cases with (without) the item among those counted; a group with no case
 * gets its own wording, as a percentage of nothing means nothing. lang is "fr" for French,
 * anything else gives English. label NULL stands for the item code. */
const char *
insight_sentence(const struct ifactor *f, const char *label, const char *lang, struct arena *a)
{
	bool fr = lang != NULL && lang[0] == 'f' && lang[1] == 'r' && lang[2] == '\0';
	if (label == NULL)
		label = f->item;
	long nw = f->with_success + f->with_failure;
	long nwo = (f->success - f->with_success) + (f->failure - f->with_failure);
	long pw = nw > 0 ? percent(f->with_success, nw) : 0;
	long pwo = nwo > 0 ? percent(f->success - f->with_success, nwo) : 0;
	const char *few = !f->too_few ? ""
			  : fr        ? " (trop peu de cas pour conclure)"
				      : " (too few cases to conclude)";

	if (nw > 0 && nwo > 0)
		return fr ? arena_printf(a,
					 "Les partenariats avec %s ont réussi dans %ld" NNBSP
					 "%% des cas (n = %ld), contre %ld" NNBSP
					 "%% sans (n = %ld)%s.",
					 label, pw, nw, pwo, nwo, few)
			  : arena_printf(
				    a,
				    "Partnerships with %s succeeded in %ld%% of cases (n = %ld) "
				    "against %ld%% without (n = %ld)%s.",
				    label, pw, nw, pwo, nwo, few);
	if (nw > 0)
		return fr ? arena_printf(a,
					 "Les partenariats avec %s ont réussi dans %ld" NNBSP
					 "%% des cas (n = %ld)" NNBSP
					 "; il n’y a aucun cas sans%s.",
					 label, pw, nw, few)
			  : arena_printf(
				    a,
				    "Partnerships with %s succeeded in %ld%% of cases (n = %ld); "
				    "there is no case without%s.",
				    label, pw, nw, few);
	if (nwo > 0)
		return fr ? arena_printf(a,
					 "Il n’y a aucun cas de partenariat avec %s" NNBSP
					 "; les autres ont réussi dans %ld" NNBSP
					 "%% des cas (n = %ld)%s.",
					 label, pwo, nwo, few)
			  : arena_printf(a,
					 "There is no case of partnerships with %s; the others "
					 "succeeded in %ld%% of cases (n = %ld)%s.",
					 label, pwo, nwo, few);
	return fr ? arena_printf(a, "Il n’y a aucun cas pour juger des partenariats avec %s.",
				 label)
		  : arena_printf(a, "There is no case to judge partnerships with %s.", label);
}
