/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included after <linux/kconfig.h> by make check to build the files the
 * series converts to the malloc() family as if CONFIG_MALLOC were off, so
 * that <linux/malloc.h> gives them its kvmalloc() fallback.
 */
#undef CONFIG_MALLOC
