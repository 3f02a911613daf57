// SPDX-License-Identifier: GPL-2.0
/*
 * phases: anonymous page writes in two phases, a line on stdin between them.
 *
 *   phases N1 N2
 *
 * Maps N1 + N2 pages of anonymous memory, writes one byte to each of the
 * first N1, prints "ready PID" and waits for a line on stdin; then writes
 * the other N2, prints "done" and waits for a line again (or EOF) before it
 * exits. Between its two lines it maps no other page: whoever starts
 * counting it in between sees exactly N2 new anonymous pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n1 = argc == 3 ? atol(argv[1]) : -1;
	long n2 = argc == 3 ? atol(argv[2]) : -1;
	long page = sysconf(_SC_PAGESIZE), i;
	char line[64];
	char *mem;

	if (n1 < 0 || n2 < 1) {
		fprintf(stderr, "usage: phases N1 N2 (N1 >= 0, N2 >= 1)\n");
		return 2;
	}
	mem = mmap(NULL, (n1 + n2) * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("phases: mmap");
		return 1;
	}
	madvise(mem, (n1 + n2) * page, MADV_NOHUGEPAGE);
	for (i = 0; i < n1; i++)
		mem[i * page] = 1;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	for (i = n1; i < n1 + n2; i++)
		mem[i * page] = 1;
	printf("done\n");
	fflush(stdout);
	fgets(line, sizeof(line), stdin);
	return 0;
}
