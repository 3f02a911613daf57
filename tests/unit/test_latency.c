// SPDX-License-Identifier: GPL-2.0
/*
 * The latency quantile estimator: linear interpolation inside the log2
 * bucket that holds the rank ceil(q * N) sample, clamped to the maximum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format.h"
#include "record.h"

static uint64_t q(const struct fa_latency *lat, double p)
{
	uint64_t ns = 0;

	assert_true(fa_latency_quantile(lat, p, &ns));
	return ns;
}

static void empty_has_no_quantile(void **state)
{
	struct fa_latency lat = { 0 };
	uint64_t ns;

	(void)state;
	assert_false(fa_latency_quantile(&lat, 0.5, &ns));
	lat.count = 10;		/* a count without buckets is no histogram */
	assert_false(fa_latency_quantile(&lat, 0.5, &ns));
}

static void bad_q_is_refused(void **state)
{
	struct fa_latency lat = { 0 };
	uint64_t ns;

	(void)state;
	lat.bucket[5] = 1;
	assert_false(fa_latency_quantile(&lat, 0.0, &ns));
	assert_false(fa_latency_quantile(&lat, -1.0, &ns));
	assert_false(fa_latency_quantile(&lat, 1.5, &ns));
	assert_true(fa_latency_quantile(&lat, 1.0, &ns));
}

/* 4 samples in [1024, 2048): ranks 1..4 land at 1280, 1536, 1792, 2048. */
static void one_bucket_interpolates(void **state)
{
	struct fa_latency lat = { 0 };

	(void)state;
	lat.bucket[10] = 4;
	lat.max_ns = 2047;
	assert_int_equal(q(&lat, 0.25), 1280);
	assert_int_equal(q(&lat, 0.50), 1536);
	assert_int_equal(q(&lat, 0.75), 1792);
	/* the bucket's top is 2048, but nothing was slower than the max */
	assert_int_equal(q(&lat, 0.99), 2047);
	lat.max_ns = 1900;
	assert_int_equal(q(&lat, 0.99), 1900);
	assert_int_equal(q(&lat, 0.50), 1536);
}

static void two_buckets(void **state)
{
	struct fa_latency lat = { 0 };

	(void)state;
	lat.bucket[3] = 90;		/* [8, 16) */
	lat.bucket[20] = 10;		/* [1 Mi, 2 Mi) */
	lat.max_ns = 2000000;
	/* rank 50 of 90 in [8,16): 8 + 8 * 50/90 = 12.4 */
	assert_int_equal(q(&lat, 0.50), 12);
	/* rank 90 is the last of the low bucket: its top */
	assert_int_equal(q(&lat, 0.90), 16);
	/* rank 99: 9th of 10 in [2^20, 2^21): 2^20 + 2^20 * 0.9 */
	assert_int_equal(q(&lat, 0.99), 1048576 + 943718);
	assert_int_equal(q(&lat, 1.0), 2000000);
}

static void bucket_zero_holds_zero(void **state)
{
	struct fa_latency lat = { 0 };

	(void)state;
	lat.bucket[0] = 2;		/* t = 0 or 1 */
	lat.max_ns = 1;
	assert_int_equal(q(&lat, 0.5), 1);
	lat.max_ns = 0;
	assert_int_equal(q(&lat, 0.5), 0);
}

/* A max that contradicts the histogram is not trusted. */
static void inconsistent_max_is_ignored(void **state)
{
	struct fa_latency lat = { 0 };

	(void)state;
	lat.bucket[10] = 4;
	lat.max_ns = 0;			/* e.g. not reported */
	assert_int_equal(q(&lat, 0.99), 2048);
	lat.max_ns = 1u << 20;		/* above the highest bucket */
	assert_int_equal(q(&lat, 0.99), 2048);
}

static void top_bucket_does_not_overflow(void **state)
{
	struct fa_latency lat = { 0 };

	(void)state;
	lat.bucket[63] = 1;
	lat.max_ns = UINT64_MAX;
	assert_true(q(&lat, 0.5) >= (1ULL << 63));
	lat.bucket[63] = UINT64_MAX;
	lat.bucket[1] = UINT64_MAX;	/* the total saturates */
	assert_true(q(&lat, 0.01) >= 2);

	/* found by the fuzzer: running sums that wrap ran past bucket 63 */
	memset(&lat, 0, sizeof(lat));
	lat.bucket[1] = UINT64_MAX - 1;
	lat.bucket[2] = 5;
	assert_true(q(&lat, 1.0) >= 2 && q(&lat, 1.0) <= 8);
	assert_true(q(&lat, 0.5) >= 2 && q(&lat, 0.5) <= 4);
}

/* p50 <= p99 <= max, whatever the histogram. */
static void quantiles_are_ordered(void **state)
{
	struct fa_latency lat;
	unsigned int seed = 7, i, k;
	uint64_t p50, p99;

	(void)state;
	for (i = 0; i < 2000; i++) {
		int top = 0;

		memset(&lat, 0, sizeof(lat));
		for (k = 0; k < 5; k++) {
			int b = rand_r(&seed) % 40;

			lat.bucket[b] += 1 + rand_r(&seed) % 1000;
			if (b > top)
				top = b;
		}
		lat.max_ns = (1ULL << top) + rand_r(&seed) % (1ULL << top);
		p50 = q(&lat, 0.5);
		p99 = q(&lat, 0.99);
		assert_true(p50 <= p99);
		assert_true(p99 <= lat.max_ns);
	}
}

static void formatted(void **state)
{
	struct fa_record r = { 0 };
	char buf[32];

	(void)state;
	assert_string_equal(fa_fmt_quantile(buf, sizeof(buf), &r, 0.99), "-");
	r.have = FA_HAVE_LATENCY;
	r.lat.bucket[10] = 4;
	r.lat.max_ns = 1900;
	assert_string_equal(fa_fmt_quantile(buf, sizeof(buf), &r, 0.5),
			    "1.5us");
	assert_string_equal(fa_fmt_ns(buf, sizeof(buf), 999), "999ns");
	assert_string_equal(fa_fmt_ns(buf, sizeof(buf), 45000), "45.0us");
	assert_string_equal(fa_fmt_ns(buf, sizeof(buf), 1200000), "1.2ms");
	assert_string_equal(fa_fmt_ns(buf, sizeof(buf), 2500000000ULL),
			    "2.50s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_has_no_quantile),
		cmocka_unit_test(bad_q_is_refused),
		cmocka_unit_test(one_bucket_interpolates),
		cmocka_unit_test(two_buckets),
		cmocka_unit_test(bucket_zero_holds_zero),
		cmocka_unit_test(inconsistent_max_is_ignored),
		cmocka_unit_test(top_bucket_does_not_overflow),
		cmocka_unit_test(quantiles_are_ordered),
		cmocka_unit_test(formatted),
	};

	return cmocka_run_group_tests_name("latency", tests, NULL, NULL);
}
