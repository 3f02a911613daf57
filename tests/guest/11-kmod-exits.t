#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The exit group from the module's side: every child's exit record comes,
# once, with its wait(2) status and final RSS, with no sequence gap, and
# soon after the child is reaped (kmod_exits prints how soon).
set -uo pipefail
exec kmod_exits "${FAULTACCT_KMOD_EXITS:-2000}"
