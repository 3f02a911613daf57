// SPDX-License-Identifier: GPL-2.0
/* Loads and does nothing: scripts/vm --module must load any .ko. */
#include <linux/module.h>

static int __init fa_harness_ok_init(void)
{
	return 0;
}

static void __exit fa_harness_ok_exit(void)
{
}

module_init(fa_harness_ok_init);
module_exit(fa_harness_ok_exit);
MODULE_DESCRIPTION("faultacct test VM check: a module that loads");
MODULE_LICENSE("GPL");
