/*
 * UDP analyzer stand-in for the hand-off benchmark's export rows: binds ADDR:4789 with a large receive
 * buffer and reads with recvmmsg, 64 datagrams per call, counting them. It does no analysis, so it
 * stands for an analyzer that keeps up (an IDS reading its socket in batches); what it fails to read
 * shows as socket-buffer drops in /proc/net/snmp.
 *
 * With `gro`, the socket takes UDP_GRO: datagrams the sender sent together with UDP segmentation
 * offload (or the receiving device merged) arrive as one buffer with their segment size, and are
 * counted as the datagrams they hold. A collector built for rate reads this way.
 *
 * usage: udp-count ADDR [gro]   prints "ready" on stderr once bound, and the datagram count on SIGTERM
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#ifndef UDP_GRO
#define UDP_GRO 104
#endif

#define BATCH 64
#define SNAP 65536

static volatile sig_atomic_t stop;
static void onSignal(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "gro") != 0)) { fprintf(stderr, "usage: udp-count ADDR [gro]\n"); return 2; }
  int gro = argc == 3;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onSignal; /* no SA_RESTART: the blocking recvmmsg returns EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) { perror("socket"); return 1; }
  int buf = 64 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(4789);
  if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) { fprintf(stderr, "bad address %s\n", argv[1]); return 2; }
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); return 1; }
  int one = 1;
  if (gro && setsockopt(fd, IPPROTO_UDP, UDP_GRO, &one, sizeof one) < 0) { perror("setsockopt UDP_GRO"); return 1; }
  static char data[BATCH][SNAP];
  static char ctl[BATCH][CMSG_SPACE(sizeof(int))];
  struct iovec iov[BATCH];
  struct mmsghdr msgs[BATCH];
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = data[i];
    iov[i].iov_len = SNAP;
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  for (int i = 0; i < BATCH; i++) {
    msgs[i].msg_hdr.msg_control = gro ? ctl[i] : NULL;
    msgs[i].msg_hdr.msg_controllen = gro ? sizeof ctl[i] : 0;
  }
  fprintf(stderr, "ready\n");
  unsigned long long n = 0;
  while (!stop) {
    int got = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
    if (got < 0) {
      if (errno == EINTR) continue;
      perror("recvmmsg");
      return 1;
    }
    if (!gro) {
      n += (unsigned long long)got;
      continue;
    }
    for (int i = 0; i < got; i++) {
      unsigned segs = 1;
      struct msghdr *h = &msgs[i].msg_hdr;
      for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
        if (c->cmsg_level == IPPROTO_UDP && c->cmsg_type == UDP_GRO) {
          int size;
          memcpy(&size, CMSG_DATA(c), sizeof size);
          if (size > 0) segs = (msgs[i].msg_len + (unsigned)size - 1) / (unsigned)size;
        }
      }
      n += segs;
      h->msg_controllen = sizeof ctl[i];
    }
  }
  printf("%llu\n", n);
  return 0;
}
