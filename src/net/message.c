/* net_message: decoding a libcoap PDU into the tool's own view, and one-line summaries
 * for traces and reports. */
#include "net/message.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void net_message_clear(net_message *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->query_count; i++)
        free(m->queries[i]);
    free(m->payload);
    memset(m, 0, sizeof *m);
    m->content_format = m->accept = m->observe = -1;
}

void net_code_format(int code, char *buf, size_t cap)
{
    snprintf(buf, cap, "%d.%02d", (code >> 5) & 7, code & 31);
}

int net_code_parse(const char *s)
{
    if (!s || !isdigit((unsigned char)s[0]) || s[1] != '.' || !isdigit((unsigned char)s[2]) ||
        !isdigit((unsigned char)s[3]) || s[4] != '\0')
        return -1;
    int cls = s[0] - '0', detail = (s[2] - '0') * 10 + (s[3] - '0');
    if (cls > 7 || detail > 31)
        return -1;
    return (cls << 5) | detail;
}

const char *net_code_name(int code)
{
    switch (code) {
    case 0x01: return "GET";
    case 0x02: return "POST";
    case 0x03: return "PUT";
    case 0x04: return "DELETE";
    case 0x05: return "FETCH";
    case 0x06: return "PATCH";
    case 0x07: return "iPATCH";
    case 0x41: return "Created";
    case 0x42: return "Deleted";
    case 0x43: return "Valid";
    case 0x44: return "Changed";
    case 0x45: return "Content";
    case 0x5f: return "Continue";
    case 0x80: return "Bad Request";
    case 0x81: return "Unauthorized";
    case 0x82: return "Bad Option";
    case 0x83: return "Forbidden";
    case 0x84: return "Not Found";
    case 0x85: return "Method Not Allowed";
    case 0x86: return "Not Acceptable";
    case 0x88: return "Request Entity Incomplete";
    case 0x8c: return "Precondition Failed";
    case 0x8d: return "Request Entity Too Large";
    case 0x8f: return "Unsupported Content-Format";
    case 0xa0: return "Internal Server Error";
    case 0xa1: return "Not Implemented";
    case 0xa3: return "Service Unavailable";
    default: return "";
    }
}

static void append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
    if (*n >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (w > 0)
        *n += (size_t)w < cap - *n ? (size_t)w : cap - *n - 1;
}

static bool printable(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t') || p[i] == 0x7f)
            return false;
    return true;
}

/* The whole payload as shown (text, or hex), secrets redacted, then cut: a key that
 * straddles the cut is redacted whole before any of it could show. */
static void append_payload(char *buf, size_t cap, size_t *n, const net_message *m,
                           size_t max_payload, const logger *lg)
{
    size_t shown = m->payload_len < max_payload ? m->payload_len : max_payload;
    bool text = printable(m->payload, shown);
    /* room for the hex form and for "[redacted]" growing a short secret's text */
    size_t pcap = 3 * m->payload_len + 64;
    char *p = malloc(pcap);
    if (!p)
        return;
    size_t k = 0;
    for (size_t i = 0; i < m->payload_len; i++) {
        unsigned char c = m->payload[i];
        if (text)
            p[k++] = c == '\n' || c == '\r' || c == '\t' ? ' ' : isprint(c) ? (char)c : '.';
        else
            k += (size_t)snprintf(p + k, pcap - k, "%02x", c);
    }
    p[k] = '\0';
    logger_redact(lg, p, pcap);
    size_t limit = text ? shown : 2 * shown, len = strlen(p);
    append(buf, cap, n, "%s%.*s%s", text ? "" : "hex:", (int)(len < limit ? len : limit), p,
           len > limit || shown < m->payload_len ? "…" : "");
    free(p);
}

void net_message_summary_redacted(const net_message *m, bool is_request, size_t max_payload,
                                  const logger *lg, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if (is_request) {
        append(buf, cap, &n, "%s %s", net_code_name(m->code), m->path);
        for (size_t i = 0; i < m->query_count; i++)
            append(buf, cap, &n, "%c%s", i ? '&' : '?', m->queries[i]);
    } else {
        char code[8];
        net_code_format(m->code, code, sizeof code);
        append(buf, cap, &n, "%s %s", code, net_code_name(m->code));
    }
    if (m->location[0])
        append(buf, cap, &n, " Location:/%s", m->location);
    if (m->observe >= 0)
        append(buf, cap, &n, " Observe:%d", m->observe);
    if (m->accept >= 0)
        append(buf, cap, &n, " Accept:%d", m->accept);
    if (m->content_format >= 0)
        append(buf, cap, &n, " ct=%d", m->content_format);
    if (m->has_block1)
        append(buf, cap, &n, " Block1:%u/%u/%u", m->block1 >> 4, (m->block1 >> 3) & 1u,
               16u << (m->block1 & 7u));
    if (m->has_block2)
        append(buf, cap, &n, " Block2:%u/%u/%u", m->block2 >> 4, (m->block2 >> 3) & 1u,
               16u << (m->block2 & 7u));
    if (m->size1)
        append(buf, cap, &n, " Size1:%llu", (unsigned long long)m->size1);
    if (m->size2)
        append(buf, cap, &n, " Size2:%llu", (unsigned long long)m->size2);
    if (m->payload_len) {
        append(buf, cap, &n, " %zu bytes: ", m->payload_len);
        append_payload(buf, cap, &n, m, max_payload, lg);
    }
    logger_redact(lg, buf, cap);
}

void net_message_summary(const net_message *m, bool is_request, size_t max_payload, char *buf,
                         size_t cap)
{
    net_message_summary_redacted(m, is_request, max_payload, NULL, buf, cap);
}

