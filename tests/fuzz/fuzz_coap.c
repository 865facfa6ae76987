/* libFuzzer target: the tool's incoming-message path, fed raw CoAP. Each input is sent as
 * one UDP datagram over loopback to a NoSec server endpoint of a real net_ctx with the
 * registry attached, and the I/O loop runs once: libcoap's coap_pdu_parse, the tool's
 * request handler (net_message_from_pdu, tracing, dispatch by path), the Registration
 * interface (queries, link format, the registration limit) and the event queue all see
 * it. Whatever the tool answers is read and dropped; events are discarded. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lwm2m/registry.h"
#include "net/endpoint.h"

static net_ctx *net;
static registry *reg;
static int client = -1;
static struct sockaddr_in server;

static void trace_sink(void *arg, const char *line)
{
    (void)arg;
    (void)line;
}

static int setup(void)
{
    lc_error err = {0};
    net = net_new(NULL, &err);
    if (!net)
        return -1;
    net_endpoint_config ec = {.name = "server 1", .short_server_id = 1, .role = NET_ROLE_SERVER,
                              .secure = false, .bind_addr = "127.0.0.1", .port = 0};
    int e = net_add_endpoint(net, &ec, &err);
    if (e < 0)
        return -1;
    reg = registry_new(net, &err);
    if (!reg)
        return -1;
    net_set_trace(net, trace_sink, NULL); /* the trace line is built for every message */
    client = socket(AF_INET, SOCK_DGRAM, 0);
    if (client < 0)
        return -1;
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons(net_endpoint_port(net, e));
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!net && setup() < 0)
        abort();
    if (sendto(client, data, size, 0, (const struct sockaddr *)&server, sizeof server) < 0)
        return 0;
    net_poll(net, 0);
    uint8_t buf[2048];
    while (recv(client, buf, sizeof buf, MSG_DONTWAIT) > 0)
        ;
    net_drop(net, NULL, NULL);
    return 0;
}
