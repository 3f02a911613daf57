// SPDX-License-Identifier: GPL-2.0
/*
 * faultacct_floor: the cost floor of probing the fault path.
 *
 * Registers kprobes, kretprobes and tracepoint probes whose handlers do
 * nothing, on the symbols given as parameters, so that the benchmark
 * (scripts/bench) can measure what the probes themselves cost, apart from
 * any work done in them. It is a benchmark tool, not part of faultacct.
 *
 *   insmod faultacct_floor.ko kprobes=handle_mm_fault,set_pte_range \
 *          kretprobes=handle_mm_fault tracepoints=sched_process_exit
 *
 * Where the kernel has fprobes (CONFIG_FPROBE, exported from 6.12 on), also
 * fprobes=SYM,... (entry only) and fretprobes=SYM,... (entry and exit), to
 * compare their cost with kprobes' and kretprobes'.
 *
 * Also ftraces=SYM,...: a bare ftrace_ops callback per symbol (no saved
 * pt_regs, no kprobe bookkeeping): what the cheapest entry hook a module
 * can place costs.
 *
 * And directs=SYM,...: an ftrace direct call per symbol, to a target that
 * only returns: what faultacct's direct calls (set_pte_range, do_set_pte)
 * cost before their first instruction.
 *
 * /sys/module/faultacct_floor/parameters/nmissed reads the sum of the
 * probes' nmissed counts; it is also logged at unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fprobe.h>
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/version.h>
#include <asm/ibt.h>
#include <asm/linkage.h>

#define MAX_PROBES 16

static char *kprobes_param;
module_param_named(kprobes, kprobes_param, charp, 0444);
MODULE_PARM_DESC(kprobes, "comma-separated symbols to kprobe at entry");

static char *kretprobes_param;
module_param_named(kretprobes, kretprobes_param, charp, 0444);
MODULE_PARM_DESC(kretprobes, "comma-separated symbols to kretprobe");

static char *tracepoints_param;
module_param_named(tracepoints, tracepoints_param, charp, 0444);
MODULE_PARM_DESC(tracepoints, "comma-separated tracepoints to attach to");

static char *fprobes_param;
module_param_named(fprobes, fprobes_param, charp, 0444);
MODULE_PARM_DESC(fprobes, "comma-separated symbols to fprobe at entry");

static char *fretprobes_param;
module_param_named(fretprobes, fretprobes_param, charp, 0444);
MODULE_PARM_DESC(fretprobes, "comma-separated symbols to fprobe at entry and exit");

static char *ftraces_param;
module_param_named(ftraces, ftraces_param, charp, 0444);
MODULE_PARM_DESC(ftraces, "comma-separated symbols to hook with a bare ftrace_ops");

static char *directs_param;
module_param_named(directs, directs_param, charp, 0444);
MODULE_PARM_DESC(directs, "comma-separated symbols to hook with an ftrace direct call that only returns");

static struct ftrace_ops *fops[MAX_PROBES];
static unsigned int nr_fops;
static struct ftrace_ops *dops[MAX_PROBES];
static unsigned int nr_dops;

static struct fprobe *fps[MAX_PROBES];
static unsigned int nr_fps;

static struct kprobe *kps[MAX_PROBES];
static unsigned int nr_kps;
static struct kretprobe *krps[MAX_PROBES];
static unsigned int nr_krps;

struct tp_want {
	const char *name;
	struct tracepoint *tp;
};
static struct tp_want tps[MAX_PROBES];
static unsigned int nr_tps;

static int floor_pre(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(floor_pre);

static int floor_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(floor_ret);

/* faultacct's kretprobes have an entry handler and per-instance data too. */
static int floor_ret_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(floor_ret_entry);

#ifdef CONFIG_FPROBE
/*
 * The fprobe API: from 6.12 on the entry handler returns int and gets
 * ret_ip; 6.14 moved fprobes onto fgraph, whose handlers get ftrace_regs
 * and which has no per-probe nr_maxactive (no macro marks either).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define FLOOR_FPROBE_FGRAPH	1
typedef struct ftrace_regs floor_fprobe_regs;
#else
typedef struct pt_regs floor_fprobe_regs;
#endif

static int floor_fentry(struct fprobe *fp, unsigned long entry_ip,
			unsigned long ret_ip, floor_fprobe_regs *regs, void *data)
{
	return 0;
}
NOKPROBE_SYMBOL(floor_fentry);

static void floor_fexit(struct fprobe *fp, unsigned long entry_ip,
			unsigned long ret_ip, floor_fprobe_regs *regs, void *data)
{
}
NOKPROBE_SYMBOL(floor_fexit);
#endif

static void notrace floor_ftrace(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *op,
				 struct ftrace_regs *fregs)
{
}

/*
 * Tracepoint probes are called with the tracepoint's arguments after
 * @data; an empty probe may ignore them all (no CFI in these kernels).
 */