static int add_query(net_message *m, const uint8_t *v, size_t len)
{
    if (m->query_count == NET_MAX_QUERIES)
        return -1;
    char *q = malloc(len + 1);
    if (!q)
        return -1;
    memcpy(q, v, len);
    q[len] = '\0';
    m->queries[m->query_count++] = q;
    return 0;
}

static void add_segment(char *dst, size_t cap, const uint8_t *v, size_t len, bool lead_slash)
{
    size_t n = strlen(dst);
    if (lead_slash || n > 0) {
        if (n + 1 >= cap)
            return;
        dst[n++] = '/';
        dst[n] = '\0';
    }
    size_t k = len < cap - n - 1 ? len : cap - n - 1;
    memcpy(dst + n, v, k);
    dst[n + k] = '\0';
}

int net_message_from_pdu(net_message *m, const coap_pdu_t *pdu)
{
    memset(m, 0, sizeof *m);
    m->content_format = m->accept = m->observe = -1;
    m->type = (uint8_t)coap_pdu_get_type(pdu);
    m->code = (int)coap_pdu_get_code(pdu);
    m->mid = (uint16_t)coap_pdu_get_mid(pdu);
    coap_bin_const_t tok = coap_pdu_get_token(pdu);
    m->token_len = tok.length <= sizeof m->token ? tok.length : sizeof m->token;
    if (m->token_len)
        memcpy(m->token, tok.s, m->token_len);

    coap_opt_iterator_t oi;
    coap_opt_t *opt;
    coap_option_iterator_init(pdu, &oi, COAP_OPT_ALL);
    while ((opt = coap_option_next(&oi)) != NULL) {
        const uint8_t *v = coap_opt_value(opt);
        size_t len = coap_opt_length(opt);
        switch (oi.number) {
        case COAP_OPTION_URI_PATH:
            add_segment(m->path, sizeof m->path, v, len, true);
            break;
        case COAP_OPTION_URI_QUERY:
            if (add_query(m, v, len) < 0) {
                net_message_clear(m);
                return -1;
            }
            break;
        case COAP_OPTION_LOCATION_PATH:
            add_segment(m->location, sizeof m->location, v, len, false);
            break;
        case COAP_OPTION_CONTENT_FORMAT:
            m->content_format = (int)coap_decode_var_bytes(v, len);
            break;
        case COAP_OPTION_ACCEPT:
            m->accept = (int)coap_decode_var_bytes(v, len);
            break;
        case COAP_OPTION_OBSERVE:
            m->observe = (int)coap_decode_var_bytes(v, len);
            break;
        case COAP_OPTION_BLOCK1:
            m->has_block1 = true;
            m->block1 = (uint32_t)coap_decode_var_bytes(v, len);
            break;
        case COAP_OPTION_BLOCK2:
            m->has_block2 = true;
            m->block2 = (uint32_t)coap_decode_var_bytes(v, len);
            break;
        case COAP_OPTION_SIZE1:
            m->size1 = coap_decode_var_bytes8(v, len);
            break;
        case COAP_OPTION_SIZE2:
            m->size2 = coap_decode_var_bytes8(v, len);
            break;
        default:
            break;
        }
    }
    if (m->path[0] == '\0')
        strcpy(m->path, "/");

    size_t len = 0, offset = 0, total = 0;
    const uint8_t *data = NULL;
    if (coap_get_data_large(pdu, &len, &data, &offset, &total) && len > 0) {
        m->payload = malloc(len);
        if (!m->payload) {
            net_message_clear(m);
            return -1;
        }
        memcpy(m->payload, data, len);
        m->payload_len = len;
    }
    return 0;
}

int net_message_copy(net_message *dst, const net_message *src)
{
    *dst = *src;
    dst->payload = NULL;
    dst->query_count = 0;
    for (size_t i = 0; i < src->query_count; i++) {
        dst->queries[i] = strdup(src->queries[i]);
        if (!dst->queries[i]) {
            net_message_clear(dst);
            return -1;
        }
        dst->query_count++;
    }
    if (src->payload_len) {
        dst->payload = malloc(src->payload_len);
        if (!dst->payload) {
            net_message_clear(dst);
            return -1;
        }
        memcpy(dst->payload, src->payload, src->payload_len);
    }
    return 0;
}

size_t net_message_encode(const net_message *m, const coap_pdu_t *pdu, uint8_t *buf, size_t cap)
{
    size_t n = 4 + m->token_len;
    if (cap < n)
        return 0;
    buf[0] = (uint8_t)(0x40 | (m->type & 3) << 4 | (m->token_len & 0x0f));
    buf[1] = (uint8_t)m->code;
    buf[2] = (uint8_t)(m->mid >> 8);
    buf[3] = (uint8_t)m->mid;
    memcpy(buf + 4, m->token, m->token_len);
    coap_opt_iterator_t oi;
    coap_opt_t *opt;
    uint16_t last = 0;
    coap_option_iterator_init(pdu, &oi, COAP_OPT_ALL);
    while ((opt = coap_option_next(&oi)) != NULL) {
        size_t w = coap_opt_encode(buf + n, cap - n, (uint16_t)(oi.number - last),
                                   coap_opt_value(opt), coap_opt_length(opt));
        if (w == 0)
            return 0;
        n += w;
        last = oi.number;
    }
    size_t len = 0;
    const uint8_t *data = NULL;
    if (coap_get_data(pdu, &len, &data) && len > 0) {
        if (cap - n < len + 1)
            return 0;
        buf[n++] = 0xff;
        memcpy(buf + n, data, len);
        n += len;
    }
    return n;
}
