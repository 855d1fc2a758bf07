/* survey_demo.c - demonstration content for collection: two campaigns, the three partnerships
 * the cluster already publishes, and 150 generated responses with planted effects
 * (docs/demo-data.md), so that the analysis pages show real findings. The answers are written
 * for one questionnaire, coexist v1, under its keys: each is checked against that definition,
 * so that a key it no longer has stops the demo instead of writing answers nobody reads. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <math.h>

#include "app/app.h"
#include "base/arena.h"
#include "db/db.h"
#include "survey.h"
#include "survey_demo.h"
#include "base/log.h"

#define GENERATED     150
#define PARTNER_PAIRS 20

/* A small deterministic generator: the same demo every time. */
static unsigned long long rng_state = 0x2026C0E815ull;

static double
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static int
pick(int n)
{
	int k = (int)(rnd() * n);
	return k < n ? k : n - 1;
}

static bool
chance(double p)
{
	return rnd() < p;
}

static void
add(struct answers *a, const char *key, int pos, const char *value)
{
	answers_add(a, key, pos, value);
}

/* The questionnaire the demo's answers are written for (set by survey_demo_load). */
static const struct qdef *demo_def;

/* The first answer key that is no question of the demo's questionnaire, or NULL. */
static const char *
unknown_key(const struct answers *a, struct arena *ar)
{
	for (size_t i = 0; i < a->n; i++) {
		const char *key = a->rows[i].key, *dot = strchr(key, '.');
		const char *question = dot ? arena_strndup(ar, key, (size_t)(dot - key)) : key;
		if (qdef_find(demo_def, question) == NULL)
			return key;
	}
	return NULL;
}

/* Saves one response (submitted, with its consents) and returns its id, or -1. */
static long long
save(struct db *db, long long campaign, long long partner_of, const struct answers *a,
     const char *lang)
{
	const char *unknown = unknown_key(a, a->arena);
	if (unknown) {
		log_error("demo survey: %s v%d has no question '%s'", demo_def->key,
			  demo_def->version, unknown);
		return -1;
	}
	long long id = survey_store_response_create(db, campaign, lang, partner_of, "demo");
	if (id <= 0 || survey_store_answers_save(db, id, 0, a, 5) <= 0 ||
	    survey_store_submit(db, id, a) != 0)
		return -1;
	/* Every consent, given or not, as a submission records them. */
	for (size_t k = 0; k < demo_def->nsections; k++)
		for (size_t i = 0; i < demo_def->sections[k].nquestions; i++) {
			const struct question *q = &demo_def->sections[k].questions[i];
			if (q->type == Q_CONSENT &&
			    survey_store_consent(db, id, q->key, answers_has(a, q->key, "yes"),
						 q->notice_version) != 0)
				return -1;
		}
	return id;
}

struct example {
	const char *org, *kind, *country, *title, *description, *partner, *partner_kind;
	const char *partner_country, *sector, *type, *stage, *achievement, *lessons, *advice;
	const char *resources[4];
	const char *factors[4];
	const char *obstacles[2];
	const char *countries[3];
	int start;
	long reached;
};

