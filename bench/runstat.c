/* runstat OUT COMMAND [ARG...]: run COMMAND once and write
 * "wall_ns maxrss_kib cpu_us exit_status" to the file OUT.
 *
 * The same figures as /usr/bin/time -f '%e %M', at nanosecond resolution:
 * the clock is read right around fork() and wait4(), and the peak RSS is the
 * child's own rusage. A tiny C process forks the command because Linux keeps
 * the parent's high-water RSS across fork+exec: spawned from Python, every
 * command would report at least the interpreter's ~15 MiB.
 * COMMAND inherits stdin, stdout and stderr. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: runstat OUT COMMAND [ARG...]\n");
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) {
    perror("runstat: fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("runstat: wait4");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  long long cpu_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL +
                     ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE* out = fopen(argv[1], "w");
  if (!out) {
    perror(argv[1]);
    return 2;
  }
  fprintf(out, "%lld %ld %lld %d\n", ns, ru.ru_maxrss, cpu_us, code);
  fclose(out);
  return 0;
}
