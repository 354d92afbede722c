/* fcgi_hello: the FastCGI ceiling for the benchmark: a minimal libfcgi responder that answers
 * every request with the bytes of one file, from memory, with the same thread pool as quire.
 * cc -O2 -o fcgi_hello fcgi_hello.c -lfcgi -lpthread; ./fcgi_hello SOCKET FILE [THREADS] */
#include <fcgiapp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static char *page;
static long page_len;
static int sock;

static void *serve(void *arg)
{
	(void)arg;
	FCGX_Request rq;
	FCGX_InitRequest(&rq, sock, 0);
	while (FCGX_Accept_r(&rq) >= 0) {
		FCGX_FPrintF(rq.out, "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %ld\r\n\r\n",
			     page_len);
		FCGX_PutStr(page, (int)page_len, rq.out);
		FCGX_Finish_r(&rq);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fcgi_hello SOCKET FILE [THREADS]\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	page_len = ftell(f);
	rewind(f);
	page = malloc((size_t)page_len);
	if (!page || fread(page, 1, (size_t)page_len, f) != (size_t)page_len)
		return 1;
	fclose(f);
	FCGX_Init();
	umask(0);
	sock = FCGX_OpenSocket(argv[1], 1024);
	int n = argc > 3 ? atoi(argv[3]) : 4;
	pthread_t t[64];
	for (int i = 0; i < n && i < 64; i++)
		pthread_create(&t[i], NULL, serve, NULL);
	for (int i = 0; i < n && i < 64; i++)
		pthread_join(t[i], NULL);
	return 0;
}
