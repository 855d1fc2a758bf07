/* user_cli.h - `coexist user ...`: people managed from the shell. */
#ifndef COEXIST_USER_CLI_H
#define COEXIST_USER_CLI_H

struct config;
struct db;

/* Runs `user add [--role R] [--name N] EMAIL` (password on standard input, asked twice without
 * echo on a terminal), `user list`, `user role EMAIL ROLE`, `user disable|enable EMAIL`.
 * argv[0] is "user". Returns the exit status: 0, 1 (failed) or 2 (bad usage). */
int user_cli(const struct config *c, struct db *db, int argc, char **argv);

#endif
