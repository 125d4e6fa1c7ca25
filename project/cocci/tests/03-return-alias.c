// SPDX-License-Identifier: GPL-2.0
/*
 * Reproducer 3, aliases made by return values: tt_command_process() of
 * drivers/thermal/testing/command.c in 6.12, cut down (7.2 uses a buffer
 * on the stack there). strstr() returns a pointer into buf; memcpy() and
 * strcpy() return their first argument. The three functions after it are
 * the same buffer with the alias freed instead of buf, which is what the
 * old script got wrong: it converted buf and left the kfree() of the
 * alias.
 *
 * Expected: all four left alone. A call whose result is kept is a use
 * the script does not know, even for memcpy() and strcpy(), which it
 * accepts only as statements. In tt_command_process() a conversion would have been
 * correct (arg is never freed), but the script cannot tell an alias that
 * is freed from one that is not.
 */
#include <linux/cleanup.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

static ssize_t tt_command_process(struct dentry *dentry, const char __user *user_buf,
				  size_t count)
{
	char *buf __free(kfree);
	char *arg;
	int i;

	buf = kmalloc(count + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	if (copy_from_user(buf, user_buf, count))
		return -EFAULT;

	buf[count] = '\0';
	strim(buf);

	arg = strstr(buf, ":");
	if (arg) {
		*arg = '\0';
		arg++;
	}

	for (i = 0; i < ARRAY_SIZE(tt_command_strings); i++) {
		if (!strcmp(buf, tt_command_strings[i]))
			return tt_command_exec(i, arg);
	}

	return -EINVAL;
}

static int alias_memcpy(const char *src, size_t count)
{
	char *buf, *copy;

	buf = kmalloc(count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	copy = memcpy(buf, src, count);
	kfree(copy);
	return 0;
}

static int alias_strcpy(const char *src, size_t count)
{
	char *buf, *copy;

	buf = kmalloc(count + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	copy = strcpy(buf, src);
	kfree(copy);
	return 0;
}

static int alias_strstr(const char *src, size_t count)
{
	char *buf, *cmd;

	buf = kmalloc(count + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	strscpy(buf, src, count + 1);
	cmd = strstr(buf, "");
	kfree(cmd);
	return 0;
}
