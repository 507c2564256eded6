/*
 * pause: the process that holds a pod's namespaces. It sleeps until SIGTERM or SIGINT (exit 0)
 * and reaps every child it inherits (as PID 1 of a pod's PID namespace, orphans land here).
 *
 * Freestanding on purpose (no libc, own _start, raw syscalls): the binary is a few KB instead of
 * ~700 KB of static glibc, and it goes into the image the engine embeds for offline pods.
 *
 * Why signals are blocked and fetched with rt_sigtimedwait rather than caught with handlers:
 * the kernel drops a signal sent to a PID-namespace init whose action is SIG_DFL, but a *blocked*
 * signal is always queued, so waiting for blocked signals works for PID 1 without installing
 * handlers (which would also need an arch-specific sa_restorer trampoline).
 */

#define SIGINT 2
#define SIGTERM 15
#define SIGCHLD 17
#define SIG_BLOCK 0
#define WNOHANG 1
#define KERNEL_SIGSET_BYTES 8 /* the kernel's sigset_t is 64 bits on every Linux arch we ship */

#if defined(__x86_64__)
#define NR_rt_sigprocmask 14
#define NR_rt_sigtimedwait 128
#define NR_wait4 61
#define NR_exit_group 231
static long sys4(long n, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
#define NR_rt_sigprocmask 135
#define NR_rt_sigtimedwait 137
#define NR_wait4 260
#define NR_exit_group 94
static long sys4(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}
#elif defined(__arm__) && defined(__ARM_EABI__)
#define NR_rt_sigprocmask 175
#define NR_rt_sigtimedwait 177
#define NR_wait4 114
#define NR_exit_group 248
static long sys4(long n, long a, long b, long c, long d)
{
	register long r7 __asm__("r7") = n;
	register long r0 __asm__("r0") = a;
	register long r1 __asm__("r1") = b;
	register long r2 __asm__("r2") = c;
	register long r3 __asm__("r3") = d;
	__asm__ volatile("svc 0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2), "r"(r3) : "memory");
	return r0;
}
#else
#error "pause.c: unsupported architecture"
#endif

static void reap_all(void)
{
	/* WNOHANG: collect every child that has exited; stop at 0 (none left) or -ECHILD. */
	while (sys4(NR_wait4, -1, 0, WNOHANG, 0) > 0)
		;
}

#if defined(__x86_64__)
/* The kernel enters _start with rsp 16-byte aligned, not as after a call. */
__attribute__((force_align_arg_pointer))
#endif
__attribute__((noreturn)) void _start(void)
{
	unsigned long long set = (1ULL << (SIGINT - 1)) | (1ULL << (SIGTERM - 1)) | (1ULL << (SIGCHLD - 1));

	sys4(NR_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, KERNEL_SIGSET_BYTES);
	reap_all(); /* children that exited before the mask was set */
	for (;;) {
		long sig = sys4(NR_rt_sigtimedwait, (long)&set, 0, 0, KERNEL_SIGSET_BYTES);
		if (sig == SIGINT || sig == SIGTERM) {
			reap_all();
			sys4(NR_exit_group, 0, 0, 0, 0);
		}
		/* SIGCHLD, or an interrupted wait (e.g. after SIGSTOP/SIGCONT): reap and wait again. */
		reap_all();
	}
}
