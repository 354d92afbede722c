/* wxr_blocks: WordPress's reusable blocks. An export holds them as items of type wp_block, and
 * posts name them as <!-- wp:block {"ref":ID} /-->. The importer keeps each block's content by id
 * and replaces every reference with it; a post that names a block the file has not shown yet
 * waits for a second pass over the file, when every block is known. */
#ifndef QUIRE_WXR_BLOCKS_H
#define QUIRE_WXR_BLOCKS_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define WXR_BLOCK_DEPTH 8             /* a block inside a block inside ...: deeper references dropped */
#define WXR_BLOCK_OUT_MAX (8 << 20)   /* bytes a post may grow to by expansion (as a post body) */
#define WXR_BLOCK_WORK_MAX (32 << 20) /* bytes of blocks read to expand one post */

struct wxr_block {
	long long id;
	char *content;
};
struct wxr_blocks {
	struct wxr_block *v;
	size_t n, cap;
	long long *waiting; /* posts (WordPress ids) that wait for the second pass */
	size_t nwaiting, waiting_cap;
	long resolved, missing; /* references replaced; dropped (no such block, too deep, too much) */
};

/* Keeps block id's content (a later one with the same id replaces it); 0, or -1 out of memory. */
int wxr_blocks_add(struct wxr_blocks *b, long long id, const char *content);
/* True when html holds a reusable block reference. */
bool wxr_blocks_referenced(const char *html);
/* html with every reference replaced by its block's content (nested ones too, WXR_BLOCK_DEPTH
 * deep) into out. 1 done; 0 when a reference names a block not known yet and !final (out is then
 * incomplete); -1 out of memory. When final, a reference to no block is dropped and counted. */
int wxr_blocks_expand(struct wxr_blocks *b, const char *html, bool final, struct buf *out);
/* Post id waits for the second pass; 0, or -1 out of memory. */
int wxr_blocks_wait(struct wxr_blocks *b, long long id);
/* True when post id waits for the second pass. */
bool wxr_blocks_waiting(const struct wxr_blocks *b, long long id);
void wxr_blocks_free(struct wxr_blocks *b);

#endif
