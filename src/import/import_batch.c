/* import_batch: many items per transaction, each item a savepoint, so a failure leaves nothing
 * half-written and costs only its item (or, when SQLite loses the transaction, its batch: reported). */
#include "import_batch.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db_import.h"
#include "log.h"

static long long mono_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void import_batch_init(struct import_batch *b, struct db *d, struct import_stats *st, int *failures)
{
	memset(b, 0, sizeof *b);
	b->db = d;
	b->st = st;
	b->failures = failures;
}

/* The batch was rolled back (by SQLite, or its commit failed): none of its items is stored. */
static void lost(struct import_batch *b)
{
	log_msg("import: items %s to %s (%d) not imported, rolled back: %s", b->first, b->last, b->items,
	        db_errmsg(b->db));
	*b->st = b->st_before;
	*b->failures = b->failures_before + b->items;
	b->items = 0;
	b->bytes = 0;
}

void import_batch_commit(struct import_batch *b)
{
	if (b->items && db_import_batch_open(b->db) && db_import_batch_commit(b->db) < 0)
		lost(b);
	b->items = 0;
	b->bytes = 0;
}

int import_batch_item_begin(struct import_batch *b, const char *id, size_t bytes)
{
	if (!b->items) {
		if (db_import_batch_begin(b->db) < 0)
			log_warn("import: begin: %s (saving item by item)", db_errmsg(b->db));
		b->st_before = *b->st;
		b->failures_before = *b->failures;
		b->since = mono_ms();
		snprintf(b->first, sizeof b->first, "%s", id ? id : "?");
	}
	snprintf(b->last, sizeof b->last, "%s", id ? id : "?");
	b->items++;
	b->bytes += bytes;
	int began = db_import_item_begin(b->db);
	if (began < 0) {
		log_msg("import: item %s: sqlite: %s", id ? id : "?", db_errmsg(b->db));
		b->items--;
		b->bytes -= bytes;
		/* a batch opened for this item alone holds nothing: closed, so the next item opens one */
		if (b->items == 0 && db_import_batch_open(b->db) && db_import_batch_commit(b->db) < 0)
			log_warn("import: closing an empty batch: %s", db_errmsg(b->db));
	}
	return began;
}

enum import_item_end import_batch_item_end(struct import_batch *b, int began, bool whole)
{
	enum import_item_end r = whole ? IMPORT_ITEM_KEPT : IMPORT_ITEM_UNDONE;
	if (db_import_item_end(b->db, began, whole) < 0) {
		if (began != 1 && !db_import_batch_open(b->db)) {
			lost(b);
			return IMPORT_BATCH_LOST;
		}
		log_msg("import: item %s: sqlite: %s", b->last, db_errmsg(b->db));
		r = IMPORT_ITEM_UNDONE;
	}
	if (began == 1)
		b->items = 0; /* no batch: the item was its own transaction */
	else if (b->items >= IMPORT_BATCH_ITEMS || b->bytes >= IMPORT_BATCH_BYTES ||
	         mono_ms() - b->since >= IMPORT_BATCH_MS)
		import_batch_commit(b);
	return r;
}
