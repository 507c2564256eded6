/*
 * lcr-helper: two things stock LXC 5.0 tools cannot do for the lcr runtime. Freestanding like
 * pause (no libc, own _start, raw syscalls) so the engine can carry it: ~1 KB per arch.
 *
 *   lcr-helper exec FD UID GID G1,G2,... CMD [ARG...]
 *     Run by lxc-attach inside the container, as root with the container's capabilities (the
 *     daemon hands it over as inherited fd FD: lxc-attach -- /proc/self/fd/FD exec FD ...).
 *     lxc-attach drops every supplementary group and has no option to set them; this sets the
 *     groups, then the gid and uid (setres*), closes its own fd and execs CMD, looked up in the
 *     PATH of its environment as execvp does. 126 / 127 (with a message) when CMD cannot run.
 *     An empty group list ("-") sets none.
 *
 *   lcr-helper mount SRC DST        (env LXC_PID; run as lxc.hook.start-host)
 *     LXC turns every shared mount of the container's copy of the host tree into a slave before
 *     it mounts anything, so a bind with propagation "rshared" is shared in a new peer group of
 *     its own and mounts made in the container never reach the host. This clones the host's SRC
 *     (open_tree OPEN_TREE_CLONE|AT_RECURSIVE: the clone of a shared mount joins its peer group),
 *     enters the container's mount namespace and attaches the clone over DST (move_mount), before
 *     the container's init runs.
 */

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_CLOEXEC 02000000
#define OPEN_TREE_CLONE 1
#define AT_RECURSIVE 0x8000
#define MOVE_MOUNT_F_EMPTY_PATH 0x4
#define CLONE_NEWNS 0x20000
#define ENOENT 2
#define EACCES 13
#define ENOTDIR 20
#define ENOSYS 38
#define MAX_GROUPS 1024
#define PATH_BUF 4096

#if defined(__x86_64__)
#define NR_write 1
#define NR_openat 257
#define NR_close 3
#define NR_execve 59
#define NR_exit_group 231
#define NR_setgroups 116
#define NR_setresuid 117
#define NR_setresgid 119
#define NR_setns 308
static long sys5(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
__asm__(".text\n.global _start\n_start:\n\txor %rbp, %rbp\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall cmain\n\thlt\n");
#elif defined(__aarch64__)
#define NR_write 64
#define NR_openat 56
#define NR_close 57
#define NR_execve 221
#define NR_exit_group 94
#define NR_setgroups 159
#define NR_setresuid 147
#define NR_setresgid 149
#define NR_setns 268
static long sys5(long n, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory");
	return x0;
}
__asm__(".text\n.global _start\n_start:\n\tmov x0, sp\n\tbl cmain\n");
#elif defined(__arm__) && defined(__ARM_EABI__)
#define NR_write 4
#define NR_openat 322
#define NR_close 6
#define NR_execve 11
#define NR_exit_group 248
#define NR_setgroups 206 /* setgroups32 */
#define NR_setresuid 208 /* setresuid32 */
#define NR_setresgid 210 /* setresgid32 */
#define NR_setns 375
static long sys5(long n, long a, long b, long c, long d, long e)
{
	register long r7 __asm__("r7") = n;
	register long r0 __asm__("r0") = a;
	register long r1 __asm__("r1") = b;
	register long r2 __asm__("r2") = c;
	register long r3 __asm__("r3") = d;
	register long r4 __asm__("r4") = e;
	__asm__ volatile("svc 0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2), "r"(r3), "r"(r4) : "memory");
	return r0;
}
__asm__(".text\n.global _start\n_start:\n\tmov r0, sp\n\tbl cmain\n");
#else
#error "lcr-helper.c: unsupported architecture"
#endif

/* the same on every arch (asm-generic numbers, x86_64 and arm included) */
#define NR_open_tree 428
#define NR_move_mount 429

#define sys(n, a, b, c) sys5((n), (long)(a), (long)(b), (long)(c), 0, 0)

static unsigned long slen(const char *s)
{
	unsigned long n = 0;
	while (s[n])
		n++;
	return n;
}

static int prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

static void say(const char *a, const char *b, const char *c)
{
	sys(NR_write, 2, "lcr-helper: ", 12);
	sys(NR_write, 2, a, slen(a));
	sys(NR_write, 2, b, slen(b));
	sys(NR_write, 2, c, slen(c));
	sys(NR_write, 2, "\n", 1);
}

__attribute__((noreturn)) static void die(int code, const char *a, const char *b)
{
	say(a, b, "");
	sys(NR_exit_group, code, 0, 0);
	__builtin_unreachable();
}

/* a decimal unsigned 32-bit number filling s up to the terminator `end`; -1 if malformed */
static long num(const char **sp, char end)
{
	const char *s = *sp;
	unsigned long v = 0;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s++ - '0');
		if (v > 0xffffffffUL)
			return -1;
	}
	if (*s != end && !(end == ',' && *s == 0))
		return -1;
	*sp = s;
	return (long)v;
}

static const char *env(char **envp, const char *key)
{
	for (; *envp; envp++)
		if (prefix(*envp, key))
			return *envp + slen(key);
	return 0;
}

