/*
 * Minimal NFQUEUE consumer for the hand-off benchmark: it receives every queued packet (full copy, as
 * an analyzer would need), counts it and accepts it at once. It does no analysis, so it is the best
 * case NFQUEUE can reach on this machine. Follows libnetfilter_queue's documented API.
 *
 * usage: nfq-count QUEUE_NUM        prints "N packets B bytes E recv errors" on SIGINT/SIGTERM
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

static volatile sig_atomic_t stop;
static unsigned long long packets, bytes, recvErrors;

static void onSignal(int sig) { (void)sig; stop = 1; }

static int onPacket(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
  (void)msg; (void)data;
  struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
  unsigned char *payload;
  int len = nfq_get_payload(nfa, &payload);
  packets++;
  if (len > 0) bytes += (unsigned long long)len;
  return nfq_set_verdict(qh, ph ? ntohl(ph->packet_id) : 0, NF_ACCEPT, 0, NULL);
}

int main(int argc, char **argv) {
  uint16_t queueNum = argc > 1 ? (uint16_t)atoi(argv[1]) : 0;
  /* No SA_RESTART: a signal must interrupt the blocking recv so the loop can end and report. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onSignal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  struct nfq_handle *h = nfq_open();
  if (!h) { perror("nfq_open"); return 1; }
  if (nfq_bind_pf(h, AF_INET) < 0) { perror("nfq_bind_pf"); return 1; }
  struct nfq_q_handle *qh = nfq_create_queue(h, queueNum, &onPacket, NULL);
  if (!qh) { perror("nfq_create_queue"); return 1; }
  if (nfq_set_mode(qh, NFQNL_COPY_PACKET, 0xffff) < 0) { perror("nfq_set_mode"); return 1; }
  nfq_set_queue_maxlen(qh, 4096);
  /* Fail-open: when this consumer falls behind, the kernel forwards instead of dropping, so the
     benchmark measures frames the analyzer misses rather than a stalled bridge. */
  nfq_set_queue_flags(qh, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN);
  nfnl_rcvbufsiz(nfq_nfnlh(h), 8 << 20);
  int fd = nfq_fd(h);
  int one = 1;
  /* Keep reading after the socket overflows instead of failing with ENOBUFS. */
  setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
  fprintf(stderr, "nfq-count: listening on queue %u\n", queueNum);

  static char buf[256 * 1024];
  while (!stop) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      recvErrors++;
      continue;
    }
    nfq_handle_packet(h, buf, (int)n);
  }
  nfq_destroy_queue(qh);
  nfq_close(h);
  printf("%llu packets %llu bytes %llu recv errors\n", packets, bytes, recvErrors);
  return 0;
}