/* The three partnerships the cluster already presents (from its published cases). */
static const struct example examples[] = {
	{"Santé Sans Frontières Techniques",
	 "ngo",
	 "FR",
	 "Un stérilisateur à basse consommation conçu avec le terrain",
	 "Une PME d’équipements médicaux et des ONG de santé ont co-conçu un stérilisateur "
	 "économique et peu gourmand en énergie, à partir de la connaissance du terrain des ONG, "
	 "puis l’ont diffusé par leurs réseaux locaux dans les centres de santé ruraux.",
	 "Stérimed Solutions",
	 "company_sme",
	 "FR",
	 "health",
	 "societal_innovation",
	 "scaling",
	 "exceeded",
	 "La connaissance du terrain apportée dès la conception a évité un appareil inadapté.",
	 "Associez les équipes de terrain dès le premier prototype.",
	 {"field_knowledge", "codesign_rd", "last_mile", "products_equipment"},
	 {"complementary_skills", "shared_objectives", "local_anchoring", "trust"},
	 {"field_context", NULL},
	 {"BF", "ML", "NE"},
	 2019,
	 120000},
	{"Enfance et Santé Burkina",
	 "ngo",
	 "BF",
	 "Former les agents de santé aux soins du nourrisson par l’e-learning",
	 "Une ONG burkinabè a fait passer à l’échelle un projet pilote de formation des agents de "
	 "santé communautaires aux soins du nourrisson, avec une entreprise de e-learning et de "
	 "tablettes qui a fourni les contenus numériques, le matériel et la formation des "
	 "formateurs.",
	 "EduTab Afrique",
	 "company_mid",
	 "SN",
	 "health",
	 "economic_cooperation",
	 "scaling",
	 "met",
	 "Le pilote a donné des preuves qui ont convaincu le ministère d’étendre la formation.",
	 "Mesurez les résultats dès le pilote : ils ouvrent les portes pour passer à l’échelle.",
	 {"technology_ip_data", "training_capacity", "products_equipment", "monitoring_evaluation"},
	 {"clear_roles", "joint_learning", "local_anchoring", "champion"},
	 {"short_horizon", "lack_of_time"},
	 {"BF", NULL, NULL},
	 2020,
	 3500},
	{"Abri et Avenir",
	 "ngo",
	 "FR",
	 "Des réfugiés rohingyas formés à l’installation d’équipements de sécurité",
	 "Deux ONG et une entreprise d’équipements de sécurité ont formé des réfugiés rohingyas à "
	 "installer et entretenir des équipements de sécurité dans les camps, créant des emplois "
	 "locaux et rendant les camps plus sûrs.",
	 "SecurEquip International",
	 "company_large",
	 "CH",
	 "housing_shelter",
	 "responsible_practices",
	 "running",
	 "met",
	 "Former des personnes du camp plutôt que faire venir des techniciens a tout changé.",
	 "Prévoyez dès le départ qui entretiendra les équipements après le projet.",
	 {"training_capacity", "products_equipment", "community_access", "volunteering_secondment"},
	 {"mutual_value", "adaptability", "communication", "dedicated_time"},
	 {"cultural_gap", "field_context"},
	 {"BD", NULL, NULL},
	 2021,
	 8000},
};

static long long
save_example(struct db *db, long long campaign, const struct example *e)
{
	struct arena ar;
	arena_init(&ar, 8192);
	struct answers a;
	answers_init(&a, &ar);
	add(&a, "org_name", 0, e->org);
	add(&a, "org_kind", 0, e->kind);
	add(&a, "org_country", 0, e->country);
	add(&a, "role", 0, "lead");
	add(&a, "title", 0, e->title);
	add(&a, "description", 0, e->description);
	add(&a, "partners.name", 0, e->partner);
	add(&a, "partners.kind", 0, e->partner_kind);
	add(&a, "partners.country", 0, e->partner_country);
	add(&a, "partners.role", 0, "technical_partner");
	add(&a, "initiative", 0, "both");
	char year[8];
	snprintf(year, sizeof(year), "%d", e->start);
	add(&a, "start_year", 0, year);
	add(&a, "stage", 0, e->stage);
	add(&a, "sectors", 0, e->sector);
	for (int i = 0; i < 3 && e->countries[i]; i++)
		add(&a, "countries", i, e->countries[i]);
	add(&a, "sdgs", 0, "sdg3");
	add(&a, "sdgs", 1, "sdg17");
	add(&a, "partnership_type", 0, e->type);
	add(&a, "depth", 0, "integrative");
	for (int i = 0; i < 4; i++) {
		add(&a, "resources", i, e->resources[i]);
		char k[96];
		snprintf(k, sizeof(k), "resources.%s.direction", e->resources[i]);
		add(&a, k, 0, i % 2 ? "company_to_ngo" : "ngo_to_company");
	}
	add(&a, "financial_part", 0, "minor");
	add(&a, "agreement", 0, "contract");
	add(&a, "governance", 0, "steering_committee");
	add(&a, "achievement", 0, e->achievement);
	add(&a, "value", 0, "5");
	add(&a, "evidence", 0, "indicators");
	char reached[24];
	snprintf(reached, sizeof(reached), "%ld", e->reached);
	add(&a, "people_reached", 0, reached);
	for (int i = 0; i < 4; i++)
		add(&a, "success_factors", i, e->factors[i]);
	for (int i = 0; i < 3; i++)
		add(&a, "top_factors", i, e->factors[i]);
	for (int i = 0; i < 2 && e->obstacles[i]; i++) {
		add(&a, "obstacles", i, e->obstacles[i]);
		char k[96];
		snprintf(k, sizeof(k), "obstacles.%s.overcome", e->obstacles[i]);
		add(&a, k, 0, "yes");
	}
	add(&a, "lessons", 0, e->lessons);
	add(&a, "advice", 0, e->advice);
	add(&a, "consent_analysis", 0, "yes");
	add(&a, "consent_public_named", 0, "yes");
	add(&a, "consent_events", 0, "yes");
	add(&a, "testify", 0, "yes");
	add(&a, "may_contact", 0, "yes");
	add(&a, "looking_for_partner", 0, "no");
	add(&a, "invite_partner", 0, "no");
	long long id = save(db, campaign, 0, &a, "fr");
	arena_free(&ar);
	return id;
}

