/* user.h - a person as the rest of the site sees them: their roles and what is shown of them.
 * Types only, so that the layout (web/) can show who is signed in without knowing accounts. */
#ifndef COEXIST_USER_H
#define COEXIST_USER_H

/* Ordered: each role can do what the ones before it can. */
enum role { ROLE_ANYONE, ROLE_MEMBER, ROLE_COORDINATOR, ROLE_ADMIN };

enum user_status { USER_PENDING, USER_ACTIVE, USER_DISABLED };

/* Texts are allocated in the arena given to the store: never NULL, "" when empty. */
struct user {
	long long id;
	const char *email;
	const char *name;
	enum role role;
	enum user_status status;
	long long org_id; /* 0: none */
	const char *lang; /* "fr" or "en" */
	const char *created_at;
};

#endif
