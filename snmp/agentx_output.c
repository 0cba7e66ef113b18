/* SPDX-License-Identifier: GPL-3.0-or-later */
/* agentx_output.c: the subagent never blocks writing to snmpd.
 *
 * snmpd and a net-snmp subagent both write AgentX with blocking sends.  When
 * many managers ask at once (200 pollers, several walks of a 1000-VM table),
 * snmpd fills the subagent's socket with requests while the subagent fills
 * snmpd's with answers: each then waits in send() for the other to read, and
 * both stop for good -- snmpd with every other MIB it serves (measured:
 * tests/bench/b0500; FRRouting's bgpd met the same, frr issue 16192).
 *
 * So the subagent's AgentX socket is made non-blocking and its transport's
 * send replaced: what the socket does not take at once waits in a queue,
 * written out when snmpd reads (a write callback of net-snmp's fd event
 * manager, which agent_check_and_process() serves).  The subagent keeps
 * reading requests, snmpd's sends go through, and the deadlock cannot form.
 * A PDU is queued whole or not at all (a partial one would break the
 * stream); past XVA_OUT_MAX_BYTES, new PDUs are dropped and snmpd answers
 * those requests with an error after its agentxTimeout. */
#include "agent.h"
#include "util.h"

#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* net-snmp's AgentX session (agent/mibgroup/agentx/subagent.h, a header
 * Debian does not install; the library exports the symbol) */
extern netsnmp_session *main_session;

#define XVA_OUT_MAX_BYTES (16u << 20)

static struct {
	netsnmp_transport *owner; /* the session's transport the queue is for */
	int fd;         /* its socket, -1 for none */
	char *data;
	size_t len, off; /* bytes queued; bytes of them already written */
	size_t alloc;
	bool watching;  /* a write callback is registered for fd */
	unsigned long dropped;
} out = { .fd = -1 };

/* Forgets the queue (its session is gone, or a new one starts). */
static void out_reset(netsnmp_transport *owner)
{
	if (out.watching)
		unregister_writefd(out.fd);
	out.watching = false;
	out.owner = owner;
	out.fd = owner ? owner->sock : -1;
	out.len = out.off = 0;
}

/* Writes what the socket takes; -1 when the connection is gone. */
static int out_flush(void)
{
	while (out.off < out.len) {
		ssize_t n = send(out.fd, out.data + out.off, out.len - out.off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		out.off += (size_t)n;
	}
	out.len = out.off = 0;
	return 0;
}

static void on_writable(int fd, void *unused)
{
	(void)unused;
	if (fd != out.fd)
		return;
	if (out_flush()) {
		xva_log(LOG_WARNING, "AgentX: the master agent's socket failed (%s); "
			"net-snmp reconnects", strerror(errno));
		out_reset(NULL);
		return;
	}
	if (out.len == 0 && out.watching) {
		unregister_writefd(fd);
		out.watching = false;
	}
}

static int queued_send(netsnmp_transport *t, const void *buf, int size, void **opaque,
		       int *olength)
{
	const char *p = buf;
	size_t left = size > 0 ? (size_t)size : 0;

	(void)opaque;
	(void)olength;
	if (out.owner != t || out.fd != t->sock)
		out_reset(t);
	if (out.len == 0) { /* nothing waiting: straight to the socket */
		ssize_t n;
		do
			n = send(t->sock, p, left, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (n > 0) {
			p += n;
			left -= (size_t)n;
		}
		if (left == 0)
			return size;
	}
	if (left == (size_t)size && out.len - out.off + left > XVA_OUT_MAX_BYTES) {
		/* nothing of it written: drop it whole, and say so here rather
		 * than through net-snmp's message for every PDU */
		if (out.dropped++ % 1000 == 0)
			xva_log(LOG_WARNING, "AgentX: snmpd reads slower than it asks; %lu answers "
				"dropped so far (it answers those requests with an error)",
				out.dropped);
		return size;
	}
	if (out.off > 0) { /* keep the queue at the start of its buffer */
		memmove(out.data, out.data + out.off, out.len - out.off);
		out.len -= out.off;
		out.off = 0;
	}
	if (out.len + left > out.alloc) {
		out.alloc = out.len + left > 2 * out.alloc ? out.len + left : 2 * out.alloc;
		out.data = xv_realloc(out.data, out.alloc);
	}
	memcpy(out.data + out.len, p, left);
	out.len += left;
	if (!out.watching && register_writefd(t->sock, on_writable, NULL) == FD_REGISTERED_OK)
		out.watching = true;
	return size;
}

void xva_agentx_output_attach(void)
{
	netsnmp_transport *t;
	int flags;

	t = main_session ? snmp_sess_transport(snmp_sess_pointer(main_session)) : NULL;
	if (t && t == out.owner && t->f_send == queued_send && t->sock >= 0 && t->sock == out.fd)
		return; /* the session the queue serves */
	/* none, a closed one, or a new one (net-snmp reconnected): what waited
	 * was for the old, and its socket must leave the write watch */
	out_reset(NULL);
	if (!t || t->sock < 0)
		return;
	flags = fcntl(t->sock, F_GETFL);
	if (flags < 0 || fcntl(t->sock, F_SETFL, flags | O_NONBLOCK) < 0) {
		xva_log(LOG_WARNING, "AgentX: cannot make the socket non-blocking: %s",
			strerror(errno));
		return;
	}
	t->f_send = queued_send;
	out_reset(t);
}

void xva_agentx_output_release(void)
{
	out_reset(NULL);
	free(out.data);
	out.data = NULL;
	out.alloc = 0;
}
