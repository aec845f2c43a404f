/*
 * atf-c/config.h: ATF's configuration variables (atf-c-api(3)), which
 * NetBSD's tests read to learn the machine: atf_config_get("atf_arch")
 * is "x86_64" here, "atf_machine" is "amd64".  libatf-c.a
 * (user/lib/libatf-c/atf-c.c) has them; an unknown name ends the
 * program with a message.
 */
#ifndef _ATF_C_CONFIG_H_
#define _ATF_C_CONFIG_H_

#include <stdbool.h>

const char	*atf_config_get(const char *);
bool		atf_config_get_bool(const char *);

#endif /* !_ATF_C_CONFIG_H_ */
