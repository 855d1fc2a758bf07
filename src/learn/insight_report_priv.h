/* insight_report_priv.h - what the PDF and XLSX writers of the analysis report share: their
 * words in French and English, labels, and numbers written the way each language writes them. */
#ifndef COEXIST_INSIGHT_REPORT_PRIV_H
#define COEXIST_INSIGHT_REPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct ifactor;
struct insight_report;

/* Each word of the report, French then English, side by side so that they stay in step. */
#define REPORT_WORDS(X)                                                                                      \
	X(RW_FACTOR, "Facteur", "Factor")                                                                    \
	X(RW_ITEM, "Élément", "Item")                                                                        \
	X(RW_CODE, "Code", "Code")                                                                           \
	X(RW_SUCCESS_WITH, "Succès avec", "Success with")                                                    \
	X(RW_SUCCESS_WITHOUT, "Succès sans", "Success without")                                              \
	X(RW_CASES_WITH, "Cas avec", "Cases with")                                                           \
	X(RW_CASES_WITHOUT, "Cas sans", "Cases without")                                                     \
	X(RW_SHARE_SUCCESS, "Part des cas réussis", "Share of successful cases")                             \
	X(RW_SHARE_FAILURE, "Part des cas non réussis", "Share of unsuccessful cases")                       \
	X(RW_SUCCESSFUL_WITH, "Réussis avec", "Successful with")                                             \
	X(RW_SUCCESSFUL, "Réussis", "Successful")                                                            \
	X(RW_UNSUCCESSFUL_WITH, "Non réussis avec", "Unsuccessful with")                                     \
	X(RW_UNSUCCESSFUL, "Non réussis", "Unsuccessful")                                                    \
	X(RW_OR, "Rapport de cotes", "Odds ratio")                                                           \
	X(RW_OR_CI, "RC [IC 95 %]", "OR [95% CI]")                                                           \
	X(RW_CI_LOW, "IC 95 % bas", "95% CI low")                                                            \
	X(RW_CI_HIGH, "IC 95 % haut", "95% CI high")                                                         \
	X(RW_P, "p", "p")                                                                                    \
	X(RW_Q, "q", "q")                                                                                    \
	X(RW_TOO_FEW, "Trop peu de cas", "Too few cases")                                                    \
	X(RW_LIST, "Liste", "List")                                                                          \
	X(RW_FREQUENT, "fréquente", "frequent")                                                              \
	X(RW_SEPARATING, "distingue réussite et échec", "separates success from failure")                    \
	X(RW_COMBINATION, "Combinaison", "Combination")                                                      \
	X(RW_SIZE, "Taille", "Size")                                                                         \
	X(RW_SUCCESS_RATE, "Taux de réussite", "Success rate")                                               \
	X(RW_LIFT, "Lift", "Lift")                                                                           \
	X(RW_OBSTACLE, "Obstacle", "Obstacle")                                                               \
	X(RW_MET, "Rencontré", "Met")                                                                        \
	X(RW_OVERCOME, "Surmonté", "Overcome")                                                               \
	X(RW_PARTLY, "En partie", "Partly")                                                                  \
	X(RW_NOT_OVERCOME, "Non surmonté", "Not overcome")                                                   \
	X(RW_SHARE_OVERCOME, "Part surmontée", "Share overcome")                                             \
	X(RW_COMMON, "Points communs de ceux qui l’ont surmonté",                                            \
	  "What those who overcame it share")                                                                \
	X(RW_SIDE, "Côté", "Side")                                                                           \
	X(RW_WORD, "Mot", "Word")                                                                            \
	X(RW_STEM, "Racine", "Stem")                                                                         \
	X(RW_Z, "z", "z")                                                                                    \
	X(RW_CASES, "Cas", "Cases")                                                                          \
	X(RW_BOTH, "Les deux", "Both")                                                                       \
	X(RW_ONLY_NGO, "ONG seule", "NGO only")                                                              \
	X(RW_ONLY_COMPANY, "Entreprise seule", "Company only")                                               \
	X(RW_NEITHER, "Aucun des deux", "Neither")                                                           \
	X(RW_AGREEMENT, "Accord", "Agreement")                                                               \
	X(RW_PAIRS, "Paires de points de vue", "Pairs of views")                                             \
	X(RW_SAME_OUTCOME, "Même résultat des deux côtés", "Same outcome on both sides")                     \
	X(RW_FIELD, "Rubrique", "Field")                                                                     \
	X(RW_VALUE, "Valeur", "Value")                                                                       \
	X(RW_TITLE, "Titre", "Title")                                                                        \
	X(RW_DATE, "Date", "Date")                                                                           \
	X(RW_CASES_ANALYSED, "Cas analysés", "Cases analysed")                                               \
	X(RW_LEFT_OUT, "Laissés de côté (en cours, sans réponse)",                                           \
	  "Left out (running, no answer)")                                                                   \
	X(RW_CAVEAT, "À lire avec prudence", "Read with care")                                               \
	X(RW_H_FACTORS, "Ce qui va avec la réussite", "What goes with success")                              \
	X(RW_H_ITEMSETS, "Ce que les partenariats réussis ont en commun",                                    \
	  "What successful partnerships share")                                                              \
	X(RW_H_OBSTACLES, "Obstacles rencontrés et surmontés", "Obstacles met and overcome")                 \
	X(RW_H_WORDS, "Les mots des leçons tirées", "Words of the lessons learnt")                           \
	X(RW_H_PAIRS, "Les deux points de vue d’un même partenariat",                                        \
	  "Both views of the same partnership")                                                              \
	X(RW_WORDS_SUCCESS, "Cas réussis", "Successful cases")                                               \
	X(RW_WORDS_FAILURE, "Cas non réussis", "Unsuccessful cases")                                         \
	X(RW_LESS, "moins de réussite", "less success")                                                      \
	X(RW_MORE, "plus de réussite", "more success")                                                       \
	X(RW_NO_DATA, "Aucune donnée.", "No data.")                                                          \
	X(RW_PAGE, "page", "page")                                                                           \
	X(RW_PRODUCED_ON, "Établi le", "Produced on")                                                        \
	X(RW_FOREST_NOTE,                                                                                    \
	  "Rapport de cotes de la réussite avec et sans chaque élément, et son intervalle de "            \
	  "confiance à 95 %, sur une échelle logarithmique. À droite de 1, l’élément va avec la "     \
	  "réussite ; à gauche, avec l’échec. En clair et en pointillés : trop peu de cas pour "       \
	  "conclure.",                                                                                       \
	  "Odds ratio of success with and without each item, and its 95% confidence interval, "              \
	  "on a logarithmic scale. Right of 1, the item goes with success; left of it, with "                \
	  "failure. Light and dotted: too few cases to conclude.")                                           \
	X(RW_FOREST_TOP, "Les éléments les plus nets d’abord (q croissant).",                                \
	  "The clearest items first (by q).")                                                                \
	X(RW_TOO_FEW_NOTE,                                                                                   \
	  "† trop peu de cas dans l’un des groupes pour conclure. Succès avec / sans : part des "       \
	  "cas réussis parmi ceux qui ont l’élément / ne l’ont pas (nombre de cas). q : p "           \
	  "corrigé "                                                                                        \
	  "pour les tests multiples (Benjamini–Hochberg).",                                                  \
	  "† too few cases in one of the groups to conclude. Success with / without: share of "            \
	  "successful cases among those with the item / without it (number of cases). q: p "                 \
	  "adjusted for multiple tests (Benjamini–Hochberg).")                                               \
	X(RW_ITEMSETS_NOTE,                                                                                  \
	  "Les combinaisons les plus fréquentes parmi les cas réussis (dix premières), avec leur "        \
	  "fréquence parmi les cas non réussis.",                                                            \
	  "The most frequent combinations among successful cases (first ten), with how often "               \
	  "unsuccessful cases hold them.")                                                                   \
	X(RW_WORDS_NOTE,                                                                                     \
	  "Les mots les plus propres aux leçons et conseils de chaque groupe (z : écart au "               \
	  "hasard ; cas : nombre de cas qui l’emploient).",                                                  \
	  "The words most typical of each group’s lessons and advice (z: distance from chance; "           \
	  "cases: how many cases use it).")                                                                  \
	X(RW_PAIRS_NOTE,                                                                                     \
	  "Les éléments sur lesquels l’ONG et l’entreprise d’un même partenariat s’accordent le " \
	  "moins, d’abord.",                                                                                 \
	  "The items on which the NGO and the company of the same partnership agree least, "                 \
	  "first.")                                                                                          \
	X(RW_SHARED_BY, "Points communs :", "Shared:")

