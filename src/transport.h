/*
 * transport.h - strict checks of the addresses tcpsleuthd hands net-snmp
 * (listen, trap-sink, agentx-socket), without net-snmp: a typo is found by
 * tcpsleuthd -n, not by a start that cannot listen.
 */
#ifndef TS_TRANSPORT_H
#define TS_TRANSPORT_H

#include <stddef.h>

/*
 * [udp:|tcp:|udp6:|tcp6:]HOST[:PORT], [udp6:|tcp6:][ADDR]:PORT, PORT, or
 * unix:/PATH; several separated by commas.  A host name is checked for its
 * form, not looked up (net-snmp does that when it starts).
 * Returns 0, or -1 with why in err.
 */
int	ts_transport_check(const char *spec, char *err, size_t errlen);
/* An AgentX socket: /PATH, unix:/PATH or a tcp/udp transport as above. */
int	ts_agentx_check(const char *spec, char *err, size_t errlen);

#endif
