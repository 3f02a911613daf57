// SPDX-License-Identifier: GPL-2.0
/*
 * scratch_mmap FILE NPAGES: the harness's check that a disk file can be
 * written, mapped and read back. Writes NPAGES pages of a pattern with
 * write(2), checks them through a shared read-only mapping, rewrites them
 * through a shared writable mapping, msyncs, and checks with pread(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "scratch_mmap: %s: %s\n", what, strerror(errno));
	return 1;
}

static uint64_t word(size_t i, uint64_t salt)
{
	return (i * 0x9e3779b97f4a7c15ULL) ^ salt;
}

static int check(const uint64_t *p, size_t n, uint64_t salt, const char *how)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != word(i, salt)) {
			fprintf(stderr, "scratch_mmap: %s: word %zu differs\n", how, i);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long psz = sysconf(_SC_PAGESIZE);
	size_t npages, len, nwords;
	uint64_t *buf, *map;
	int fd;

	if (argc != 3 || (npages = strtoul(argv[2], NULL, 0)) == 0) {
		fprintf(stderr, "usage: scratch_mmap FILE NPAGES\n");
		return 2;
	}
	len = npages * psz;
	nwords = len / sizeof(*buf);
	buf = malloc(len);
	if (!buf)
		return fail("malloc");
	for (size_t i = 0; i < nwords; i++)
		buf[i] = word(i, 1);

	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail(argv[1]);
	if (write(fd, buf, len) != (ssize_t)len)
		return fail("write");
	if (fsync(fd))
		return fail("fsync");

	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return fail("mmap read-only");
	if (check(map, nwords, 1, "read-only mapping"))
		return 1;
	munmap(map, len);

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return fail("mmap read-write");
	for (size_t i = 0; i < nwords; i++)
		map[i] = word(i, 2);
	if (msync(map, len, MS_SYNC))
		return fail("msync");
	munmap(map, len);

	memset(buf, 0, len);
	if (pread(fd, buf, len, 0) != (ssize_t)len)
		return fail("pread");
	if (check(buf, nwords, 2, "pread after msync"))
		return 1;
	close(fd);
	free(buf);
	printf("scratch_mmap: %zu pages written, mapped and read back\n", npages);
	return 0;
}
