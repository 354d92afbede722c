/* heap: the live-allocation count from whichever allocator the build links. */
#include "heap.h"

#include <malloc.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define QUIRE_SANITIZER_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define QUIRE_SANITIZER_HEAP 1
#endif
#endif

#ifdef QUIRE_SANITIZER_HEAP
/* the sanitizer runtime's interface (<sanitizer/allocator_interface.h>, which GCC 12 does not
 * install) */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

size_t heap_in_use(void)
{
#ifdef QUIRE_SANITIZER_HEAP
	/* a sanitizer replaces malloc: glibc's counters would read zero */
	return __sanitizer_get_current_allocated_bytes();
#else
	/* arena chunks in use plus the large blocks glibc maps one by one */
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
#endif
}