static void floor_tp(void *data)
{
}

/* The direct calls' target: it returns at once, as a direct call must. */
void floor_direct(void);
asm(
"	.pushsection .text, \"ax\", @progbits\n"
"	.globl floor_direct\n"
"	.type floor_direct, @function\n"
"floor_direct:\n"
	ASM_ENDBR
	ASM_RET
"	.size floor_direct, .-floor_direct\n"
"	.popsection\n"
);

/* 6.5 renamed the many-functions direct call API to the plain name. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define floor_register_direct(ops, addr) register_ftrace_direct(ops, addr)
#define floor_unregister_direct(ops, addr) \
	unregister_ftrace_direct(ops, addr, false)
#else
#define floor_register_direct(ops, addr) register_ftrace_direct_multi(ops, addr)
#define floor_unregister_direct(ops, addr) \
	unregister_ftrace_direct_multi(ops, addr)
#endif

static int get_nmissed(char *buf, const struct kernel_param *kp)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < nr_kps; i++)
		sum += kps[i]->nmissed;
	for (i = 0; i < nr_krps; i++)
		sum += krps[i]->nmissed + krps[i]->kp.nmissed;
	for (i = 0; i < nr_fps; i++)
		sum += fps[i]->nmissed;
	return sysfs_emit(buf, "%lu\n", sum);
}

static const struct kernel_param_ops nmissed_ops = {
	.get = get_nmissed,
};
module_param_cb(nmissed, &nmissed_ops, NULL, 0444);
MODULE_PARM_DESC(nmissed, "sum of the probes' nmissed (read-only)");

static void find_tp(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < nr_tps; i++)
		if (!strcmp(tp->name, tps[i].name))
			tps[i].tp = tp;
}

static void unregister_all(void)
{
	unsigned int i;
	bool tp_done = false;

	for (i = 0; i < nr_tps; i++) {
		if (tps[i].tp) {
			tracepoint_probe_unregister(tps[i].tp, floor_tp, NULL);
			tp_done = true;
		}
	}
	if (tp_done)
		tracepoint_synchronize_unregister();
	for (i = 0; i < nr_dops; i++) {
		floor_unregister_direct(dops[i], (unsigned long)floor_direct);
		ftrace_free_filter(dops[i]);
		kfree(dops[i]);
	}
	for (i = 0; i < nr_fops; i++) {
		unregister_ftrace_function(fops[i]);
		ftrace_free_filter(fops[i]);
		kfree(fops[i]);
	}
#ifdef CONFIG_FPROBE
	for (i = 0; i < nr_fps; i++) {
		unregister_fprobe(fps[i]);
		pr_info("fprobe: nmissed %lu\n", fps[i]->nmissed);
		kfree(fps[i]);
	}
#endif
	for (i = 0; i < nr_krps; i++) {
		unregister_kretprobe(krps[i]);
		pr_info("kretprobe %s: nmissed %d\n", krps[i]->kp.symbol_name,
			krps[i]->nmissed);
		kfree(krps[i]);
	}
	for (i = 0; i < nr_kps; i++) {
		unregister_kprobe(kps[i]);
		pr_info("kprobe %s: nmissed %lu\n", kps[i]->symbol_name,
			kps[i]->nmissed);
		kfree(kps[i]);
	}
	nr_tps = nr_krps = nr_kps = nr_fps = nr_fops = nr_dops = 0;
}

/* Splits @list at commas in place; calls @fn on every non-empty name. */
static int parse_names(char *list, int (*fn)(const char *name))
{
	char *name;
	int err;

	while (list && (name = strsep(&list, ",")) != NULL) {
		if (!*name)
			continue;
		err = fn(name);
		if (err)
			return err;
	}
	return 0;
}

static int add_kprobe(const char *name)
{
	struct kprobe *kp;
	int err;

	if (nr_kps == MAX_PROBES)
		return -E2BIG;
	kp = kzalloc(sizeof(*kp), GFP_KERNEL);
	if (!kp)
		return -ENOMEM;
	kp->symbol_name = name;
	kp->pre_handler = floor_pre;
	err = register_kprobe(kp);
	if (err) {
		pr_err("register_kprobe(%s): %d\n", name, err);
		kfree(kp);
		return err;
	}
	kps[nr_kps++] = kp;
	return 0;
}

static int add_kretprobe(const char *name)
{
	struct kretprobe *krp;
	int err;

	if (nr_krps == MAX_PROBES)
		return -E2BIG;
	krp = kzalloc(sizeof(*krp), GFP_KERNEL);
	if (!krp)
		return -ENOMEM;
	krp->kp.symbol_name = name;
	krp->handler = floor_ret;
	krp->entry_handler = floor_ret_entry;
	krp->data_size = 16;
	krp->maxactive = max_t(int, 1024, 64 * num_possible_cpus());
	err = register_kretprobe(krp);
	if (err) {
		pr_err("register_kretprobe(%s): %d\n", name, err);
		kfree(krp);
		return err;
	}
	krps[nr_krps++] = krp;
	return 0;
}

