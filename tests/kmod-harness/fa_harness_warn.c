// SPDX-License-Identifier: GPL-2.0
/* WARNs on load: scripts/vm must fail the run and name the splat. */
#include <linux/module.h>

static int __init fa_harness_warn_init(void)
{
	WARN(1, "fa_harness_warn: deliberate warning\n");
	return 0;
}

static void __exit fa_harness_warn_exit(void)
{
}

module_init(fa_harness_warn_init);
module_exit(fa_harness_warn_exit);
MODULE_DESCRIPTION("faultacct test VM check: a module that warns");
MODULE_LICENSE("GPL");
