// SPDX-License-Identifier: GPL-2.0
/*
 * faultacct: per-process page-fault RSS accounting, over generic netlink.
 */

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>

#include "faultacct.h"

bool faultacct_enabled = true;

/* Before init it only sets the flag; after it, it arms or disarms too. */
static int enabled_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	return ret ?: faultacct_set_enabled(on);
}

static const struct kernel_param_ops enabled_ops = {
	.set = enabled_set,
	.get = param_get_bool,
};
module_param_cb(enabled, &enabled_ops, &faultacct_enabled, 0644);
MODULE_PARM_DESC(enabled,
		 "count faults; off, the fault-path probes are disarmed (also FAULTACCT_CONFIG_ENABLED)");

unsigned int faultacct_max_procs = 16384;
module_param_named(max_procs, faultacct_max_procs, uint, 0444);
MODULE_PARM_DESC(max_procs, "process slots, allocated at load");

bool faultacct_use_kprobes;
module_param_named(kprobes, faultacct_use_kprobes, bool, 0444);
MODULE_PARM_DESC(kprobes,
		 "kprobes at the fault path's function entries instead of ftrace callbacks (slower; to compare)");

bool faultacct_use_direct = true;
module_param_named(direct, faultacct_use_direct, bool, 0444);
MODULE_PARM_DESC(direct,
		 "ftrace direct calls where a probe has one (set_pte_range, do_set_pte); 0: ftrace callbacks (slower; to compare)");

int faultacct_maxactive;
module_param_named(maxactive, faultacct_maxactive, int, 0444);
MODULE_PARM_DESC(maxactive,
		 "faults in flight at once that can be followed (0: auto)");

static int __init faultacct_init(void)
{
	int ret;

	if (!faultacct_max_procs || faultacct_max_procs > (1U << 22) ||
	    faultacct_maxactive < 0) {
		pr_err("max_procs must be 1..%u, maxactive >= 0\n", 1U << 22);
		return -EINVAL;
	}

	ret = faultacct_sites_init();
	if (ret)
		return ret;
	ret = faultacct_table_init();
	if (ret)
		return ret;
	ret = faultacct_netlink_init();
	if (ret)
		goto err_table;
	faultacct_sites_arm();
	ret = faultacct_probes_init();
	if (ret)
		goto err_netlink;
	/* after the fork probe: no process falls between the two */
	if (faultacct_enabled)
		faultacct_track_all();

	pr_info("%s loaded, %u process slots of %u bytes\n", FAULTACCT_VERSION,
		faultacct_max_procs, faultacct_bytes_per_proc());
	return 0;

err_netlink:
	faultacct_sites_exit();
	faultacct_netlink_exit();
err_table:
	faultacct_table_exit();
	return ret;
}

static void __exit faultacct_exit(void)
{
	faultacct_probes_exit();
	/* before the table: 6.1's insert probes count into it */
	faultacct_sites_exit();
	faultacct_netlink_exit();
	faultacct_table_exit();
}

module_init(faultacct_init);
module_exit(faultacct_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-process page-fault RSS accounting");
MODULE_AUTHOR("The faultacct authors");
MODULE_VERSION(FAULTACCT_VERSION);
MODULE_ALIAS_GENL_FAMILY(FAULTACCT_GENL_NAME);