static const char *const org_prefix[] = {"Association", "ONG", "Collectif", "Fondation", "Réseau"};
static const char *const org_theme[] = {"Eau Vive",        "Santé Pour Tous", "Lumière du Sahel",
					"Terres Fertiles", "Écoles Ouvertes", "Solaire Solidaire",
					"Mains Unies",     "Horizon Santé"};
static const char *const companies[] = {"Helios Énergie", "AquaTech",  "MediSupply",  "AgriNova",
					"NumériK",        "LogiTrans", "BâtiDurable", "PharmaLink"};
static const char *const west_africa[] = {"BF", "ML", "NE", "SN", "CI",
					  "BJ", "TG", "GN", "GH", "NG"};
static const char *const elsewhere[] = {"CM", "TD", "CD", "KE", "MG", "ET", "RW", "UG"};

/* Generates one response following the planted model; writes whether it succeeded. */
static void
generate(struct answers *a, int n, bool *success)
{
	const char *stage = chance(0.15) ? "running" : chance(0.85) ? "completed" : "stopped_early";
	bool agreement = chance(0.5), champion = chance(0.45), turnover = chance(0.35);
	/* Planted effects (docs/demo-data.md): a written agreement and a senior sponsor raise the
	 * odds of success, staff turnover lowers them, nothing else matters. */
	double logit = -0.4 + 1.4 * agreement + 1.2 * champion - 1.3 * turnover;
	double p = 1.0 / (1.0 + exp(-logit));
	*success = chance(p);
	char buf[160];
	snprintf(buf, sizeof(buf), "%s %s %d", org_prefix[pick(5)], org_theme[pick(8)], n);
	add(a, "org_name", 0, buf);
	add(a, "org_kind", 0, chance(0.8) ? "ngo" : "foundation");
	add(a, "org_country", 0, chance(0.6) ? "FR" : chance(0.5) ? "CH" : west_africa[pick(10)]);
	add(a, "role", 0, chance(0.7) ? "lead" : "field_partner");
	static const char *const sectors[] = {
		"health", "energy", "water_sanitation", "agriculture_food", "education_training",
		"digital"};
	static const char *const themes[] = {
		"Santé maternelle",     "Énergie solaire",           "Eau potable",
		"Sécurité alimentaire", "Formation professionnelle", "Outils numériques"};
	static const char *const places[] = {
		"au Sahel",        "en zone rurale",        "dans les dispensaires",
		"dans les écoles", "en périphérie urbaine", "dans les camps"};
	int k = pick(6);
	const char *sector = sectors[k];
	snprintf(buf, sizeof(buf), "%s %s (%d)", themes[k], places[pick(6)], n);
	add(a, "title", 0, buf);
	add(a, "partners.name", 0, companies[pick(8)]);
	add(a, "partners.kind", 0, chance(0.5) ? "company_sme" : "company_large");
	add(a, "initiative", 0, chance(0.5) ? "ngo" : "company");
	snprintf(buf, sizeof(buf), "%d", 2014 + pick(11));
	add(a, "start_year", 0, buf);
	add(a, "stage", 0, stage);
	if (strcmp(stage, "running") != 0) {
		snprintf(buf, sizeof(buf), "%d", 2025 + pick(2));
		add(a, "end_year", 0, buf);
	}
	add(a, "sectors", 0, sector);
	add(a, "countries", 0, chance(0.75) ? west_africa[pick(10)] : elsewhere[pick(8)]);
	static const char *const types[] = {"giving", "responsible_practices",
					    "economic_cooperation", "societal_innovation"};
	add(a, "partnership_type", 0, types[pick(4)]);
	static const char *const depths[] = {"philanthropic", "transactional", "integrative",
					     "transformational"};
	add(a, "depth", 0, depths[pick(4)]);
	static const char *const resources[] = {
		"skills_probono", "products_equipment", "field_knowledge",   "community_access",
		"last_mile",      "training_capacity",  "technology_ip_data"};
	int nr = 0;
	for (int i = 0; i < 7; i++)
		if (chance(0.4)) {
			add(a, "resources", nr++, resources[i]);
			snprintf(buf, sizeof(buf), "resources.%s.direction", resources[i]);
			add(a, buf, 0,
			    chance(0.5)   ? "company_to_ngo"
			    : chance(0.5) ? "ngo_to_company"
					  : "both");
		}
	add(a, "financial_part", 0, chance(0.6) ? "none" : "minor");
	add(a, "agreement", 0, agreement ? (chance(0.5) ? "contract" : "letter_mou") : "none");
	add(a, "governance", 0, chance(0.5) ? "focal_persons" : "steering_committee");
	const char *achievement = *success ? (chance(0.7) ? "met" : "exceeded")
					   : (chance(0.5)   ? "partly_met"
					      : chance(0.6) ? "not_met"
							    : "abandoned");
	add(a, "achievement", 0, achievement);
	snprintf(buf, sizeof(buf), "%d", *success ? 3 + pick(3) : 1 + pick(3));
	add(a, "value", 0, buf);
	add(a, "evidence", 0, chance(0.5) ? "self_assessed" : "indicators");
	snprintf(buf, sizeof(buf), "%d", 100 * (1 + pick(200)));
	add(a, "people_reached", 0, buf);
	/* Success factors: the sponsor as planted; the others at random, unrelated to success. */
	static const char *const neutral[] = {
		"shared_objectives",    "mission_fit",  "mutual_value",
		"complementary_skills", "trust",        "communication",
		"local_anchoring",      "adaptability", "joint_learning"};
	int nf = 0;
	if (champion)
		add(a, "success_factors", nf++, "champion");
	if (agreement)
		add(a, "success_factors", nf++, "clear_roles");
	for (int i = 0; i < 9; i++)
		if (chance(0.35))
			add(a, "success_factors", nf++, neutral[i]);
	for (int i = 0; i < nf && i < 3; i++)
		add(a, "top_factors", i, answers_get(a, "success_factors", i));
	static const char *const neutral_obstacles[] = {"lack_of_time", "cultural_gap",
							"hard_to_measure", "field_context"};
	int no = 0;
	if (turnover) {
		add(a, "obstacles", no++, "turnover");
		add(a, "obstacles.turnover.overcome", 0, *success ? "partly" : "no");
		add(a, "obstacles.turnover.how", 0, "Un nouveau référent a été nommé et formé.");
	}
	for (int i = 0; i < 4; i++)
		if (chance(0.3)) {
			snprintf(buf, sizeof(buf), "obstacles.%s.overcome", neutral_obstacles[i]);
			add(a, "obstacles", no++, neutral_obstacles[i]);
			add(a, buf, 0, chance(0.5) ? "yes" : "partly");
		}
	add(a, "lessons", 0,
	    *success ? "Des objectifs écrits et un référent de chaque côté ont tout facilité."
		     : "Nous aurions dû clarifier les rôles et prévoir les départs.");
	add(a, "consent_analysis", 0, "yes");
	if (chance(0.5))
		add(a, "consent_public_anonymous", 0, "yes");
	if (chance(0.3))
		add(a, "consent_public_named", 0, "yes");
	if (chance(0.3))
		add(a, "consent_events", 0, "yes");
	add(a, "may_contact", 0, chance(0.6) ? "yes" : "no");
	add(a, "looking_for_partner", 0, chance(0.3) ? "yes" : "no");
	add(a, "invite_partner", 0, "no");
}

