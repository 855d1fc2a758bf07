/* tval.c - the values given to templates: objects, lists and scalars made in a request arena. */
#include <string.h>

#include "base/arena.h"
#include "tmpl_priv.h"

static struct tval *
tv_new(struct arena *a, enum tv_kind kind)
{
	struct tval *v = arena_zalloc(a, sizeof(*v));
	v->kind = kind;
	v->arena = a;
	return v;
}

/* Returns a new empty object. */
struct tval *
tv_obj(struct arena *a)
{
	return tv_new(a, TV_OBJ);
}

/* Returns a new empty list. */
struct tval *
tv_list(struct arena *a)
{
	return tv_new(a, TV_LIST);
}

/* Doubles an arena array; the old copy stays in the arena until the request ends. */
static void *
grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p = arena_alloc(a, ncap * size);
	if (n)
		memcpy(p, items, n * size);
	*cap = ncap;
	return p;
}

/* Sets key in an object, replacing an earlier value; no-op on NULL or a non-object. */
void
tv_set(struct tval *obj, const char *key, struct tval *v)
{
	if (obj == NULL || obj->kind != TV_OBJ || key == NULL)
		return;
	if (v == NULL)
		v = tv_new(obj->arena, TV_NULL); /* a present key, so that it hides outer scopes */
	for (size_t i = 0; i < obj->u.obj.n; i++) {
		if (strcmp(obj->u.obj.items[i].key, key) == 0) {
			obj->u.obj.items[i].val = v;
			return;
		}
	}
	if (obj->u.obj.n == obj->u.obj.cap)
		obj->u.obj.items = grow(obj->arena, obj->u.obj.items, obj->u.obj.n, &obj->u.obj.cap,
					sizeof(struct tv_pair));
	obj->u.obj.items[obj->u.obj.n++] = (struct tv_pair){key, v};
}

static struct tval *
tv_str(struct arena *a, enum tv_kind kind, const char *s, size_t len)
{
	struct tval *v = tv_new(a, s ? kind : TV_NULL);
	v->u.str.s = s;
	v->u.str.len = s ? len : 0;
	return v;
}

/* Sets a string (not copied); NULL sets null. */
void
tv_set_str(struct tval *obj, const char *key, const char *s)
{
	if (obj == NULL || obj->kind != TV_OBJ)
		return;
	tv_set(obj, key, tv_str(obj->arena, TV_STR, s, s ? strlen(s) : 0));
}

/* Sets an integer. */
void
tv_set_int(struct tval *obj, const char *key, long long v)
{
	if (obj == NULL || obj->kind != TV_OBJ)
		return;
	struct tval *t = tv_new(obj->arena, TV_INT);
	t->u.i = v;
	tv_set(obj, key, t);
}

/* Sets a boolean. */
void
tv_set_bool(struct tval *obj, const char *key, bool v)
{
	if (obj == NULL || obj->kind != TV_OBJ)
		return;
	struct tval *t = tv_new(obj->arena, TV_BOOL);
	t->u.b = v;
	tv_set(obj, key, t);
}

static void
push(struct tval *list, struct tval *v)
{
	if (v == NULL)
		v = tv_new(list->arena, TV_NULL);
	if (list->u.list.n == list->u.list.cap)
		list->u.list.items = grow(list->arena, list->u.list.items, list->u.list.n,
					  &list->u.list.cap, sizeof(struct tval *));
	list->u.list.items[list->u.list.n++] = v;
}

/* Appends a new empty object to a list and returns it; NULL when list is not a list. */
struct tval *
tv_push_obj(struct tval *list)
{
	if (list == NULL || list->kind != TV_LIST)
		return NULL;
	struct tval *o = tv_obj(list->arena);
	push(list, o);
	return o;
}

/* Appends a string (not copied). */
void
tv_push_str(struct tval *list, const char *s)
{
	if (list == NULL || list->kind != TV_LIST)
		return;
	push(list, tv_str(list->arena, TV_STR, s, s ? strlen(s) : 0));
}

/* Appends any value (a list of lists, of numbers...); no-op when list is not a list. */
void
tv_push(struct tval *list, struct tval *v)
{
	if (list == NULL || list->kind != TV_LIST)
		return;
	push(list, v);
}

/* Returns trusted markup, printed without escaping. */
struct tval *
tv_html_trusted(struct arena *a, const char *html, size_t len)
{
	return tv_str(a, TV_HTML, html, len);
}

/* Looks up a key of an object; NULL when absent or not an object. */
const struct tval *
tv_get(const struct tval *obj, const char *key)
{
	if (obj == NULL || obj->kind != TV_OBJ || key == NULL)
		return NULL;
	const struct tv_pair *p = obj->u.obj.items;
	for (size_t i = 0, n = obj->u.obj.n; i < n; i++)
		if (p[i].key[0] == key[0] && strcmp(p[i].key, key) == 0)
			return p[i].val;
	return NULL;
}

/* Returns the kind of a value; TV_NULL for NULL. */
enum tv_kind
tv_kind(const struct tval *v)
{
	return v ? v->kind : TV_NULL;
}

/* Returns the ith item of a list, or NULL (not a list, or out of range). */
struct tval *
tv_list_at(const struct tval *list, size_t i)
{
	if (list == NULL || list->kind != TV_LIST || i >= list->u.list.n)
		return NULL;
	return list->u.list.items[i];
}
