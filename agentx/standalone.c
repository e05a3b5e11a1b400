/*
 * standalone.c - tcpsleuthd as an SNMP agent of its own (listen):
 * - it listens exactly where configured: no SMUX (net-snmp would open TCP
 *   port 199 on every address);
 * - it serves what an agent must besides TCPSLEUTH-MIB: SNMPv2-MIB's
 *   system and snmp groups and sysORTable (RFC 3418), SNMP-FRAMEWORK-MIB's
 *   snmpEngine (RFC 3411), the MPD (RFC 3412) and USM (RFC 3414)
 *   statistics and usmUserTable; no VACM objects;
 * - a v2c community sees the system group and TCPSLEUTH-MIB only, the v3
 *   user everything served;
 * - the engine ID and snmpEngineBoots persist in the state directory
 *   (net-snmp's persistent file), so v3 receivers keyed on the engine ID
 *   keep working across restarts and boots go up by one each start.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "agent_int.h"
#include "log.h"

/* Modules of libnetsnmpmibs (Debian does not install their headers). */
void	init_system_mib(void);
void	init_sysORTable(void);
void	init_snmp_mib(void);
void	init_vacm_conf(void);
void	init_usmStats(void);
void	init_usmUser(void);
void	init_snmpMPDStats(void);
void	init_snmpEngine(void);

/* The v2c community's view. */
#define V2_VIEW		"tcpsleuthV2"

static void
remember(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	netsnmp_config_remember(line);
}

/* TCPSLEUTH-MIB's tcpsleuthd, the agent's sysObjectID. */
static const char *
product_oid(void)
{
	static const oid o[] = { TS_OID_BASE, TSM_tcpsleuthd_OID };
	static char buf[256];
	size_t n = 0;

	for (size_t i = 0; i < OID_LENGTH(o) && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ".%lu",
		    (unsigned long)o[i]);
	return buf;
}

void
ts_standalone_persist(const char *dir)
{
	int ok = dir != NULL && access(dir, W_OK | X_OK) == 0;

	if (ok)
		netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
		    NETSNMP_DS_LIB_PERSISTENT_DIR, dir);
	else if (dir != NULL)
		log_warnx("state directory %s: %s: the engine ID and "
		    "snmpEngineBoots are not kept across restarts", dir,
		    strerror(errno));
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, !ok);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, !ok);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, !ok);
}

void
ts_standalone_setup(const struct ts_agent_conf *ac)
{
	char nosmux[] = "-smux";

	remember("sysdescr tcpsleuthd %s: failing TCP connections",
	    PACKAGE_VERSION);
	remember("sysobjectid %s", product_oid());
	remember("view " V2_VIEW " included .1.3.6.1.2.1.1");	/* system */
	remember("view " V2_VIEW " included .%s", TCPSLEUTH_OID_STR);
	if (ac->community != NULL)
		remember("rocommunity %s default -V " V2_VIEW, ac->community);
	if (ac->v3_user != NULL) {
		remember("createUser %s SHA %s AES %s", ac->v3_user,
		    ac->v3_auth, ac->v3_priv);
		remember("rouser %s authpriv", ac->v3_user);
	}
	for (int i = 0; i < ac->ntrap_sinks; i++)
		remember("trap2sink %s %s", ac->trap_sinks[i],
		    ac->trap_community != NULL ? ac->trap_community :
		    ac->community != NULL ? ac->community : "public");
	add_to_init_list(nosmux);
	init_system_mib();
	init_sysORTable();
	init_snmp_mib();
	init_vacm_conf();		/* the view and access tokens, no MIB */
	init_usmStats();
	init_usmUser();
	init_snmpMPDStats();
	init_snmpEngine();
}

int
ts_standalone_listen(const struct ts_agent_conf *ac)
{
	if (init_master_agent() != 0) {
		log_warnx("cannot listen on %s", ac->listen);
		return -1;
	}
	/* The new snmpEngineBoots on disk now, not only at a clean stop. */
	snmp_store(TS_NETSNMP_APP);
	return 0;
}