/* The company's view of the same partnership: same outcome, factors mostly agreed. */
static void
partner_view(const struct answers *ngo, struct answers *a)
{
	for (size_t i = 0; i < ngo->n; i++) {
		const struct answer *r = &ngo->rows[i];
		if (strcmp(r->key, "org_name") == 0) {
			add(a, "org_name", 0, answers_get(ngo, "partners.name", 0));
			continue;
		}
		if (strcmp(r->key, "org_kind") == 0) {
			add(a, "org_kind", 0, "company_sme");
			continue;
		}
		/* Companies report communication and trust less often than NGOs (a planted
		 * disagreement); everything else is shared. */
		if (strcmp(r->key, "success_factors") == 0 &&
		    (strcmp(r->value, "communication") == 0 || strcmp(r->value, "trust") == 0) &&
		    chance(0.7))
			continue;
		if (strncmp(r->key, "partners.", 9) == 0 || strcmp(r->key, "top_factors") == 0)
			continue;
		add(a, r->key, r->position, r->value);
	}
}

int
survey_demo_load(struct db *db, const struct app *app, FILE *out, char *err, size_t errlen)
{
	time_t now = time(NULL);
	/* The cluster's first campaign ran until the end of June; the demonstration one is open. */
	char opens[11], closes[11]; /* YYYY-MM-DD */
	struct tm tm;
	time_t from = now - 30L * 86400, to = now + 365L * 86400;
	gmtime_r(&from, &tm);
	strftime(opens, sizeof(opens), "%Y-%m-%d", &tm);
	gmtime_r(&to, &tm);
	strftime(closes, sizeof(closes), "%Y-%m-%d", &tm);
	const struct campaign first = {
		.slug = "coexist-2026",
		.questionnaire = "coexist",
		.version = 1,
		.title_fr = "Partenariats ONG–entreprises 2026",
		.title_en = "NGO–company partnerships 2026",
		.opens_at = "2026-01-15",
		.closes_at = "2026-06-30",
		.contact_name = "Équipe COEXIST",
		.contact_email = "contact@coexist.example",
	};
	const struct campaign demo = {
		.slug = "demo",
		.questionnaire = "coexist",
		.version = 1,
		.title_fr = "Racontez votre partenariat (démonstration)",
		.title_en = "Tell us about your partnership (demonstration)",
		.opens_at = opens,
		.closes_at = closes,
		.contact_name = "Équipe COEXIST",
		.contact_email = "contact@coexist.example",
	};
	demo_def = app_questionnaire(app, first.questionnaire, first.version);
	if (demo_def == NULL) {
		snprintf(err, errlen, "demo survey: questionnaire %s v%d is not loaded",
			 first.questionnaire, first.version);
		return -1;
	}
	long long first_id = survey_store_campaign_create(db, &first);
	long long demo_id = survey_store_campaign_create(db, &demo);
	if (first_id <= 0 || demo_id <= 0) {
		snprintf(err, errlen, "demo survey: cannot create the campaigns");
		return -1;
	}
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++)
		if (save_example(db, first_id, &examples[i]) <= 0) {
			snprintf(err, errlen, "demo survey: cannot save an example partnership");
			return -1;
		}
	int successes = 0;
	rng_state = 0x2026C0E815ull;
	for (int n = 1; n <= GENERATED; n++) {
		struct arena ar;
		arena_init(&ar, 16384);
		struct answers a, b;
		answers_init(&a, &ar);
		answers_init(&b, &ar);
		bool ok;
		generate(&a, n, &ok);
		successes += ok;
		long long id = save(db, n % 3 ? first_id : demo_id, 0, &a, "fr");
		if (id > 0 && n <= PARTNER_PAIRS) {
			partner_view(&a, &b);
			id = save(db, n % 3 ? first_id : demo_id, id, &b, "fr");
		}
		arena_free(&ar);
		if (id <= 0) {
			snprintf(err, errlen, "demo survey: cannot save a generated response");
			return -1;
		}
	}
	fprintf(out,
		"  survey: campaigns %s (closed 2026-06-30) and %s (open until %s); 3 example"
		" partnerships, %d generated responses (%d successful) and %d partner views\n",
		first.slug, demo.slug, demo.closes_at, GENERATED, successes, PARTNER_PAIRS);
	return 0;
}
