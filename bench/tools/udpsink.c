// udpsink: UDP receiver for bench/run. Binds 0.0.0.0:PORT (so it receives for every local address),
// drains with recvmmsg, counts datagrams and distinct flows (source address, source port,
// destination address), and records first and last arrival. Prints one JSON object on stdout at the
// end: after -t SECONDS, after -i IDLE seconds without a datagram once at least one arrived, after -c
// COUNT datagrams, or on SIGINT/SIGTERM. Prints "ready" on stderr once bound. SIGUSR1 forgets everything
// counted so far (warm-up traffic) and prints "reset" on stderr once done.
// Arrival times are the kernel's receive timestamps (SO_TIMESTAMPNS), so a sink that drains its
// socket late does not stretch the span.
//
//   udpsink -p PORT [-t SECONDS] [-i IDLE] [-c COUNT] [-w WAIT]
//   -w: give up after WAIT seconds if nothing at all arrived (default: -t, or 30)
//
// Output: {"received":N,"bytes":N,"flows":N,"first":T,"last":T,"span":S,"pps":R,"utime":S,"stime":S}
// first/last are CLOCK_REALTIME seconds (kernel receive timestamps); pps = received / span (0 when fewer than 2 arrived).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256
#define SNAP 2048

static volatile sig_atomic_t stop, reset;
static void on_signal(int s) { (void)s; stop = 1; }
static void on_reset(int s) { (void)s; reset = 1; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// open-addressing set of 64-bit keys (flow = src addr, src port, low 16 bits of dst addr)
static uint64_t *set;
static size_t setcap, setlen;
static int set_add(uint64_t k) {
  k += 1;  // 0 marks an empty slot
  if (setlen * 2 >= setcap) {
    size_t oc = setcap;
    uint64_t *old = set;
    setcap = oc ? oc * 2 : 1 << 16;
    set = calloc(setcap, sizeof *set);
    if (!set) { perror("udpsink: calloc"); exit(1); }
    setlen = 0;
    for (size_t i = 0; i < oc; i++)
      if (old[i]) { size_t h = (old[i] * 0x9E3779B97F4A7C15ull) & (setcap - 1);
        while (set[h]) h = (h + 1) & (setcap - 1);
        set[h] = old[i]; setlen++; }
    free(old);
  }
  size_t h = (k * 0x9E3779B97F4A7C15ull) & (setcap - 1);
  while (set[h]) { if (set[h] == k) return 0; h = (h + 1) & (setcap - 1); }
  set[h] = k; setlen++;
  return 1;
}

int main(int argc, char **argv) {
  long port = -1;
  double secs = 0, idle = 0, wait = 0;
  long long maxcount = 0;
  int opt;
  while ((opt = getopt(argc, argv, "p:t:i:c:w:")) != -1) {
    switch (opt) {
    case 'p': port = atol(optarg); break;
    case 't': secs = atof(optarg); break;
    case 'i': idle = atof(optarg); break;
    case 'c': maxcount = atoll(optarg); break;
    case 'w': wait = atof(optarg); break;
    default: fprintf(stderr, "usage: udpsink -p PORT [-t SECONDS] [-i IDLE] [-c COUNT] [-w WAIT]\n"); return 2;
    }
  }
  if (port < 1 || port > 65535) { fprintf(stderr, "udpsink: -p PORT required\n"); return 2; }
  if (wait <= 0) wait = secs > 0 ? secs : 30;

  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) { perror("udpsink: socket"); return 1; }
  int one = 1, rcvbuf = 32 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = INADDR_ANY};
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("udpsink: bind"); return 1; }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGUSR1, on_reset);
  fprintf(stderr, "ready\n");

  static uint8_t bufs[BATCH][SNAP];
  static uint8_t ctl[BATCH][128];
  static struct sockaddr_in from[BATCH];
  static struct iovec iov[BATCH];
  static struct mmsghdr msgs[BATCH];
  long long received = 0, bytes = 0;
  double first = 0, last = 0, lastlocal = 0, start = now();
  for (;;) {
    if (stop) break;
    if (reset) {
      received = bytes = 0; first = last = lastlocal = 0;
      if (set) memset(set, 0, setcap * sizeof *set);
      setlen = 0;
      reset = 0; start = now();
      fprintf(stderr, "reset\n");
    }
    double t = now();
    if (secs > 0 && t - start >= secs) break;
    if (maxcount > 0 && received >= maxcount) break;
    if (received == 0 && t - start >= wait) break;
    if (received > 0 && idle > 0 && t - lastlocal >= idle) break;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int pr = poll(&p, 1, 20);
    if (pr <= 0) continue;
    for (int i = 0; i < BATCH; i++) {
      iov[i].iov_base = bufs[i]; iov[i].iov_len = SNAP;
      memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
      msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &from[i]; msgs[i].msg_hdr.msg_namelen = sizeof from[i];
      msgs[i].msg_hdr.msg_control = ctl[i]; msgs[i].msg_hdr.msg_controllen = sizeof ctl[i];
    }
    int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) continue;
    lastlocal = now();
    for (int i = 0; i < n; i++) {
      bytes += msgs[i].msg_len;
      uint32_t dst = 0;
      double at = 0;
      for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
          dst = ntohl(((struct in_pktinfo *)CMSG_DATA(c))->ipi_addr.s_addr);
        else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          struct timespec ts;
          memcpy(&ts, CMSG_DATA(c), sizeof ts);
          at = ts.tv_sec + ts.tv_nsec / 1e9;
        }
      }
      if (at == 0) { struct timespec ts; clock_gettime(CLOCK_REALTIME, &ts); at = ts.tv_sec + ts.tv_nsec / 1e9; }
      if (received == 0 || at < first) first = at;
      if (at > last) last = at;
      received++;
      uint64_t k = (uint64_t)ntohl(from[i].sin_addr.s_addr) << 32 | (uint64_t)ntohs(from[i].sin_port) << 16 | (dst & 0xffff);
      set_add(k);
    }
  }
  double span = received > 1 ? last - first : 0;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"received\":%lld,\"bytes\":%lld,\"flows\":%zu,\"first\":%.6f,\"last\":%.6f,\"span\":%.6f,\"pps\":%.1f,"
         "\"utime\":%.6f,\"stime\":%.6f}\n",
         received, bytes, setlen, first, last, span, span > 0 ? received / span : 0.0,
         ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
  return 0;
}
