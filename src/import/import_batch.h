/* import_batch: an importer's items saved many per transaction. Each item (a post with its
 * comments) is a savepoint inside the batch, kept whole or undone whole; a batch is committed when
 * it holds IMPORT_BATCH_ITEMS items, IMPORT_BATCH_BYTES of text or has held the write lock for
 * IMPORT_BATCH_MS; a batch SQLite loses (disk full, I/O error) is reported with the ids it held and
 * its counts are taken back. */
#ifndef QUIRE_IMPORT_BATCH_H
#define QUIRE_IMPORT_BATCH_H
#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "xml_import.h"

/* one commit per post made every post and comment a WAL write of its own; bounded so the WAL and
 * the time `quire serve` may wait for the write lock stay small */
#define IMPORT_BATCH_ITEMS 200
#define IMPORT_BATCH_BYTES (8 << 20)
#define IMPORT_BATCH_MS 1000
#define IMPORT_BATCH_ID_MAX 24 /* bytes of an item's id kept to name a batch */

struct import_batch {
	struct db *db;
	struct import_stats *st;
	int *failures; /* the importer's count of items not saved */
	int items;     /* 0: no batch open */
	size_t bytes;
	long long since; /* ms, CLOCK_MONOTONIC */
	struct import_stats st_before;
	int failures_before;
	char first[IMPORT_BATCH_ID_MAX], last[IMPORT_BATCH_ID_MAX];
};

enum import_item_end { IMPORT_ITEM_KEPT, IMPORT_ITEM_UNDONE, IMPORT_BATCH_LOST };

void import_batch_init(struct import_batch *b, struct db *d, struct import_stats *st, int *failures);
/* Starts an item (id names it in reports, bytes counts toward the batch's size), opening a batch
 * when none is open: what import_batch_item_end needs, or -1 (logged; nothing to undo). */
int import_batch_item_begin(struct import_batch *b, const char *id, size_t bytes);
/* Ends the item begun: its writes kept when whole, else undone. IMPORT_ITEM_UNDONE when they were
 * undone (not whole, or keeping them failed: logged), IMPORT_BATCH_LOST when the whole batch was
 * rolled back (logged, counts restored, its items counted as failures). Commits a full batch. */
enum import_item_end import_batch_item_end(struct import_batch *b, int began, bool whole);
/* Commits the open batch, if any (at the end of a file, or before a parse error is reported). */
void import_batch_commit(struct import_batch *b);

#endif
