// udpgen: UDP generator for bench/run. Crafts IPv4/UDP datagrams on a raw socket (IP_HDRINCL) so one
// socket can send from any number of source ports without binding them, and sends them with
// sendmmsg in batches. Prints one JSON object on stdout when done.
//
//   udpgen -S SRC -d DST [-n NDST] -p DPORT [-s PAYLOAD] [-b SPORT_BASE] [-f FLOWS] [-N]
//          [-r PPS] [-t SECONDS | -c COUNT] [-B BATCH]
//
//   -S  source address (the generator's own address; the kernel fills nothing in but the checksum)
//   -d  first destination address; -n N: N consecutive addresses, cycled per packet (default 1)
//   -p  destination port          -s  UDP payload bytes (default 64)
//   -b  first source port (default 10000); -f F: source ports base..base+F-1, cycled per packet
//   -N  new-flows mode: packet i uses source port base+i (every packet a flow never used before
//       in this run); needs -c, and base+count <= 65536
//   -r  packets per second (0 = as fast as possible, the default)
//   -t  seconds to run;  -c  packets to send (whichever ends first when both are given)
//   -B  sendmmsg batch (default 64; lowered automatically for low rates so pacing stays smooth)
//
// Output: {"sent":N,"send_errors":N,"errors":{"ENOBUFS":N,...},"elapsed":S,"pps":R,"utime":S,"stime":S}
// "sent" counts datagrams the kernel accepted; a refusal (sendmmsg returning -1, e.g. ENOBUFS) is
// counted in send_errors and that datagram is skipped, never retried.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXBATCH 1024
#define MAXPAYLOAD 9000

static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s; stop = 1; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t sum16(const void *data, size_t len) {
  const uint8_t *p = data;
  uint32_t s = 0;
  for (; len > 1; p += 2, len -= 2) s += (uint32_t)p[0] << 8 | p[1];
  if (len) s += (uint32_t)p[0] << 8;
  return s;
}
static uint16_t fold(uint32_t s) {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (uint16_t)~s;
}

static void usage(void) {
  fprintf(stderr, "usage: udpgen -S SRC -d DST [-n NDST] -p DPORT [-s BYTES] [-b SPORT] [-f FLOWS] [-N] "
                  "[-r PPS] [-t SECONDS] [-c COUNT] [-B BATCH]\n");
  exit(2);
}

