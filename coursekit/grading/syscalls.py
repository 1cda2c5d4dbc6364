"""What submitted code may not ask the kernel for: a seccomp filter and a keyring of its own.

Every process of a sandbox (:mod:`coursekit.grading.sandbox`) runs under the filter of
:func:`seccomp_program`, which refuses :data:`BLOCKED_SYSCALLS`: bwrap installs it for the
program it starts, and a runner forked by the zygote installs it itself
(:func:`install_seccomp`). The grader, and each runner, also start with a new, empty session
keyring (:func:`new_session_keyring`), so that no key of the instructor's session is in reach.

Introduced with ``coursekit grade``, for the instructors.
"""

from __future__ import annotations

import os

#: Refused (EPERM) to every process of a sandbox by a seccomp filter: the kernel keyrings (the
#: sandbox's processes run as the grader's user outside their namespace, so a key the
#: instructor's user may read, a Kerberos ticket say, would be theirs to read), memory that no
#: per-process limit counts (memfd, System V shared memory and message queues), reading or
#: writing other processes, and kernel interfaces that only widen what a notebook can attack.
BLOCKED_SYSCALLS = (
    "keyctl",
    "add_key",
    "request_key",
    "memfd_create",
    "memfd_secret",
    "shmget",
    "msgget",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "pidfd_getfd",
    "userfaultfd",
    "perf_event_open",
    "bpf",
    "io_uring_setup",
)
_SYSCALLS = {  # numbers per architecture (AUDIT_ARCH_* value, then name -> number)
    "x86_64": (
        0xC000003E,
        {
            "keyctl": 250, "add_key": 248, "request_key": 249, "memfd_create": 319,
            "memfd_secret": 447, "shmget": 29, "msgget": 68, "ptrace": 101,
            "process_vm_readv": 310, "process_vm_writev": 311, "pidfd_getfd": 438,
            "userfaultfd": 323, "perf_event_open": 298, "bpf": 321, "io_uring_setup": 425,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "keyctl": 219, "add_key": 217, "request_key": 218, "memfd_create": 279,
            "memfd_secret": 447, "shmget": 194, "msgget": 186, "ptrace": 117,
            "process_vm_readv": 270, "process_vm_writev": 271, "pidfd_getfd": 438,
            "userfaultfd": 282, "perf_event_open": 241, "bpf": 280, "io_uring_setup": 425,
        },
    ),
}  # fmt: skip
_EPERM, _SECCOMP_RET_ERRNO, _SECCOMP_RET_ALLOW = 1, 0x00050000, 0x7FFF0000
_X32_SYSCALL_BIT = 0x40000000


def seccomp_program() -> bytes | None:
    """The seccomp filter (classic BPF, as ``bwrap --seccomp`` reads it) that refuses
    :data:`BLOCKED_SYSCALLS`, and every system call of another ABI (i386, x32), whose numbers
    differ; None on an architecture it does not know."""
    import platform
    import struct

    known = _SYSCALLS.get(platform.machine())
    if known is None:
        return None
    arch, numbers = known
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, |JGE|K, BPF_RET|K
    checks = [(jge, _X32_SYSCALL_BIT)] if arch == 0xC000003E else []
    checks += [(jeq, numbers[name]) for name in BLOCKED_SYSCALLS]
    program = [(ld, 0, 0, 4), (jeq, 1, 0, arch), (ret, 0, 0, _SECCOMP_RET_ERRNO | _EPERM)]
    program.append((ld, 0, 0, 0))  # the system call's number
    refuse = len(program) + len(checks) + 1  # the index of the last instruction
    for code, value in checks:
        program.append((code, refuse - len(program) - 1, 0, value))
    program += [(ret, 0, 0, _SECCOMP_RET_ALLOW), (ret, 0, 0, _SECCOMP_RET_ERRNO | _EPERM)]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in program)


def install_seccomp() -> bool:
    """Load :func:`seccomp_program` into this process (and all it starts from now on; it
    cannot be removed); True when done. Sets ``no_new_privs``, which a filter requires."""
    import ctypes

    program = seccomp_program()
    if program is None:
        return False

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    fprog = Program(len(program) // 8, program)
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) == 0


def seccomp_fd() -> int | None:
    """A descriptor holding :func:`seccomp_program` for ``bwrap --seccomp`` (the caller
    closes it), or None."""
    program = seccomp_program()
    if program is None:
        return None
    fd = os.memfd_create("seccomp")
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


_KEYCTL = {"x86_64": 250, "aarch64": 219, "riscv64": 219, "ppc64le": 271, "s390x": 280}
KEYCTL_JOIN_SESSION_KEYRING = 1


def new_session_keyring() -> bool:
    """Give the calling thread, and every process it starts from now on, a new and empty
    session keyring; True when done.

    A sandbox's processes run as the grader's user outside their namespace, and they inherit
    its session keyring: without this a notebook could read the keys the instructor's session
    holds (``keyctl read``), a Kerberos ticket say. The grader calls it before its first
    sandbox, and each runner before its first cell (so that sandboxes share no keyring)."""
    import ctypes
    import platform

    number = _KEYCTL.get(platform.machine())
    if number is None:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(number, KEYCTL_JOIN_SESSION_KEYRING, None) >= 0