enum report_word {
#define RW_ENUM(k, fr, en) k,
	REPORT_WORDS(RW_ENUM)
#undef RW_ENUM
		RW__MAX
};

/* True when the report is in French (also when lang is NULL or unknown: the site is FR first). */
bool report_fr(const struct insight_report *r);
/* A word of the report in its language. */
const char *report_word(const struct insight_report *r, enum report_word w);
/* The label of an item, or its code when there is none. */
const char *report_label(const struct insight_report *r, const char *item);
/* The caveat to print: the caller's, or a default sentence about self-reported data. */
const char *report_caveat(const struct insight_report *r);
/* Labels of several items joined by " + ", in the arena. */
const char *report_join(const struct insight_report *r, const char *const *items, size_t n,
			struct arena *a);
/* Success rates with and without a factor (0..1, NaN when no case), and the cases behind. */
void report_rates(const struct ifactor *f, double *with, long *nwith, double *without,
		  long *nwithout);
/* A number with `decimals` decimals in the report's language ("2,4" or "2.4"), in the arena. */
const char *report_num(const struct insight_report *r, double v, int decimals, struct arena *a);
/* A share 0..1 as a whole percentage ("78 %" or "78%"), "–" when not a number, in the arena. */
const char *report_pct(const struct insight_report *r, double share, struct arena *a);
/* Today's date written out ("14 mars 2025", "14 March 2025"), in the arena. */
const char *report_date(const struct insight_report *r, struct arena *a);

#endif
