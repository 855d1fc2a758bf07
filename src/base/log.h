/* log.h - one-line log records to standard error, stripped of control characters. */
#ifndef COEXIST_LOG_H
#define COEXIST_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the lowest level written (LOG_INFO by default). */
void log_set_level(enum log_level level);
/* Writes one line "time level message"; CR, LF and other control characters in the
 * formatted message are replaced so that no input can forge a log line. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Logs an error and exits with status 1; for conditions a program cannot go on from. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
