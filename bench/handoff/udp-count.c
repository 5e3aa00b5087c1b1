/*
 * UDP analyzer stand-in for the hand-off benchmark's export rows: binds ADDR:4789 with a large receive
 * buffer and reads with recvmmsg, 64 datagrams per call, counting them. It does no analysis, so it
 * stands for an analyzer that keeps up (an IDS reading its socket in batches); what it fails to read
 * shows as socket-buffer drops in /proc/net/snmp.
 *
 * usage: udp-count ADDR     prints "ready" on stderr once bound, and the datagram count on SIGTERM
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 64
#define SNAP 65536

static volatile sig_atomic_t stop;
static void onSignal(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: udp-count ADDR\n"); return 2; }
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
  static char data[BATCH][SNAP];
  struct iovec iov[BATCH];
  struct mmsghdr msgs[BATCH];
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = data[i];
    iov[i].iov_len = SNAP;
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
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
    n += (unsigned long long)got;
  }
  printf("%llu\n", n);
  return 0;
}