int main(int argc, char **argv) {
  struct in_addr src = {0}, dst = {0};
  int have_src = 0, have_dst = 0, newflows = 0, opt;
  long ndst = 1, dport = -1, payload = 64, sbase = 10000, flows = 1, batch = 64;
  double rate = 0, secs = 0;
  long long count = 0;
  while ((opt = getopt(argc, argv, "S:d:n:p:s:b:f:Nr:t:c:B:")) != -1) {
    switch (opt) {
    case 'S': have_src = inet_pton(AF_INET, optarg, &src) == 1; break;
    case 'd': have_dst = inet_pton(AF_INET, optarg, &dst) == 1; break;
    case 'n': ndst = atol(optarg); break;
    case 'p': dport = atol(optarg); break;
    case 's': payload = atol(optarg); break;
    case 'b': sbase = atol(optarg); break;
    case 'f': flows = atol(optarg); break;
    case 'N': newflows = 1; break;
    case 'r': rate = atof(optarg); break;
    case 't': secs = atof(optarg); break;
    case 'c': count = atoll(optarg); break;
    case 'B': batch = atol(optarg); break;
    default: usage();
    }
  }
  if (!have_src || !have_dst || dport < 1 || dport > 65535 || ndst < 1 || payload < 0 || payload > MAXPAYLOAD ||
      sbase < 1 || flows < 1 || sbase + flows > 65536 || batch < 1 || batch > MAXBATCH || rate < 0 ||
      (secs <= 0 && count <= 0) || (newflows && (count <= 0 || sbase + count > 65536)))
    usage();
  if (rate > 0) {  // pace in small batches: about 10k sendmmsg calls a second at most
    long b = (long)(rate / 10000);
    if (b < 1) b = 1;
    if (b < batch) batch = b;
  }

  int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);  // IPPROTO_RAW implies IP_HDRINCL
  if (fd < 0) { perror("udpgen: socket"); return 1; }
  int sndbuf = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);

  size_t len = sizeof(struct iphdr) + sizeof(struct udphdr) + (size_t)payload;
  static uint8_t bufs[MAXBATCH][sizeof(struct iphdr) + sizeof(struct udphdr) + MAXPAYLOAD];
  static struct mmsghdr msgs[MAXBATCH];
  static struct iovec iovs[MAXBATCH];
  static struct sockaddr_in addrs[MAXBATCH];
  uint8_t pay[MAXPAYLOAD];
  for (long i = 0; i < payload; i++) pay[i] = (uint8_t)i;
  uint32_t paysum = sum16(pay, (size_t)payload);  // payload is even-aligned after the 8-byte UDP header
  for (int i = 0; i < batch; i++) {
    struct iphdr *ip = (struct iphdr *)bufs[i];
    memset(ip, 0, sizeof *ip);
    ip->version = 4; ip->ihl = 5; ip->ttl = 64; ip->protocol = IPPROTO_UDP;
    ip->tot_len = htons((uint16_t)len); ip->frag_off = htons(0x4000);  // DF, like a UDP socket with PMTU on
    ip->saddr = src.s_addr;
    memcpy(bufs[i] + sizeof *ip + sizeof(struct udphdr), pay, (size_t)payload);
    iovs[i].iov_base = bufs[i]; iovs[i].iov_len = len;
    addrs[i].sin_family = AF_INET;
    msgs[i].msg_hdr.msg_iov = &iovs[i]; msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &addrs[i]; msgs[i].msg_hdr.msg_namelen = sizeof addrs[i];
  }

  long long sent = 0, errors = 0, next = 0;  // next: index of the next packet to build
  long long enobufs = 0, eagain = 0, eperm = 0, other = 0;
  uint32_t dst0 = ntohl(dst.s_addr);
  double start = now(), end = secs > 0 ? start + secs : 0;
  while (!stop) {
    if (count > 0 && next >= count) break;
    double t = now();
    if (end > 0 && t >= end) break;
    int n = (int)batch;
    if (count > 0 && count - next < n) n = (int)(count - next);
    if (rate > 0) {  // absolute schedule: packet `next` is due at start + next / rate
      double due = start + next / rate;
      if (due > t) {
        struct timespec ts;
        double d = due - t;
        ts.tv_sec = (time_t)d; ts.tv_nsec = (long)((d - ts.tv_sec) * 1e9);
        nanosleep(&ts, NULL);
        continue;
      }
    }
    for (int i = 0; i < n; i++) {
      long long k = next + i;
      uint16_t sport = (uint16_t)(newflows ? sbase + k : sbase + k % flows);
      uint32_t d = dst0 + (uint32_t)(k % ndst);
      struct iphdr *ip = (struct iphdr *)bufs[i];
      struct udphdr *udp = (struct udphdr *)(bufs[i] + sizeof *ip);
      ip->daddr = htonl(d);
      udp->source = htons(sport); udp->dest = htons((uint16_t)dport);
      udp->len = htons((uint16_t)(len - sizeof *ip)); udp->check = 0;
      uint32_t s = paysum + sum16(&ip->saddr, 8) + IPPROTO_UDP + (uint32_t)(len - sizeof *ip) + sum16(udp, 8);
      uint16_t c = fold(s);
      udp->check = c ? htons(c) : 0xffff;
      addrs[i].sin_addr.s_addr = ip->daddr;
    }
    int off = 0;
    while (off < n) {
      int r = sendmmsg(fd, msgs + off, (unsigned)(n - off), 0);
      if (r < 0) {
        if (errno == EINTR && stop) break;
        errors++;
        if (errno == ENOBUFS) enobufs++; else if (errno == EAGAIN) eagain++; else if (errno == EPERM) eperm++; else other++;
        off++;  // that datagram is lost: skip it
      } else {
        sent += r; off += r;
      }
    }
    next += n;
  }
  double elapsed = now() - start;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"sent\":%lld,\"send_errors\":%lld,\"errors\":{\"ENOBUFS\":%lld,\"EAGAIN\":%lld,\"EPERM\":%lld,\"other\":%lld},"
         "\"attempted\":%lld,\"elapsed\":%.6f,\"pps\":%.1f,\"utime\":%.6f,\"stime\":%.6f}\n",
         sent, errors, enobufs, eagain, eperm, other, next, elapsed, elapsed > 0 ? sent / elapsed : 0.0,
         ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
  return 0;
}
