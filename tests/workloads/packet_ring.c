// SPDX-License-Identifier: GPL-2.0
/*
 * packet_ring BLOCKS: pages mapped outside any fault, by a driver's mmap.
 * Maps an AF_PACKET receive ring of BLOCKS one-page blocks (packet_mmap()
 * maps every page of it at mmap() time with vm_insert_page(): MM_FILEPAGES
 * +BLOCKS, no fault), reads each page (no fault either: they are mapped),
 * unmaps it, maps it again and exits with it mapped. Prints the ring's
 * size in pages. Needs CAP_NET_RAW.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "packet_ring: %s: %s\n", what, strerror(errno));
	return 1;
}

static int map_ring(int fd, size_t len, unsigned long *sum)
{
	volatile const unsigned char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return fail("mmap");
	for (size_t off = 0; off < len; off += 4096)
		*sum += p[off];
	return munmap((void *)p, len) ? fail("munmap") : 0;
}

int main(int argc, char **argv)
{
	struct tpacket_req req = { .tp_block_size = 4096, .tp_frame_size = 2048 };
	unsigned long sum = 0;
	char *end;
	long blocks;
	size_t len;
	void *p;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: packet_ring BLOCKS\n");
		return 2;
	}
	errno = 0;
	blocks = strtol(argv[1], &end, 10);
	if (errno || *end || blocks < 1 || blocks > 4096) {
		fprintf(stderr, "packet_ring: BLOCKS must be 1 to 4096: %s\n", argv[1]);
		return 2;
	}
	req.tp_block_nr = blocks;
	req.tp_frame_nr = blocks * (req.tp_block_size / req.tp_frame_size);
	len = (size_t)blocks * req.tp_block_size;

	/* no protocol: the socket receives nothing, the ring stays as it is */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		return fail("socket(AF_PACKET)");
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		return fail("setsockopt(PACKET_RX_RING)");
	if (map_ring(fd, len, &sum))
		return 1;
	/* and again, to exit with it mapped */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return fail("mmap");
	printf("%ld\n", blocks);
	return 0;
}