static int do_exec(char **argv, char **envp)
{
	static unsigned int groups[MAX_GROUPS];
	static char path[PATH_BUF];
	const char *s;
	long uid, gid, v;
	unsigned long n = 0;

	long self;
	s = argv[0];
	self = num(&s, 0);
	argv++;
	s = argv[0];
	uid = num(&s, 0);
	s = argv[1];
	gid = num(&s, 0);
	if (uid < 0 || gid < 0)
		die(125, "exec: bad uid or gid", "");
	s = argv[2];
	if (!(s[0] == '-' && s[1] == 0)) {
		for (;;) {
			v = num(&s, ',');
			if (v < 0 || n == MAX_GROUPS)
				die(125, "exec: bad group list ", argv[2]);
			groups[n++] = (unsigned int)v;
			if (*s == 0)
				break;
			s++;
		}
	}
	if (sys(NR_setgroups, n, groups, 0) < 0)
		die(125, "exec: setgroups failed", "");
	if (sys(NR_setresgid, gid, gid, gid) < 0)
		die(125, "exec: setresgid failed", "");
	if (sys(NR_setresuid, uid, uid, uid) < 0)
		die(125, "exec: setresuid failed", "");
	/* our own image came in as an inherited fd: the command must not get it */
	if (self > 2)
		sys(NR_close, self, 0, 0);

	char **cmd = argv + 3;
	const char *c = cmd[0];
	if (!c || !*c)
		die(127, "exec: no command", "");
	for (s = c; *s; s++)
		if (*s == '/') {
			sys(NR_execve, c, cmd, envp);
			die(126, "exec: cannot run ", c);
		}
	/* execvp: every PATH entry in turn; EACCES remembered, the search goes on past it */
	const char *p = env(envp, "PATH=");
	if (!p)
		p = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	int denied = 0;
	unsigned long cl = slen(c);
	for (;;) {
		const char *e = p;
		while (*e && *e != ':')
			e++;
		unsigned long dl = (unsigned long)(e - p), i;
		if (dl == 0) {
			path[0] = '.';
			dl = 1;
		} else if (dl + cl + 2 <= PATH_BUF) {
			for (i = 0; i < dl; i++)
				path[i] = p[i];
		} else {
			dl = 0;
		}
		if (dl + cl + 2 <= PATH_BUF && dl > 0) {
			path[dl] = '/';
			for (i = 0; i <= cl; i++)
				path[dl + 1 + i] = c[i];
			long r = sys(NR_execve, path, cmd, envp);
			if (r == -EACCES)
				denied = 1;
			else if (r != -ENOENT && r != -ENOTDIR)
				die(126, "exec: cannot run ", c);
		}
		if (!*e)
			break;
		p = e + 1;
	}
	if (denied)
		die(126, "exec: permission denied: ", c);
	die(127, "exec: executable file not found in $PATH: ", c);
}

static int do_mount(char **argv, char **envp)
{
	static char ns[64] = "/proc/";
	const char *pid = env(envp, "LXC_PID=");
	unsigned long i, n;
	if (!pid || !*pid)
		die(1, "mount: no LXC_PID", "");
	n = slen(pid);
	if (n > 20)
		die(1, "mount: bad LXC_PID ", pid);
	for (i = 0; i < n; i++) {
		if (pid[i] < '0' || pid[i] > '9')
			die(1, "mount: bad LXC_PID ", pid);
		ns[6 + i] = pid[i];
	}
	const char *tail = "/ns/mnt";
	for (i = 0; i <= 7; i++)
		ns[6 + n + i] = tail[i];
	long tree = sys(NR_open_tree, AT_FDCWD, argv[0], OPEN_TREE_CLONE | AT_RECURSIVE | O_CLOEXEC);
	if (tree == -ENOSYS) {
		/* a kernel before 5.2: the bind stays as LXC made it (shared in a group of its own) */
		say("mount: no open_tree on this kernel; ", argv[0], " is not a peer of the host's mount");
		return 0;
	}
	if (tree < 0)
		die(1, "mount: open_tree failed for ", argv[0]);
	long nsfd = sys(NR_openat, AT_FDCWD, ns, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		die(1, "mount: cannot open ", ns);
	if (sys(NR_setns, nsfd, CLONE_NEWNS, 0) < 0)
		die(1, "mount: setns failed for ", ns);
	/* now in the container's namespace, whose root is ours: DST resolves inside the container */
	if (sys5(NR_move_mount, tree, (long)"", AT_FDCWD, (long)argv[1], MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die(1, "mount: move_mount failed onto ", argv[1]);
	return 0;
}

__attribute__((noreturn, used)) void cmain(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	int code = 2;
	if (argc >= 7 && argv[1][0] == 'e' && argv[1][1] == 'x' && argv[1][2] == 'e' && argv[1][3] == 'c' && argv[1][4] == 0)
		code = do_exec(argv + 2, envp);
	else if (argc >= 4 && prefix(argv[1], "mount") && argv[1][5] == 0)
		code = do_mount(argv + 2, envp);
	else
		say("usage: lcr-helper exec FD UID GID GROUPS CMD [ARG...] | mount SRC DST", "", "");
	sys(NR_exit_group, code, 0, 0);
	__builtin_unreachable();
}
