-- 020: the terms of the big search index, one row per occurrence, so search can list the few
-- words a typed prefix stands for ("light" -> "light", "lighthouse") by seeking to each in turn
-- and match them as plain terms: FTS5 reads a prefix query's whole doclist before the first row,
-- plain terms a document at a time (src/db/db_search.c, search_expand). No storage of its own.
CREATE VIRTUAL TABLE posts_fts_terms USING fts5vocab(posts_fts, 'instance');