#ifdef CONFIG_FPROBE
static int add_fprobe_one(const char *name, bool exit)
{
	struct fprobe *fp;
	int err;

	if (nr_fps == MAX_PROBES)
		return -E2BIG;
	fp = kzalloc(sizeof(*fp), GFP_KERNEL);
	if (!fp)
		return -ENOMEM;
	fp->entry_handler = floor_fentry;
	if (exit) {
		fp->exit_handler = floor_fexit;
		fp->entry_data_size = 16;
#ifndef FLOOR_FPROBE_FGRAPH
		fp->nr_maxactive = max_t(int, 1024, 64 * num_possible_cpus());
#endif
	}
	err = register_fprobe(fp, name, NULL);
	if (err) {
		pr_err("register_fprobe(%s): %d\n", name, err);
		kfree(fp);
		return err;
	}
	fps[nr_fps++] = fp;
	return 0;
}

static int add_fprobe(const char *name)
{
	return add_fprobe_one(name, false);
}

static int add_fretprobe(const char *name)
{
	return add_fprobe_one(name, true);
}
#else
static int add_fprobe(const char *name)
{
	pr_err("no fprobes in this kernel (CONFIG_FPROBE)\n");
	return -EOPNOTSUPP;
}
#define add_fretprobe add_fprobe
#endif

static int add_ftrace(const char *name)
{
	struct ftrace_ops *ops;
	int err;

	if (nr_fops == MAX_PROBES)
		return -E2BIG;
	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	ops->func = floor_ftrace;
	err = ftrace_set_filter(ops, (unsigned char *)name, strlen(name), 1);
	if (!err)
		err = register_ftrace_function(ops);
	if (err) {
		pr_err("ftrace on %s: %d\n", name, err);
		ftrace_free_filter(ops);
		kfree(ops);
		return err;
	}
	fops[nr_fops++] = ops;
	return 0;
}

static int add_direct(const char *name)
{
	struct ftrace_ops *ops;
	int err;

	if (nr_dops == MAX_PROBES)
		return -E2BIG;
	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	err = ftrace_set_filter(ops, (unsigned char *)name, strlen(name), 1);
	if (!err)
		err = floor_register_direct(ops, (unsigned long)floor_direct);
	if (err) {
		pr_err("direct call on %s: %d\n", name, err);
		ftrace_free_filter(ops);
		kfree(ops);
		return err;
	}
	dops[nr_dops++] = ops;
	return 0;
}

static int want_tracepoint(const char *name)
{
	if (nr_tps == MAX_PROBES)
		return -E2BIG;
	tps[nr_tps++].name = name;
	return 0;
}

static int __init floor_init(void)
{
	unsigned int i;
	int err;

	err = parse_names(kprobes_param, add_kprobe);
	if (err)
		goto fail;
	err = parse_names(kretprobes_param, add_kretprobe);
	if (err)
		goto fail;
	err = parse_names(fprobes_param, add_fprobe);
	if (err)
		goto fail;
	err = parse_names(fretprobes_param, add_fretprobe);
	if (err)
		goto fail;
	err = parse_names(ftraces_param, add_ftrace);
	if (err)
		goto fail;
	err = parse_names(directs_param, add_direct);
	if (err)
		goto fail;
	err = parse_names(tracepoints_param, want_tracepoint);
	if (err)
		goto fail;
	for_each_kernel_tracepoint(find_tp, NULL);
	for (i = 0; i < nr_tps; i++) {
		if (!tps[i].tp) {
			pr_err("no tracepoint %s\n", tps[i].name);
			while (i < nr_tps)
				tps[i++].tp = NULL;
			err = -ENOENT;
			goto fail;
		}
		err = tracepoint_probe_register(tps[i].tp, floor_tp, NULL);
		if (err) {
			pr_err("tracepoint_probe_register(%s): %d\n",
			       tps[i].name, err);
			/* unregister_all() must skip what is not registered */
			while (i < nr_tps)
				tps[i++].tp = NULL;
			goto fail;
		}
	}
	pr_info("%u kprobes, %u kretprobes, %u fprobes, %u ftrace_ops, %u direct calls, %u tracepoints\n",
		nr_kps, nr_krps, nr_fps, nr_fops, nr_dops, nr_tps);
	return 0;

fail:
	unregister_all();
	return err;
}

static void __exit floor_exit(void)
{
	unregister_all();
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Empty probes on the fault path: the floor of probing cost");
