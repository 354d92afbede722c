#include "fileid.h"

#include <sys/stat.h>

int file_ident_get(const char *path, struct file_ident *id)
{
	struct stat sb;
	if (stat(path, &sb) < 0)
		return -1;
	id->dev = (unsigned long long)sb.st_dev;
	id->ino = (unsigned long long)sb.st_ino;
	return 0;
}

enum file_state file_state(const char *path, const struct file_ident *id)
{
	struct stat sb;
	if (stat(path, &sb) < 0 || (unsigned long long)sb.st_dev != id->dev ||
	    (unsigned long long)sb.st_ino != id->ino)
		return FILE_GONE;
	return (sb.st_mode & 0222) ? FILE_OK : FILE_READONLY;
}
