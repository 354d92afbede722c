/* heap: how much memory the process's allocator has handed out and not taken back, for the
 * status line an operator asks for (SIGUSR1) and the soak test's leak check. */
#ifndef QUIRE_HEAP_H
#define QUIRE_HEAP_H
#include <stddef.h>

/* Bytes allocated and not yet freed: what quire holds, without the allocator's own free lists
 * or pages it keeps mapped (which RSS counts). */
size_t heap_in_use(void);

#endif
