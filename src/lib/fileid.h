/* fileid: which file a path names (device and inode), to notice a file replaced or deleted
 * under a running process. */
#ifndef QUIRE_FILEID_H
#define QUIRE_FILEID_H

enum file_state { FILE_OK, FILE_GONE, FILE_READONLY };
struct file_ident {
	unsigned long long dev, ino;
};
/* The identity of the file at path; -1 if it cannot be read. */
int file_ident_get(const char *path, struct file_ident *id);
/* GONE when path was deleted or replaced since id was taken; READONLY when it lost every write
 * bit (chmod a-w: the owner wants no more writes, even from a root process). */
enum file_state file_state(const char *path, const struct file_ident *id);

#endif
